nn.utils = nn.utils or {}
local utils = nn.utils

-- tostring of a module inside a container: nested lines indented by `indent`
function utils.indent(str, indent)
   return (str:gsub('\n', '\n' .. indent))
end

-- :cuda() with no cutorch loaded: Torch7 fails on a nil metatable; we say why
local function noSuchType(t)
   if not t:find('^torch%.Cuda') then error('unknown tensor type ' .. t, 0) end
   local msg = t .. ' does not exist: cutorch is not loaded (require \'cunn\' first).'
   if not package.searchpath('cutorch', package.path) then
      msg = msg .. ' This machine has no CUDA backend; to run CUDA code on the CPU, start '
         .. 'luatorch with --emulate-cuda or set LUATORCH_EMULATE_CUDA=1'
   end
   error(msg, 0)
end

-- recursive type conversion of tensors found in a table (modules' fields)
function utils.recursiveType(param, t, cache)
   cache = cache or {}
   if torch.type(param) == 'table' then
      for k, v in pairs(param) do param[k] = utils.recursiveType(v, t, cache) end
   elseif torch.isTypeOf(param, 'nn.Module') or torch.isTypeOf(param, 'nn.Criterion') then
      param:type(t, cache)
   elseif torch.isTensor(param) then
      if torch.typename(param) ~= t then
         local key = torch.pointer(param)
         local new = cache[key]
         if not new then
            -- tensors sharing a storage keep sharing one converted storage (shared weights)
            if not torch.getmetatable(t) then noSuchType(t) end
            new = torch.getmetatable(t).new()
            local storage = param:storage()
            if storage then
               local skey = 'storage:' .. torch.pointer(storage)
               local converted = cache[skey]
               if not converted then
                  converted = torch.getmetatable(t).new(storage:size())
                  if storage:size() > 0 then converted:copy(param.new(storage)) end
                  converted = converted:storage()
                  cache[skey] = converted
                  -- the source kept alive while the cache is in use: a storage freed during
                  -- the conversion could give its pointer to a later one, whose lookup would
                  -- then find this conversion
                  cache['source:' .. skey] = storage
               end
               new:set(converted, param:storageOffset(), param:size(), param:stride())
            end
            cache[key] = new
            cache['source:' .. key] = param  -- (as the storage's source above)
         end
         param = new
      end
   end
   return param
end

function utils.recursiveResizeAs(t1, t2)
   if torch.type(t2) == 'table' then
      t1 = torch.type(t1) == 'table' and t1 or {}
      for key, _ in pairs(t2) do t1[key], t2[key] = utils.recursiveResizeAs(t1[key], t2[key]) end
      for key, _ in pairs(t1) do if not t2[key] then t1[key] = nil end end
   elseif torch.isTensor(t2) then
      t1 = torch.isTensor(t1) and t1 or t2.new and t2.new() or torch.Tensor()
      t1:resizeAs(t2)
   else
      error('expecting nested tensors or tables. Got ' .. torch.type(t1) .. ' and ' .. torch.type(t2) .. ' instead')
   end
   return t1, t2
end

function utils.recursiveFill(t2, val)
   if torch.type(t2) == 'table' then
      for key, _ in pairs(t2) do t2[key] = utils.recursiveFill(t2[key], val) end
   elseif torch.isTensor(t2) then
      t2:fill(val)
   end
   return t2
end

function utils.recursiveAdd(t1, val, t2)
   if not t2 then t2, val = val, 1 end
   if torch.type(t2) == 'table' then
      t1 = torch.type(t1) == 'table' and t1 or {}
      for key, _ in pairs(t2) do t1[key], t2[key] = utils.recursiveAdd(t1[key], val, t2[key]) end
   elseif torch.isTensor(t1) and torch.isTensor(t2) then
      t1:add(val, t2)
   end
   return t1, t2
end

function utils.recursiveCopy(t1, t2)
   if torch.type(t2) == 'table' then
      t1 = torch.type(t1) == 'table' and t1 or {}
      for key, _ in pairs(t2) do t1[key], t2[key] = utils.recursiveCopy(t1[key], t2[key]) end
   elseif torch.isTensor(t2) then
      t1 = torch.isTensor(t1) and t1 or t2.new()
      t1:resizeAs(t2):copy(t2)
   end
   return t1, t2
end

-- output viewed with the given sizes over input's elements (copied first when input is not
-- contiguous)
function utils.contiguousView(output, input, ...)
   output = output or input.new()
   if input:isContiguous() then
      output:view(input, ...)
   else
      output:resize(input:size())
      output:copy(input)
      output:view(output, ...)
   end
   return output
end

-- a and b have the same dimensions and sizes: a:isSameSizeAs(b) without handing both tensors to
-- Python
function utils.sameSizes(a, b)
   local d = a:dim()
   if d ~= b:dim() then return false end
   for k = 1, d do
      if a:size(k) ~= b:size(k) then return false end
   end
   return true
end

function utils.clear(self, ...)
   local names = {...}
   if type(names[1]) == 'table' then names = names[1] end
   for _, name in ipairs(names) do
      local v = self[name]
      if torch.isTensor(v) then v:set() elseif type(v) == 'table' then self[name] = {} else self[name] = nil end
   end
   return self
end

function utils.addSingletonDimension(...)
   local view, t, dim
   if select('#', ...) < 3 then t, dim = select(1, ...) else view, t, dim = select(1, ...) end
   dim = dim or 1
   view = view or t.new()
   local size = torch.LongStorage(t:dim() + 1)
   local stride = torch.LongStorage(t:dim() + 1)
   for d = 1, dim - 1 do size[d] = t:size(d); stride[d] = t:stride(d) end
   size[dim] = 1
   stride[dim] = 1
   for d = dim + 1, t:dim() + 1 do size[d] = t:size(d - 1); stride[d] = t:stride(d - 1) end
   view:set(t:storage(), t:storageOffset(), size, stride)
   return view
end

return utils
