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
local raise = torch._raise

-- Python returns (object, type code, id) for one new tensor: the proxy is made here
local make = py.make_function()

local function finishSelf(self, ok, ...)
   if ok then
      local r, code, id, haddr = ...
      if r == nil then return self end
      if type(code) == 'number' and id ~= nil then return make(r, code, id, haddr) end
      return ...
   end
   raise((...), 3)
end

local function finishNew(ok, ...)
   if ok then
      local r, code, id, haddr = ...
      if type(code) == 'number' and id ~= nil then return make(r, code, id, haddr) end
      return ...
   end
   raise((...), 3, true)
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

-- The operands of a tensor's arithmetic operator as Torch7 checks them: luaT's dispatcher takes
-- the left operand's metatable when it has one (a string's: no such operator), then
-- TensorOperator.c reads the operand that is not a tensor of the class as a number (numeric
-- strings included, as luaL_checknumber), and / and % want the tensor first.
local operatorWords = {add = 'addition', sub = 'substraction', mul = 'multiplication',
   div = 'division', mod = 'modulo'}
-- C's strtol(s, NULL, 0), as luaG_checkreal reads a string for an integer tensor type
local function strtol(s)
   local sign, rest = s:match('^[ \t\n\v\f\r]*([+-]?)(.*)$')
   local n
   local hex = rest:match('^0[xX](%x+)')
   if hex then
      n = tonumber(hex, 16)
   elseif rest:match('^0') then
      n = tonumber(rest:match('^[0-7]+'), 8)
   else
      n = tonumber(rest:match('^%d*'), 10)
   end
   n = n or 0
   return sign == '-' and -n or n
end
local integral = {['torch.ByteTensor'] = true, ['torch.CharTensor'] = true,
   ['torch.ShortTensor'] = true, ['torch.IntTensor'] = true, ['torch.LongTensor'] = true}

local function checkedOperator(mt, name, op)
   local tensorFirst = name == 'div' or name == 'mod'
   local key = '__' .. name
   local checked
   local function checkreal(v)
      if type(v) == 'string' and integral[rawget(mt, '__typename')] then return strtol(v) end
      return tonumber(v)
   end
   -- a tensor of this class: its metatable, or one copied from it (the emulated CUDA types)
   local function ofClass(m)
      if m == mt then return true end
      if type(m) ~= 'table' then return false end
      local f = rawget(m, key)
      return f ~= nil and (f == checked or f == rawget(mt, key))
   end
   checked = function(a, b)
      local ma = getmetatable(a)
      if not ofClass(ma) then
         if ma ~= nil then
            error(string.format('both %s and %s have no %s operator', torch.typename(a) or '(null)',
               torch.typename(b) or '(null)', operatorWords[name]), 2)
         end
         if tensorFirst then
            -- (luaT_typerror names the type of Lua type code 1 for a non-torch object)
            error(string.format("bad argument #1 to '?' (%s expected, got boolean)",
               rawget(mt, '__typename')), 0)
         end
         local v = checkreal(a)
         if v == nil then
            error(string.format("bad argument #1 to '?' (number expected, got %s)", type(a)), 0)
         end
         return op(v, b)
      end
      if not ofClass(getmetatable(b)) then
         -- (/ and % take lua_tonumber's number)
         local v = tensorFirst and tonumber(b) or checkreal(b)
         if v == nil then
            if tensorFirst then error("bad argument #2 to '?' (number expected)", 0) end
            error(string.format("bad argument #2 to '?' (number expected, got %s)", type(b)), 0)
         end
         return op(a, v)
      end
      return op(a, b)
   end
   return checked
end

-- operators with the same protocol
for _, op in ipairs({'add', 'sub', 'mul', 'div', 'mod', 'unm'}) do
   local f = py.opx(op)
   local mm = function(a, b) return finishNew(pcall(f, P[a] or a, P[b] or b)) end
   for _, mt in ipairs(tensorMetatables) do
      rawset(mt, '__' .. op, op == 'unm' and mm or checkedOperator(mt, op, mm))
   end
end

-- __index/__newindex: Torch7's C metamethods reach the typed ones through C, so their argument
-- errors say '?' and carry no line (level 0)
local index_number, index_table = py.index_number, py.index_table
local newindex_number, newindex_table = py.newindex_number, py.newindex_table
-- the userdata keys Tensor.c reads (another key: no element, nil as any missing field)
local indexKeys = {['torch.LongStorage'] = true, ['torch.ByteTensor'] = true}
for _, mt in ipairs(tensorMetatables) do
   rawset(mt, '__index', function(self, k)
      local v = rawget(mt, k)
      if v ~= nil then return v end
      local tk = type(k)
      if tk == 'number' then
         local ok, r = pcall(index_number, P[self], k)
         if ok then return r end
         raise(r, 0)
      elseif tk == 'table' or (tk == 'userdata' and indexKeys[torch.typename(k)]) then
         local ok, r = pcall(index_table, P[self], P[k] or k)
         if ok then return r end
         raise(r, 0)
      end
      return nil
   end)
   rawset(mt, '__newindex', function(self, k, v)
      local tk = type(k)
      local ok, r
      if tk == 'number' then
         ok, r = pcall(newindex_number, P[self], k, P[v] or v)
      elseif tk == 'table' or (tk == 'userdata' and indexKeys[torch.typename(k)]) then
         ok, r = pcall(newindex_table, P[self], P[k] or k, P[v] or v)
      else
         -- Tensor.c's __newindex__ declines the key, and luaT cannot store it in the tensor
         error(string.format('the class %s cannot be indexed', torch.typename(self)), 2)
      end
      if not ok then raise(r, 0) end
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
   if type(nChunk) ~= 'number' then
      error("bad argument #2 to 'chunk' (number expected, got " .. type(nChunk) .. ")", 2)
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
      torch[name] = torch._methodForm(name)
   end
end

---------------------------------------------------------------------------------------------
-- random generator state: a ByteTensor with Torch's THGenerator bytes
---------------------------------------------------------------------------------------------
---------------------------------------------------------------------------------------------
-- cat: torch.cat([res,] x1, x2 [,dim]) and torch.cat([res,] {x1, x2, ...} [,dim])
---------------------------------------------------------------------------------------------
local catPy = bind(py.cat)
local isTensor = torch.isTensor
local function proxiesToObjects(t)
   local out = {}
   for i = 1, #t do out[i] = P[t[i]] or t[i] end
   return out
end
-- cwrap's checks of torch.cat: one tensor type throughout, the first tensor's (inside the
-- table too), or the default type when there is none
local function cwrapWord(v)
   local tn = torch.typename(v)
   if tn then return (tn:gsub('^torch%.', '')) end
   return type(v)
end
local function catInvalid(T, ...)
   local words = {}
   for i = 1, select('#', ...) do words[i] = cwrapWord((select(i, ...))) .. ' ' end
   local t = T:gsub('^torch%.', '')
   error(string.format('invalid arguments: %s\nexpected arguments: [*%s*] %s %s [index] | '
      .. '[*%s*] {%s+} [index]', #words > 0 and table.concat(words) or 'no arguments provided ',
      t, t, t, t, t), 3)
end
local function catTable(T, res, list, d, ...)
   if #list == 0 or (d ~= nil and type(d) ~= 'number') then catInvalid(T, ...) end
   for i = 1, #list do
      if torch.typename(list[i]) ~= T then
         error(string.format('expected %s in tensor array', (T:gsub('^torch%.', ''))), 2)
      end
   end
   return catPy(res, proxiesToObjects(list), d)
end
function torch.cat(...)
   local a, b, c, d = ...
   local T = torch.typename(a)
   if not isTensor(a) then
      T = type(a) == 'table' and isTensor(a[1]) and torch.typename(a[1])
         or torch.getdefaulttensortype()
   end
   local function same(x) return torch.typename(x) == T end
   if same(a) and same(b) and same(c) and (d == nil or type(d) == 'number') then
      return catPy(a, proxiesToObjects({b, c}), d)
   elseif same(a) and same(b) and not isTensor(c) and (c == nil or type(c) == 'number')
         and d == nil then
      return catPy(nil, proxiesToObjects({a, b}), c)
   elseif same(a) and type(b) == 'table' and not isTensor(b) then
      return catTable(T, a, b, c, ...)
   elseif type(a) == 'table' and not isTensor(a) then
      return catTable(T, nil, a, b, ...)
   end
   catInvalid(T, ...)
end
-- the method is the function with self first (cwrap: x:cat(y) is torch.cat(x, y))
setMethod('cat', function(self, ...) return torch.cat(self, ...) end)

---------------------------------------------------------------------------------------------
-- result-first forms of view/expand and their -As variants
---------------------------------------------------------------------------------------------
setMethod('viewAs', function(self, a, b)
   if b ~= nil then return self:view(a, b) end
   return self:view(a)
end)
setMethod('expandAs', function(self, a, b)
   if b ~= nil then return self:expand(a, b) end
   return self:expand(a)
end)
torch.viewAs = torch._methodForm('viewAs')
torch.expandAs = torch._methodForm('expandAs')
torch.view = torch._methodForm('view')
torch.expand = torch._methodForm('expand')

---------------------------------------------------------------------------------------------
-- small tensor/storage methods
---------------------------------------------------------------------------------------------
-- sizeof(real): Torch answers without an object too (torch.ByteStorage.elementSize())
local elementSize = py.elementSize
local sizeofReal = {Double = 8, Float = 4, Long = 8, Int = 4, Short = 2, Char = 1, Byte = 1}
for _, name in ipairs(typeNames) do
   local size = sizeofReal[name]
   local function method(self)
      if self == nil then return size end
      return elementSize(P[self])
   end
   rawset(torch.getmetatable('torch.' .. name .. 'Tensor'), 'elementSize', method)
   rawset(torch.getmetatable('torch.' .. name .. 'Storage'), 'elementSize', method)
end
setMethod('isSize', bind(py.isSize))
setMethod('isTensor', function(x) return torch.isTensor(x) end)
torch.isSize = torch.isSize or function(t, s) return t:isSize(s) end
-- x:real() converts to the default tensor type, whatever x's own type (Tensor.lua)
setMethod('real', function(self) return self:type(torch.getdefaulttensortype()) end)

-- wall-clock seconds since the epoch (gettimeofday), as utils.c's tic/toc
local realTime = py.real_time
function torch.tic() return realTime() end
function torch.toc(t)
   if type(t) ~= 'number' then
      error("bad argument #1 to 'toc' (number expected, got " .. (t == nil and 'no value' or type(t)) .. ')', 2)
   end
   return realTime() - t
end

function torch.setheaptracking(enabled)
   torch._heaptracking = enabled and true or false
end

---------------------------------------------------------------------------------------------
-- constructors as methods: self is the result (cwrap's method={default='nil'})
---------------------------------------------------------------------------------------------
for _, name in ipairs({'zeros', 'ones', 'rand', 'randn', 'range', 'linspace', 'logspace',
      'eye', 'randperm'}) do
   local f = torch[name]
   setMethod(name, function(self, ...) return f(self, ...) end)
end

---------------------------------------------------------------------------------------------
-- torch.Generator: a private random stream (THGenerator); every random function takes one as
-- an optional first argument (after the result tensor)
---------------------------------------------------------------------------------------------
local Generator = torch.class('torch.Generator')
local genMT = torch.getmetatable('torch.Generator')
local newGenerator = py.new_generator
function Generator:__init()
   rawset(self, '_gen', newGenerator())
end
-- serialized as Torch does: the raw THGenerator bytes
function Generator:write(file)
   file:writeByte(torch.getRNGState(self):storage())
end
function Generator:read(file)
   rawset(self, '_gen', newGenerator())
   torch.setRNGState(self, torch.ByteTensor(file:readByte(5048)))
end

local function withGenerator(f)
   return function(...)
      local n = select('#', ...)
      if n >= 1 then
         local a, b = ...
         if type(a) == 'table' and getmetatable(a) == genMT then
            return f(rawget(a, '_gen'), select(2, ...))
         elseif n >= 2 and type(b) == 'table' and getmetatable(b) == genMT then
            return f(a, rawget(b, '_gen'), select(3, ...))
         end
      end
      return f(...)
   end
end
torch._withGenerator = withGenerator
torch.getRNGState = bind(py.getRNGState)
torch.setRNGState = bind(py.setRNGState)
for _, name in ipairs({'manualSeed', 'seed', 'initialSeed', 'random', 'uniform', 'normal',
      'exponential', 'bernoulli', 'geometric', 'cauchy', 'logNormal', 'getRNGState',
      'setRNGState', 'rand', 'randn', 'randperm', 'multinomial'}) do
   torch[name] = withGenerator(torch[name])
end
for _, name in ipairs({'uniform', 'normal', 'random', 'bernoulli', 'exponential', 'geometric',
      'cauchy', 'logNormal', 'rand', 'randn', 'randperm', 'multinomial'}) do
   for _, mt in ipairs(tensorMetatables) do
      local m = rawget(mt, name)
      if m then rawset(mt, name, withGenerator(m)) end
   end
end

-- Walker alias sampling: state = {J, q}
local aliasSetup, aliasDraw = bind(py.multinomialAliasSetup), bind(py.multinomialAlias)
function torch.multinomialAliasSetup(probs, state)
   state = state or {}
   state[1], state[2] = aliasSetup(probs, state[1], state[2])
   return state
end
function torch.multinomialAlias(output, state)
   if type(state) ~= 'table' then
      error("bad argument #2 to 'multinomialAlias' (table expected, got " .. type(state) .. ')', 2)
   end
   return aliasDraw(output, state[1], state[2])
end

---------------------------------------------------------------------------------------------
-- generic/Tensor.c's maskedFill, indexFill, indexCopy and indexAdd leave their arguments on the
-- Lua stack and return the top one: the fill value, or the source tensor (not self)
---------------------------------------------------------------------------------------------
-- the method's errors are located at this wrapper's line: point them at its caller, as Torch
local here = '^' .. debug.getinfo(1, 'S').short_src:gsub('%p', '%%%0') .. ':%d+: '
local argerror = torch._argerror
local function atCaller(ok, e)
   if ok then return end
   local level = 3
   if type(e) == 'string' then
      -- the method's argument error said '?' (pcall called it): word it for the user's call
      e, level = argerror((e:gsub(here, '', 1)), debug.getinfo(2, 'n'), 3, false)
   end
   error(e, level)
end
for _, name in ipairs({'maskedFill', 'indexFill', 'indexCopy', 'indexAdd'}) do
   for _, mt in ipairs(tensorMetatables) do
      local f = rawget(mt, name)
      rawset(mt, name, function(self, ...)
         atCaller(pcall(f, self, ...))
         local n = select('#', ...)
         if n == 0 then return self end
         return (select(n, ...))
      end)
   end
end

---------------------------------------------------------------------------------------------
-- TensorMath.lua defines these for FloatTensor and DoubleTensor only: on an integer tensor the
-- method does not exist (torch.f(x) says "... does not implement the torch.f() function")
---------------------------------------------------------------------------------------------
local floatOnly = {'log', 'log1p', 'exp', 'expm1', 'cos', 'acos', 'cosh', 'sin', 'asin', 'sinh',
   'tan', 'atan', 'tanh', 'sqrt', 'rsqrt', 'sigmoid', 'round', 'ceil', 'floor', 'trunc',
   'frac', 'cinv', 'lerp', 'atan2', 'mean', 'var', 'std', 'norm', 'renorm', 'dist', 'histc',
   'bhistc', 'linspace', 'logspace', 'rand', 'randn', 'multinomial', 'uniform', 'normal',
   'cauchy', 'logNormal', 'exponential', 'gesv', 'gels', 'trtrs', 'inverse', 'svd', 'eig',
   'symeig', 'qr', 'potrf', 'potrs', 'potri', 'pstrf', 'meanall', 'varall', 'stdall',
   'normall'}
for i, name in ipairs(typeNames) do
   if name ~= 'Double' and name ~= 'Float' then
      for _, f in ipairs(floatOnly) do rawset(tensorMetatables[i], f, nil) end
   end
end

return torch
