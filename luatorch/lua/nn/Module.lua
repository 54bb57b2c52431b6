local Module = torch.class('nn.Module')

function Module:__init()
   self.gradInput = torch.Tensor()
   self.output = torch.Tensor()
   self._type = self.output:type()
end

function Module:parameters()
   if self.weight and self.bias then
      return {self.weight, self.bias}, {self.gradWeight, self.gradBias}
   elseif self.weight then
      return {self.weight}, {self.gradWeight}
   elseif self.bias then
      return {self.bias}, {self.gradBias}
   end
end

function Module:updateOutput(input)
   return self.output
end

function Module:forward(input)
   return self:updateOutput(input)
end

function Module:backward(input, gradOutput, scale)
   scale = scale or 1
   self:updateGradInput(input, gradOutput)
   self:accGradParameters(input, gradOutput, scale)
   return self.gradInput
end

function Module:backwardUpdate(input, gradOutput, lr)
   self:updateGradInput(input, gradOutput)
   self:accUpdateGradParameters(input, gradOutput, lr)
   return self.gradInput
end

function Module:updateGradInput(input, gradOutput)
   return self.gradInput
end

function Module:accGradParameters(input, gradOutput, scale)
end

function Module:accUpdateGradParameters(input, gradOutput, lr)
   if self.shared then
      self:sharedAccUpdateGradParameters(input, gradOutput, lr)
   else
      self:defaultAccUpdateGradParameters(input, gradOutput, lr)
   end
end

function Module:defaultAccUpdateGradParameters(input, gradOutput, lr)
   -- Torch's generic fallback: swap the gradients for the weights and accumulate -lr into them
   local gradWeight, gradBias = self.gradWeight, self.gradBias
   self.gradWeight, self.gradBias = self.weight, self.bias
   self:accGradParameters(input, gradOutput, -lr)
   self.gradWeight, self.gradBias = gradWeight, gradBias
end

function Module:sharedAccUpdateGradParameters(input, gradOutput, lr)
   if self:parameters() then
      self:zeroGradParameters()
      self:accGradParameters(input, gradOutput, 1)
      self:updateParameters(lr)
   end
end

function Module:zeroGradParameters()
   local _, gradParams = self:parameters()
   if gradParams then
      for i = 1, #gradParams do gradParams[i]:zero() end
   end
end

function Module:updateParameters(learningRate)
   local params, gradParams = self:parameters()
   if params then
      for i = 1, #params do params[i]:add(-learningRate, gradParams[i]) end
   end
end

function Module:training()
   self.train = true
end

function Module:evaluate()
   self.train = false
end

function Module:share(mlp, ...)
   local arg = {...}
   for i, v in ipairs(arg) do
      if self[v] ~= nil then
         self[v]:set(mlp[v])
         self.accUpdateGradParameters = self.sharedAccUpdateGradParameters
         mlp.accUpdateGradParameters = mlp.sharedAccUpdateGradParameters
      end
   end
   return self
end

-- a deep copy preserving shared tensors/storages and cycles, as a serialization round trip would
local function deepCopy(obj, seen, storages)
   if type(obj) == 'table' then
      if seen[obj] then return seen[obj] end
      local copy = {}
      seen[obj] = copy
      for k, v in pairs(obj) do copy[deepCopy(k, seen, storages)] = deepCopy(v, seen, storages) end
      return setmetatable(copy, getmetatable(obj))
   elseif torch.isTensor(obj) then
      if seen[obj] then return seen[obj] end
      local copy
      local storage = obj:storage()
      if storage then
         local s = storages[torch.pointer(storage)]
         if not s then
            s = storage.new(storage:size()):copy(storage)
            storages[torch.pointer(storage)] = s
         end
         copy = obj.new(s, obj:storageOffset(), obj:size(), obj:stride())
      else
         copy = obj.new()
      end
      seen[obj] = copy
      return copy
   elseif torch.isStorage(obj) then
      if seen[obj] then return seen[obj] end
      local s = storages[torch.pointer(obj)] or obj.new(obj:size()):copy(obj)
      storages[torch.pointer(obj)] = s
      seen[obj] = s
      return s
   end
   return obj
end
nn.utils.deepCopy = function(obj) return deepCopy(obj, {}, {}) end

function Module:clone(...)
   local clone
   if torch.MemoryFile and torch.MemoryFile.writeObject then
      local f = torch.MemoryFile('rw'):binary()
      f:writeObject(self)
      f:seek(1)
      -- an in-memory copy of our own object: functions (e.g. set by share) are trusted
      if f.allowFunctions then f:allowFunctions() end
      clone = f:readObject()
      f:close()
   else
      clone = deepCopy(self, {}, {})
   end
   if select('#', ...) > 0 then clone:share(self, ...) end
   return clone
end

function Module:type(typename, tensorCache)
   if not typename then return self._type end
   tensorCache = tensorCache or {}
   for key, param in pairs(self) do
      self[key] = nn.utils.recursiveType(param, typename, tensorCache)
   end
   self._type = typename
   return self
end

function Module:float(...) return self:type('torch.FloatTensor', ...) end
function Module:double(...) return self:type('torch.DoubleTensor', ...) end
function Module:cuda(...) return self:type('torch.CudaTensor', ...) end

function Module:reset()
end

function Module:write(file)
   local var = {}
   for k, v in pairs(self) do var[k] = v end
   file:writeObject(var)
end

function Module:read(file)
   local var = file:readObject()
   for k, v in pairs(var) do self[k] = v end
end

-- true when the tensor's elements fill one contiguous block of its storage (in some order)
local function isCompact(t)
   local dims = {}
   for d = 1, t:nDimension() do
      if t:stride(d) > 0 and t:size(d) > 1 then dims[#dims + 1] = {t:stride(d), t:size(d)} end
   end
   table.sort(dims, function(a, b) return a[1] < b[1] end)
   local expected = 1
   for _, sd in ipairs(dims) do
      if sd[1] ~= expected then return false end
      expected = expected * sd[2]
   end
   return true
end

-- Flatten parameters into one storage that every parameter then views (Torch's Module.flatten):
-- storages shared by several parameters are laid out once; storage elements no parameter uses
-- are squeezed out, which needs every parameter to be compact.
function Module.flatten(parameters)
   if not parameters or #parameters == 0 then return torch.Tensor() end
   local Tensor = parameters[1].new
   local storages, order, total, meta = {}, {}, 0, {}
   for k, p in ipairs(parameters) do
      local storage = p:storage()
      local key = torch.pointer(storage)
      if not storages[key] then
         storages[key] = {storage, total}
         order[#order + 1] = key
         total = total + storage:size()
      end
      meta[k] = {offset = p:storageOffset() + storages[key][2], size = p:size(), stride = p:stride()}
   end
   local flat = Tensor(total):zero()
   local compact = true
   for k = 1, #parameters do
      local view = Tensor():set(flat:storage(), meta[k].offset, meta[k].size, meta[k].stride)
      view:fill(1)
      compact = compact and isCompact(view)
   end
   local mask = flat:byte()
   local used = flat:long():cumsum(1)
   local nUsed = total > 0 and used[total] or 0
   for _, key in ipairs(order) do
      local storage, offset = storages[key][1], storages[key][2]
      if storage:size() > 0 then
         flat:narrow(1, offset + 1, storage:size()):copy(Tensor():set(storage))
      end
   end
   for k = 1, #parameters do parameters[k]:set(Tensor()) end
   if nUsed ~= total then
      assert(compact, 'Cannot gather tensors that are not compact')
      flat = Tensor(nUsed):copy(flat:maskedSelect(mask))
      for k = 1, #parameters do meta[k].offset = used[meta[k].offset] end
   end
   for k = 1, #parameters do
      parameters[k]:set(flat:storage(), meta[k].offset, meta[k].size, meta[k].stride)
   end
   return flat
end

function Module:getParameters()
   local parameters, gradParameters = self:parameters()
   local p, g = Module.flatten(parameters), Module.flatten(gradParameters)
   assert(p:nElement() == g:nElement(), 'check that you are sharing parameters and gradParameters')
   if parameters then
      for i = 1, #parameters do
         assert(parameters[i]:storageOffset() == gradParameters[i]:storageOffset(),
                'misaligned parameter at ' .. tostring(i))
      end
   end
   return p, g
end

function Module:__call__(input, gradOutput)
   self:forward(input)
   if gradOutput then
      self:backward(input, gradOutput)
      return self.output, self.gradInput
   end
   return self.output
end

function Module:findModules(typename, container)
   container = container or self
   local nodes, containers = {}, {}
   local mod_type = torch.typename(self)
   if mod_type == typename then
      nodes[#nodes + 1] = self
      containers[#containers + 1] = container
   end
   if self.modules then
      for _, child in ipairs(self.modules) do
         local child_nodes, child_containers = child:findModules(typename, self)
         for i = 1, #child_nodes do
            nodes[#nodes + 1] = child_nodes[i]
            containers[#containers + 1] = child_containers[i]
         end
      end
   end
   return nodes, containers
end

function Module:listModules()
   local modules = {self}
   if self.modules then
      for _, child in ipairs(self.modules) do
         for _, m in ipairs(child:listModules()) do modules[#modules + 1] = m end
      end
   end
   return modules
end

function Module:clearState()
   return nn.utils.clear(self, 'output', 'gradInput')
end

function Module:apply(callback)
   callback(self)
   if self.modules then
      for _, module in ipairs(self.modules) do module:apply(callback) end
   end
end

function Module:replace(callback)
   local out = callback(self)
   if self.modules then
      for i, module in ipairs(self.modules) do self.modules[i] = module:replace(callback) end
   end
   return out
end

function Module:__tostring__()
   return torch.type(self)
end
