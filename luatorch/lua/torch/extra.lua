-- torch: the Lua side of the tensor library that init.lua does not carry: fast in-place method
-- bindings, functions returning tables of tensors (split, chunk), torch.* forms of methods,
-- repeatTensor, the RNG state, cat as a method.

local torch = torch
local py = torch._py
local P = torch._P
local unwrap = torch._unwrap
local bind = torch._bind
local errmsg = py.errmsg
local type, select, pcall, error = type, select, pcall, error

local typeNames = torch._typeNames
local tensorMetatables = {}
for i, name in ipairs(typeNames) do
   tensorMetatables[i] = torch.getmetatable('torch.' .. name .. 'Tensor')
end

-- set a method on every tensor type
local function setMethod(name, f)
   for _, mt in ipairs(tensorMetatables) do rawset(mt, name, f) end
end

---------------------------------------------------------------------------------------------
-- methods of the Python registry: an in-place method returns its own proxy without asking
-- Python to find it (py.mi_* return nothing when the result is self)
---------------------------------------------------------------------------------------------
local function raise(e, level)
   if type(e) ~= 'string' then e = errmsg(e) end
   error(e, level)
end

-- Python returns (object, type code, id) for one new tensor: the proxy is made here
local make = py.make_function()

local function finishSelf(self, ok, ...)
   if ok then
      local r, code, id = ...
      if r == nil then return self end
      if type(code) == 'number' and id ~= nil then return make(r, code, id) end
      return ...
   end
   raise((...), 3)
end

local function finishNew(ok, ...)
   if ok then
      local r, code, id = ...
      if type(code) == 'number' and id ~= nil then return make(r, code, id) end
      return ...
   end
   raise((...), 3)
end

for k, f in pairs(py) do
   local name = k:match('^mi_(.+)$')
   if name then
      setMethod(name, function(self, ...)
         return finishSelf(self, pcall(f, P[self], unwrap(...)))
      end)
   end
   name = k:match('^fx_(.+)$')
   if name then
      torch[name] = function(...) return finishNew(pcall(f, unwrap(...))) end
   end
end

-- operators with the same protocol
for _, op in ipairs({'add', 'sub', 'mul', 'div', 'mod', 'unm'}) do
   local f = py.opx(op)
   local mm = function(a, b) return finishNew(pcall(f, P[a] or a, P[b] or b)) end
   for _, mt in ipairs(tensorMetatables) do rawset(mt, '__' .. op, mm) end
end

-- __index/__newindex: errors at the line doing the indexing (level 3: raise, metamethod, user)
local index_number, index_table = py.index_number, py.index_table
local newindex_number, newindex_table = py.newindex_number, py.newindex_table
for _, mt in ipairs(tensorMetatables) do
   rawset(mt, '__index', function(self, k)
      local v = rawget(mt, k)
      if v ~= nil then return v end
      local tk = type(k)
      if tk == 'number' then
         local ok, r = pcall(index_number, P[self], k)
         if ok then return r end
         raise(r, 3)
      elseif tk == 'table' or tk == 'userdata' then
         local ok, r = pcall(index_table, P[self], P[k] or k)
         if ok then return r end
         raise(r, 3)
      end
      return nil
   end)
   rawset(mt, '__newindex', function(self, k, v)
      local tk = type(k)
      local ok, r
      if tk == 'number' then
         ok, r = pcall(newindex_number, P[self], k, P[v] or v)
      elseif tk == 'table' or tk == 'userdata' then
         ok, r = pcall(newindex_table, P[self], P[k] or k, P[v] or v)
      else
         error("bad argument #2 to '__newindex' (number or table expected)", 2)
      end
      if not ok then raise(r, 3) end
   end)
end

---------------------------------------------------------------------------------------------
-- more methods
---------------------------------------------------------------------------------------------
local repeatTensor = bind(py.repeatTensor)
torch.repeatTensor = repeatTensor
setMethod('repeatTensor', repeatTensor)

local catf = torch.cat
setMethod('cat', function(self, a, b, c)
   -- res:cat(x1, x2 [,dim]) or res:cat({x1, x2, ...} [,dim])
   if type(a) == 'table' then return catf(self, a, b) end
   return catf(self, {a, b}, c)
end)

-- split/chunk: views narrowed along dim (default 1); an optional result table comes first
function torch.split(result, tensor, size, dim)
   if type(result) ~= 'table' then
      result, tensor, size, dim = {}, result, tensor, size
   else
      for k in pairs(result) do result[k] = nil end
   end
   if not torch.isTensor(tensor) then
      error("bad argument #1 to 'split' (torch.*Tensor expected)", 2)
   end
   if type(size) ~= 'number' or size < 1 then
      error("bad argument #2 to 'split' (split size must be a positive number)", 2)
   end
   dim = dim or 1
   local n = tensor:size(dim)
   local first = 1
   while first <= n do
      local len = math.min(size, n - first + 1)
      result[#result + 1] = tensor:narrow(dim, first, len)
      first = first + len
   end
   return result
end

function torch.chunk(result, tensor, nChunk, dim)
   if type(result) ~= 'table' then
      result, tensor, nChunk, dim = {}, result, tensor, nChunk
   end
   if not torch.isTensor(tensor) then
      error("bad argument #1 to 'chunk' (torch.*Tensor expected)", 2)
   end
   dim = dim or 1
   return torch.split(result, tensor, math.ceil(tensor:size(dim) / nChunk), dim)
end

setMethod('split', function(self, a, b, c)
   if type(a) == 'table' then return torch.split(a, self, b, c) end
   return torch.split(self, a, b)
end)
setMethod('chunk', function(self, a, b, c)
   if type(a) == 'table' then return torch.chunk(a, self, b, c) end
   return torch.chunk(self, a, b)
end)

-- torch.f(t, ...) for methods that have no function form yet
for _, name in ipairs({'viewAs', 'expandAs', 'set', 'isSetTo', 'apply', 'map', 'map2',
      'numel', 'typeAs', 'nDimension', 'stride', 'storageOffset', 'resize', 'resizeAs',
      'sub', 'isSize', 'double', 'float', 'long', 'int', 'short', 'char', 'byte'}) do
   if torch[name] == nil then
      torch[name] = function(t, ...) return t[name](t, ...) end
   end
end

---------------------------------------------------------------------------------------------
-- random generator state: a ByteTensor with Torch's THGenerator bytes
---------------------------------------------------------------------------------------------
torch.getRNGState = bind(py.getRNGState)
torch.setRNGState = bind(py.setRNGState)

return torch
