-- dpnn's extensions of nn.Module: parameter sharing clones, getParameters over hidden modules,
-- serialization modes and regularizers applied to gradients (max-norm, clipping, momentum).
local Module = nn.Module

local function isEmpty(t) return t == nil or next(t) == nil end

-- sparse modules (e.g. a LookupTable updating few rows) may return a subset with scales
function Module:sparseParameters()
   return self:parameters()
end

function Module:updateParameters(learningRate)
   local params, gradParams, scales = self:sparseParameters()
   if params then
      for i, param in pairs(params) do
         param:add(-learningRate * (scales and scales[i] or 1), gradParams[i])
      end
   end
end

function Module:zeroGradParameters()
   local _, gradParams = self:sparseParameters()
   if gradParams then
      for _, gradParam in pairs(gradParams) do gradParam:zero() end
   end
end

------------------------------------------------------------------ sharing clones

Module.dpnn_parameters = {'weight', 'bias'}
Module.dpnn_gradParameters = {'gradWeight', 'gradBias'}

-- Like clone() followed by share(): a deep copy of the module in which parameters (and/or their
-- gradients) are new tensors viewing the same storages. With stepClone, modules marked
-- dpnn_stepclone (the recurrent ones of rnn) are not copied at all but shared as they are.
function Module:sharedClone(shareParams, shareGradParams, stepClone)
   shareParams = (shareParams == nil) and true or shareParams
   shareGradParams = (shareGradParams == nil) and true or shareGradParams
   if stepClone and self.dpnn_stepclone then
      return self
   end

   -- what the copy must not duplicate: seen[x] = what to use in the copy instead of x
   local seen, storages = {}, {}
   local visited = {}
   local function shareStorage(t)
      if torch.isTensor(t) and t:storage() then
         storages[torch.pointer(t:storage())] = t:storage()
      end
   end
   local function mark(obj, isRoot)
      if type(obj) ~= 'table' or visited[obj] then return end
      visited[obj] = true
      if torch.isTypeOf(obj, 'nn.Module') and not isRoot then
         if stepClone and obj.dpnn_stepclone then
            seen[obj] = obj
            return
         elseif obj.dpnn_sharedClone then
            seen[obj] = obj:dpnn_sharedClone()
            return
         end
      end
      if torch.isTypeOf(obj, 'nn.Module') then
         if shareParams then
            for _, name in ipairs(obj.dpnn_parameters) do shareStorage(obj[name]) end
         end
         if shareGradParams then
            for _, name in ipairs(obj.dpnn_gradParameters) do shareStorage(obj[name]) end
         end
      end
      for _, v in pairs(obj) do mark(v) end
   end
   mark(self, true)

   -- a deep copy in which every tensor on a shared storage is a new view of that same storage
   local function copy(obj)
      if seen[obj] ~= nil then return seen[obj] end
      if type(obj) == 'table' then
         local c = {}
         seen[obj] = c
         for k, v in pairs(obj) do c[copy(k)] = copy(v) end
         return setmetatable(c, getmetatable(obj))
      elseif torch.isTensor(obj) then
         local c
         local storage = obj:storage()
         if storage then
            local key = torch.pointer(storage)
            local s = storages[key]
            if not s then
               s = storage.new(storage:size()):copy(storage)
               storages[key] = s
            end
            c = obj.new(s, obj:storageOffset(), obj:size(), obj:stride())
         else
            c = obj.new()
         end
         seen[obj] = c
         return c
      elseif torch.isStorage(obj) then
         local key = torch.pointer(obj)
         local s = storages[key] or obj.new(obj:size()):copy(obj)
         storages[key] = s
         seen[obj] = s
         return s
      end
      return obj
   end
   return copy(self)
end

-- Hidden modules (the step clones of recurrent modules, kept outside self.modules) are
-- included so that flattening keeps every tensor sharing the flat storage.
function Module:getParameters()
   local con = nn.Container()
   con:add(self)
   local found = {[self] = true}
   local function collect(tbl)
      for _, m in pairs(tbl) do
         if torch.isTypeOf(m, 'nn.Module') then
            if not found[m] then
               found[m] = true
               con:add(m)
               collect(m)
            end
         elseif torch.type(m) == 'table' then
            collect(m)
         end
      end
   end
   collect(self)
   local parameters, gradParameters = con:parameters()
   return Module.flatten(parameters), Module.flatten(gradParameters)
end

------------------------------------------------------------------ serialization (nn.Serial)

Module.dpnn_mediumEmpty = {'output', 'gradInput', 'momGradParams', 'dpnn_input'}
Module.dpnn_lightEmpty = Module.dpnn_gradParameters
Module.dpnn_serialEmpty = {}

local function forEachSubModule(tbl, f, done)
   done = done or {}
   for _, v in pairs(tbl) do
      if torch.isTypeOf(v, 'nn.Module') then
         f(v)
      elseif torch.type(v) == 'table' and not done[v] then
         done[v] = true
         forEachSubModule(v, f, done)
      end
   end
end

function Module:serialMode(empty)
   assert(torch.type(empty) == 'table', "Expecting table at arg 1")
   self.dpnn_serialEmpty = empty
   forEachSubModule(self, function(m) m:serialMode(empty) end)
   return self
end

function Module:heavySerial()
   return self:serialMode({})
end

function Module:mediumSerial()
   self.dpnn_serialEmpty = self.dpnn_mediumEmpty
   forEachSubModule(self, function(m) m:mediumSerial() end)
   return self
end

function Module:lightSerial()
   local empty = {}
   for _, v in ipairs(self.dpnn_mediumEmpty) do empty[#empty + 1] = v end
   for _, v in ipairs(self.dpnn_lightEmpty) do empty[#empty + 1] = v end
   self.dpnn_serialEmpty = empty
   forEachSubModule(self, function(m) m:lightSerial() end)
   return self
end

local function contains(list, value)
   for _, v in ipairs(list or {}) do
      if v == value then return true end
   end
   return false
end

-- the module as plain tables (no metatables), with the attributes named in dpnn_serialEmpty
-- emptied; dpnn_typename says which class to rebuild
function Module:getSerialState(states)
   states = states or {}
   if states[self] then return states[self] end
   local function state(tbl)
      local out = {}
      local isModule = torch.isTypeOf(tbl, 'nn.Module')
      for k, v in pairs(tbl) do
         if isModule and contains(tbl.dpnn_serialEmpty, k) then
            if torch.type(v) == 'table' then
               out[k] = {}
            elseif torch.isTensor(v) then
               out[k] = v.new()
            else
               out[k] = v
            end
         elseif torch.isTypeOf(v, 'nn.Module') then
            out[k] = v:getSerialState(states)
         elseif torch.type(v) == 'table' then
            if not states[v] then states[v] = state(v) end
            out[k] = states[v]
         else
            out[k] = v
         end
      end
      return out
   end
   local s = state(self)
   s.dpnn_typename = torch.type(self)
   states[self] = s
   return s
end

function Module:Serial(tensortype)
   return nn.Serial(self, tensortype)
end

------------------------------------------------------------------ training helpers

-- the output size for an input of size insize (a table of sizes or a LongStorage)
function Module:outside(insize)
   local input
   if torch.type(insize) == 'table' then
      input = torch.randn(unpack(insize))
   else
      input = torch.randn(insize)
   end
   return self:updateOutput(input):size()
end

function Module:accept(visitor)
   visitor:visit(self)
end

-- renormalizes the rows (maxOutNorm) and columns (maxInNorm) of every parameter of 2 or more
-- dimensions; a module's own maxOutNorm/maxInNorm fields take precedence
function Module:maxParamNorm(maxOutNorm, maxInNorm)
   maxOutNorm = self.maxOutNorm or maxOutNorm
   maxInNorm = self.maxInNorm or maxInNorm
   if not (maxOutNorm or maxInNorm) then return end
   if self.modules then
      for _, module in ipairs(self.modules) do module:maxParamNorm(maxOutNorm, maxInNorm) end
      return
   end
   local params = self:parameters()
   if not params then return end
   for _, param in pairs(params) do
      if param:dim() > 1 then
         if maxOutNorm and maxOutNorm > 0 then param:renorm(2, 1, maxOutNorm) end
         if maxInNorm and maxInNorm > 0 then param:renorm(2, param:dim(), maxInNorm) end
      end
   end
end

-- rescales the gradients so that their joint L2 norm is at most cutoffNorm; returns the norm
-- (with moduleLocal, each leaf module is clipped on its own)
function Module:gradParamClip(cutoffNorm, moduleLocal)
   cutoffNorm = self.cutoffNorm or cutoffNorm
   if cutoffNorm <= 0 then return end
   if self.moduleLocal ~= nil then moduleLocal = self.moduleLocal end
   local norm = 0
   if moduleLocal and self.modules then
      for _, module in ipairs(self.modules) do
         norm = norm + math.pow(module:gradParamClip(cutoffNorm, moduleLocal), 2)
      end
      return math.sqrt(norm)
   end
   local params, gradParams = self:parameters()
   if not (params and gradParams) then return norm end
   for _, gradParam in pairs(gradParams) do
      norm = norm + math.pow(gradParam:norm(), 2)
   end
   norm = math.sqrt(norm)
   if norm > cutoffNorm then
      for _, gradParam in pairs(gradParams) do gradParam:mul(cutoffNorm / norm) end
   end
   return norm
end

-- adds wdFactor * param to the gradient of every parameter with at least wdMinDim dimensions
function Module:weightDecay(wdFactor, wdMinDim)
   wdFactor = self.wdFactor or wdFactor
   if wdFactor <= 0 then return end
   wdMinDim = self.wdMinDim or wdMinDim or 2
   if self.modules then
      for _, module in ipairs(self.modules) do module:weightDecay(wdFactor, wdMinDim) end
      return
   end
   local params, gradParams = self:parameters()
   if not (params and gradParams) then return end
   for i, param in pairs(params) do
      if param:dim() >= wdMinDim then gradParams[i]:add(wdFactor, param) end
   end
end

-- the momentum buffers, initialized with a copy of the current gradients
function Module:momentumGradParameters()
   if isEmpty(self.momGradParams) then
      local _, gradParams = self:parameters()
      if isEmpty(gradParams) then return end
      self.momGradParams = {}
      for i, gradParam in pairs(gradParams) do
         self.momGradParams[i] = gradParam.new():resizeAs(gradParam):copy(gradParam)
      end
   end
   return self.momGradParams
end

-- momentum on the gradients: mom = momFactor * mom + (1 - momDamp) * grad, then
-- grad = mom (or grad += momFactor * mom with Nesterov momentum)
function Module:updateGradParameters(momFactor, momDamp, momNesterov)
   momFactor = self.momFactor or momFactor
   if momFactor <= 0 then return end
   momDamp = self.momDamp or momDamp or momFactor
   if self.momNesterov ~= nil then momNesterov = self.momNesterov end
   if self.modules then
      for _, module in ipairs(self.modules) do
         module:updateGradParameters(momFactor, momDamp, momNesterov)
      end
      return
   end
   local params, gradParams = self:parameters()
   if isEmpty(params) then return end
   local mom = self:momentumGradParameters()
   for i, gradParam in pairs(gradParams) do
      mom[i]:mul(momFactor):add(1 - momDamp, gradParam)
   end
   for i, gradParam in pairs(gradParams) do
      if momNesterov then
         gradParam:add(momFactor, mom[i])
      else
         gradParam:copy(mom[i])
      end
   end
end

function Module:checkParameters()
   for k, param in pairs(self:parameters() or {}) do
      local s = param:sum()
      if s ~= s then error("NaN Error for param at index" .. k) end
   end
end

function Module:dontBackward()
   local none = function() end
   self.backward = none
   self.updateGradInput = none
   self.accGradParameters = none
   self.accUpdateGradParameters = none
   return self
end

function Module:contiguousInput(input, backward)
   if backward then return self.dpnn_cinput or input end
   if not input:isContiguous() then
      self.dpnn_cinput = self.dpnn_cinput or input.new()
      self.dpnn_cinput:resizeAs(input):copy(input)
      input = self.dpnn_cinput
   end
   return input
end

-- a tensor of nDim dimensions gets a batch dimension of size 1 (remembered for fromBatch)
function Module:toBatch(tensor, nDim, batchDim)
   batchDim = batchDim or 1
   if tensor:dim() == nDim then
      self.dpnn_online = true
      local size = tensor:size():totable()
      table.insert(size, batchDim, 1)
      tensor = tensor:view(unpack(size))
   else
      self.dpnn_online = false
   end
   return tensor
end

function Module:fromBatch(tensor, batchDim)
   if self.dpnn_online then
      local size = tensor:size():totable()
      assert(table.remove(size, batchDim) == 1)
      tensor = tensor:view(unpack(size))
   end
   return tensor
end

-- the most common tensor type among the parameters (nil without parameters)
function Module:extrapolateType()
   local params = self:parameters()
   if not params then return nil end
   local counts, best, bestCount = {}, nil, 0
   for _, param in ipairs(params) do
      local t = torch.type(param)
      counts[t] = (counts[t] or 0) + 1
      if counts[t] > bestCount then best, bestCount = t, counts[t] end
   end
   return best
end

function Module:profile()
   if self.modules then
      for _, module in ipairs(self.modules) do module:profile() end
   end
   self.dpnn_profile = true
end

-- REINFORCE: containers pass the reward down to their modules (nn.Reinforce uses it)
function Module:reinforce(reward)
   if self.modules then
      for _, module in ipairs(self.modules) do module:reinforce(reward) end
   end
end
