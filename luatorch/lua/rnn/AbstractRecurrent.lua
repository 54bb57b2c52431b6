-- The base of recurrent modules. Each call to forward is one time-step: step t runs the t-th
-- clone of self.recurrentModule (clones share parameters, see Module:stepClone), keeping its
-- output for step t+1. Calls to backward then go back in time, one step per call, in reverse
-- order. forget() starts a new sequence. Only the last rho steps are kept for BPTT.
local AbstractRecurrent, parent = torch.class('nn.AbstractRecurrent', 'nn.Container')

-- stepClone shares (does not copy) recurrent modules nested in a step's module
AbstractRecurrent.dpnn_stepclone = true

function AbstractRecurrent:__init(rho)
   parent.__init(self)
   self.rho = rho or 99999
   self.outputs = {}
   self.gradInputs = {}
   self._gradOutputs = {}
   self.gradOutputs = {}
   self.step = 1
   -- step -> the clone of recurrentModule used at that step
   self.sharedClones = {}
   self:reset()
end

local function countKeys(t)
   local n = 0
   for _ in pairs(t) do n = n + 1 end
   return n
end

function AbstractRecurrent:getStepModule(step)
   assert(step, "expecting step at arg 1")
   local module = self.sharedClones[step]
   if not module then
      module = self.recurrentModule:stepClone()
      self.sharedClones[step] = module
      self.nSharedClone = countKeys(self.sharedClones)
   end
   return module
end

function AbstractRecurrent:maskZero(nInputDim)
   self.recurrentModule = nn.MaskZero(self.recurrentModule, nInputDim, true)
   self.sharedClones = {self.recurrentModule}
   self.modules[1] = self.recurrentModule
   return self
end

function AbstractRecurrent:trimZero(nInputDim)
   if torch.typename(self) == 'nn.GRU' and self.p ~= 0 then
      assert(self.mono, "TrimZero for BGRU needs `mono` option.")
   end
   self.recurrentModule = nn.TrimZero(self.recurrentModule, nInputDim, true)
   self.sharedClones = {self.recurrentModule}
   self.modules[1] = self.recurrentModule
   return self
end

-- one time-step forward on stepInput: the step's own clone in training (recycling the one that
-- falls out of the BPTT window), the recurrentModule itself in evaluation
function AbstractRecurrent:forwardStep(stepInput)
   if self.train ~= false then
      self:recycle()
      return self:getStepModule(self.step):updateOutput(stepInput)
   end
   return self.recurrentModule:updateOutput(stepInput)
end

-- keeps output as the current step's and moves on to the next step (a later backward call
-- starts again from the last step)
function AbstractRecurrent:endStep(output)
   self.outputs[self.step] = output
   self.output = output
   self.step = self.step + 1
   self.gradPrevOutput = nil
   self.updateGradInputStep = nil
   self.accGradParametersStep = nil
   return self.output
end

-- the gradient of step's output: from the loss at that step plus from the next step
function AbstractRecurrent:stepGradOutput(step, nextGradOutput, gradOutput)
   self._gradOutputs[step] = rnn.recursiveCopy(self._gradOutputs[step], nextGradOutput)
   rnn.recursiveAdd(self._gradOutputs[step], gradOutput)
   return self._gradOutputs[step]
end

-- subclasses implement _updateGradInput/_accGradParameters for the step being revisited
function AbstractRecurrent:updateGradInput(input, gradOutput)
   self.updateGradInputStep = self.updateGradInputStep or self.step
   self.gradInput = self:_updateGradInput(input, gradOutput)
   self.updateGradInputStep = self.updateGradInputStep - 1
   self.gradInputs[self.updateGradInputStep] = self.gradInput
   return self.gradInput
end

function AbstractRecurrent:accGradParameters(input, gradOutput, scale)
   assert(self.updateGradInputStep < self.step, "Missing updateGradInput")
   self.accGradParametersStep = self.accGradParametersStep or self.step
   self:_accGradParameters(input, gradOutput, scale)
   self.accGradParametersStep = self.accGradParametersStep - 1
end

-- reuse the clone (and buffers) of the step that falls out of the BPTT window
function AbstractRecurrent:recycle(offset)
   self.nSharedClone = self.nSharedClone or countKeys(self.sharedClones)
   local rho = math.max(self.rho + 1, self.nSharedClone)
   local step = self.step
   if self.sharedClones[step] == nil then
      self.sharedClones[step] = self.sharedClones[step - rho]
      self.sharedClones[step - rho] = nil
      self._gradOutputs[step] = self._gradOutputs[step - rho]
      self._gradOutputs[step - rho] = nil
   end
   self.outputs[step - rho - 1] = nil
   self.gradInputs[step - rho - 1] = nil
   return self
end

function AbstractRecurrent:clearState()
   self:forget()
   nn.utils.clear(self, '_input', '_gradOutput', '_gradOutputs', 'gradPrevOutput', 'cell', 'cells',
                  'gradCells', 'outputs', 'gradInputs', 'gradOutputs')
   for _, clone in ipairs(self.sharedClones) do clone:clearState() end
   self.recurrentModule:clearState()
   return parent.clearState(self)
end

-- the values of t in key order, renumbered 1..n
local function compact(t)
   local keys = {}
   for k in pairs(t) do keys[#keys + 1] = k end
   table.sort(keys)
   local out = {}
   for i, k in ipairs(keys) do out[i] = t[k] end
   return out
end

function AbstractRecurrent:forget()
   parent.forget(self)
   if self.train ~= false then
      self.outputs = {}
      self.gradInputs = {}
      self.sharedClones = compact(self.sharedClones)
      self._gradOutputs = compact(self._gradOutputs)
      self.gradOutputs = {}
      if self.cells then
         self.cells = {}
         self.gradCells = {}
      end
   end
   self.step = 1
   if not self.rmInSharedClones then
      -- recurrentModule must be one of the clones (it holds the parameters others view)
      local nClone, maxIdx = 0, 1
      for k, v in pairs(self.sharedClones) do
         if v == self.recurrentModule then
            self.rmInSharedClones = true
            maxIdx = math.max(k, maxIdx)
         end
         nClone = nClone + 1
      end
      if nClone > 1 and not self.rmInSharedClones then
         print"WARNING : recurrentModule should be added to sharedClones in constructor."
         print"Adding it for you."
         assert(torch.type(self.sharedClones[maxIdx]) == torch.type(self.recurrentModule))
         self.recurrentModule = self.sharedClones[maxIdx]
         self.rmInSharedClones = true
      end
   end
   return self
end

-- runs f with self.modules temporarily holding the step clones too (for type, training, ...)
function AbstractRecurrent:includingSharedClones(f)
   local modules, sharedClones = self.modules, self.sharedClones
   self.sharedClones = nil
   self.modules = {}
   for _, list in ipairs{modules, sharedClones} do
      for _, module in pairs(list or {}) do table.insert(self.modules, module) end
   end
   local r = {f()}
   self.modules = modules
   self.sharedClones = sharedClones
   return unpack(r)
end

function AbstractRecurrent:type(typename, tensorcache)
   return self:includingSharedClones(function()
      return parent.type(self, typename, tensorcache)
   end)
end

function AbstractRecurrent:training()
   return self:includingSharedClones(function() return parent.training(self) end)
end

function AbstractRecurrent:evaluate()
   return self:includingSharedClones(function() return parent.evaluate(self) end)
end

-- a table (or a tensor whose first dimension is time) gives one reward per step, last first
function AbstractRecurrent:reinforce(reward)
   local n
   if torch.type(reward) == 'table' then
      n = #reward
   elseif torch.isTensor(reward) and reward:dim() >= 2 then
      n = reward:size(1)
   else
      return self:includingSharedClones(function() return parent.reinforce(self, reward) end)
   end
   assert(self.step > n)
   local r = n
   for step = self.step - 1, self.step - n, -1 do
      self:getStepModule(step):reinforce(reward[r])
      r = r - 1
   end
end

function AbstractRecurrent:setOutputStep(step)
   self.output = self.outputs[step]
   assert(self.output, "no output for step " .. step)
   self.gradInput = self.gradInputs[step]
end

function AbstractRecurrent:maxBPTTstep(rho)
   self.rho = rho
end

function AbstractRecurrent:getHiddenState(step, input) error"Not Implemented" end
function AbstractRecurrent:setHiddenState(step, hiddenState) error"Not Implemented" end
function AbstractRecurrent:getGradHiddenState(step, input) error"Not Implemented" end
function AbstractRecurrent:setGradHiddenState(step, hiddenState) error"Not Implemented" end

AbstractRecurrent.recursiveResizeAs = rnn.recursiveResizeAs
AbstractRecurrent.recursiveSet = rnn.recursiveSet
AbstractRecurrent.recursiveCopy = rnn.recursiveCopy
AbstractRecurrent.recursiveAdd = rnn.recursiveAdd
AbstractRecurrent.recursiveTensorEq = rnn.recursiveTensorEq
AbstractRecurrent.recursiveNormal = rnn.recursiveNormal

-- the old explicit BPTT calls: backward is now called once per step instead
for _, name in ipairs{'backwardThroughTime', 'updateGradInputThroughTime',
                      'accGradParametersThroughTime', 'accUpdateGradParametersThroughTime',
                      'backwardUpdateThroughTime'} do
   AbstractRecurrent[name] = function() error"DEPRECATED Jan 8, 2016" end
end

function AbstractRecurrent:__tostring__()
   if self.inputSize and self.outputSize then
      return self.__typename .. string.format("(%d -> %d)", self.inputSize, self.outputSize)
   end
   return parent.__tostring__(self)
end
