-- Gated Recurrent Unit. One step maps {x(t), s(t-1)} to s(t):
--   r = sigmoid(Wr x + Ur s)        z = sigmoid(Wz x + Uz s)
--   h = tanh(W x + U (r * s))       s(t) = (1 - z) * h + z * s(t-1)
-- p > 0 applies (lazy) dropout to the inputs of every linear map, as in Gal's BayesianRNN.
local GRU, parent = torch.class('nn.GRU', 'nn.AbstractRecurrent')

function GRU:__init(inputSize, outputSize, rho, p, mono)
   parent.__init(self, rho or 9999)
   self.p = p or 0
   if p and p ~= 0 then
      assert(nn.Dropout(p, false, false, true).lazy, 'only work with Lazy Dropout!')
   end
   self.mono = mono or false
   self.inputSize = inputSize
   self.outputSize = outputSize
   self.recurrentModule = self:buildModel()
   self.modules[1] = self.recurrentModule
   self.sharedClones[1] = self.recurrentModule
   self.zeroTensor = torch.Tensor()
   self.cells = {}
   self.gradCells = {}
end

function GRU:dropout()
   return nn.Dropout(self.p, false, false, true, self.mono)
end

function GRU:droppedLinears(inputSize, linear)
   return nn.Sequential()
      :add(nn.ConcatTable():add(self:dropout()):add(self:dropout()))
      :add(nn.ParallelTable()
         :add(linear(inputSize, self.outputSize))
         :add(linear(inputSize, self.outputSize)))
      :add(nn.JoinTable(2))
end

function GRU:buildModel()
   if self.p ~= 0 then
      self.i2g = self:droppedLinears(self.inputSize, nn.Linear)
      self.o2g = self:droppedLinears(self.outputSize, nn.LinearNoBias)
   else
      self.i2g = nn.Linear(self.inputSize, 2 * self.outputSize)
      self.o2g = nn.LinearNoBias(self.outputSize, 2 * self.outputSize)
   end
   -- {x, s} -> {r, z}
   local gates = nn.Sequential()
      :add(nn.ParallelTable():add(self.i2g):add(self.o2g))
      :add(nn.CAddTable())
      :add(nn.Reshape(2, self.outputSize))
      :add(nn.SplitTable(1, 2))
      :add(nn.ParallelTable():add(nn.Sigmoid()):add(nn.Sigmoid()))
   local seq = nn.Sequential()
   -- {x, s, r, z}, then {x, s, r, z, s}
   seq:add(nn.ConcatTable():add(nn.Identity()):add(gates))
   seq:add(nn.FlattenTable())
   seq:add(nn.ConcatTable():add(nn.NarrowTable(1, 4)):add(nn.SelectTable(2)))
   seq:add(nn.FlattenTable())
   -- h = tanh(W x + U (s * r))
   local fromInput = nn.Sequential():add(nn.SelectTable(1))
   local fromState = nn.Sequential():add(nn.NarrowTable(2, 2)):add(nn.CMulTable())
   if self.p ~= 0 then
      fromInput:add(self:dropout())
      fromState:add(self:dropout())
   end
   fromInput:add(nn.Linear(self.inputSize, self.outputSize))
   fromState:add(nn.LinearNoBias(self.outputSize, self.outputSize))
   local hidden = nn.Sequential()
      :add(nn.ConcatTable():add(fromInput):add(fromState))
      :add(nn.CAddTable())
      :add(nn.Tanh())
   -- 1 - z (SAdd computes -(z - 1)) and z * s
   local oneMinusZ = nn.Sequential():add(nn.SelectTable(4)):add(nn.SAdd(-1, true))
   local zs = nn.Sequential():add(nn.NarrowTable(4, 2)):add(nn.CMulTable())
   local hPart = nn.Sequential()
      :add(nn.ConcatTable():add(hidden):add(oneMinusZ))
      :add(nn.CMulTable())
   seq:add(nn.Sequential()
      :add(nn.ConcatTable():add(hPart):add(zs))
      :add(nn.CAddTable()))
   return seq
end

function GRU:getHiddenState(step, input)
   local prevOutput
   if step == 0 then
      prevOutput = self.userPrevOutput or self.outputs[step] or self.zeroTensor
      if input then
         if input:dim() == 2 then
            self.zeroTensor:resize(input:size(1), self.outputSize):zero()
         else
            self.zeroTensor:resize(self.outputSize):zero()
         end
      end
   else
      prevOutput = self.outputs[step]
   end
   return prevOutput
end

function GRU:setHiddenState(step, hiddenState)
   assert(torch.isTensor(hiddenState))
   self.outputs[step] = hiddenState
end

function GRU:updateOutput(input)
   local prevOutput = self:getHiddenState(self.step - 1, input)
   return self:endStep(self:forwardStep{input, prevOutput})
end

function GRU:getGradHiddenState(step)
   if step == self.step - 1 then
      return self.userNextGradOutput or self.gradOutputs[step] or self.zeroTensor
   end
   return self.gradOutputs[step]
end

function GRU:setGradHiddenState(step, gradHiddenState)
   assert(torch.isTensor(gradHiddenState))
   self.gradOutputs[step] = gradHiddenState
end

function GRU:_updateGradInput(input, gradOutput)
   assert(self.step > 1, "expecting at least one updateOutput")
   local step = self.updateGradInputStep - 1
   assert(step >= 1)
   local module = self:getStepModule(step)
   local nextGradOutput = self:getGradHiddenState(step)
   assert(nextGradOutput)
   gradOutput = self:stepGradOutput(step, nextGradOutput, gradOutput)
   local gradInputTable = module:updateGradInput({input, self:getHiddenState(step - 1)}, gradOutput)
   self:setGradHiddenState(step - 1, gradInputTable[2])
   return gradInputTable[1]
end

function GRU:_accGradParameters(input, gradOutput, scale)
   local step = self.accGradParametersStep - 1
   assert(step >= 1)
   local module = self:getStepModule(step)
   gradOutput = self._gradOutputs[step] or self:getGradHiddenState(step)
   module:accGradParameters({input, self:getHiddenState(step - 1)}, gradOutput, scale)
end

function GRU:__tostring__()
   return string.format('%s(%d -> %d, %.2f)', torch.type(self), self.inputSize, self.outputSize,
                        self.p)
end

-- loads the 6 parameters of a GRU with p == 0 into this GRU with dropout (9 parameters)
function GRU:migrate(params)
   local own = self:parameters()
   assert(self.p ~= 0, 'only support for BGRUs.')
   assert(#params == 6, '# of source params should be 6.')
   assert(#own == 9, '# of destination params should be 9.')
   local H = self.outputSize
   own[1]:copy(params[1]:narrow(1, 1, H))
   own[2]:copy(params[2]:narrow(1, 1, H))
   own[3]:copy(params[1]:narrow(1, H + 1, H))
   own[4]:copy(params[2]:narrow(1, H + 1, H))
   own[5]:copy(params[3]:narrow(1, 1, H))
   own[6]:copy(params[3]:narrow(1, H + 1, H))
   own[7]:copy(params[4])
   own[8]:copy(params[5])
   own[9]:copy(params[6])
end
