-- A recurrence of any module taking {x(t), h(t-1)} and giving h(t). outputSize (a number, a
-- table of sizes or a LongStorage; nested tables for a table state) gives the shape of the
-- zero h(0); nInputDim is the number of dimensions of a non-batch input.
local Recurrence, parent = torch.class('nn.Recurrence', 'nn.AbstractRecurrent')

function Recurrence:__init(recurrentModule, outputSize, nInputDim, rho)
   parent.__init(self, rho or 9999)
   local ts = torch.type(outputSize)
   assert(ts == 'table' or ts == 'torch.LongStorage' or ts == 'number', "Unsupported size type")
   self.outputSize = ts == 'number' and {outputSize} or outputSize
   assert(torch.type(nInputDim) == 'number', "Expecting nInputDim number for arg 2")
   self.nInputDim = nInputDim
   assert(torch.isTypeOf(recurrentModule, 'nn.Module'),
          "Expecting recurrenModule nn.Module for arg 3")
   self.recurrentModule = recurrentModule
   self.module = recurrentModule
   self.modules[1] = recurrentModule
   self.sharedClones[1] = recurrentModule
   self.typeTensor = torch.Tensor()
end

-- zeros of the given size (with a leading batch dimension when batchSize), nested as size is
function Recurrence:recursiveResizeZero(tensor, size, batchSize)
   local isTable = torch.type(size) == 'table'
   if isTable and torch.type(size[1]) ~= 'number' then
      tensor = (torch.type(tensor) == 'table') and tensor or {}
      for k, v in ipairs(size) do
         tensor[k] = self:recursiveResizeZero(tensor[k], v, batchSize)
      end
      return tensor
   end
   local dims
   if torch.type(size) == 'torch.LongStorage' then
      dims = size:totable()
   elseif isTable then
      dims = size
   else
      error("Unknown size type : " .. torch.type(size))
   end
   tensor = torch.isTensor(tensor) and tensor or self.typeTensor.new()
   if batchSize then
      tensor:resize(batchSize, unpack(dims))
   else
      tensor:resize(unpack(dims))
   end
   return tensor:zero()
end

function Recurrence:getBatchSize(input, nInputDim)
   nInputDim = nInputDim or self.nInputDim
   if torch.type(input) == 'table' then return self:getBatchSize(input[1]) end
   assert(torch.isTensor(input))
   if input:dim() == nInputDim then
      return nil
   elseif input:dim() - 1 == nInputDim then
      return input:size(1)
   end
   error("inconsitent tensor dims " .. input:dim())
end

function Recurrence:getHiddenState(step, input)
   local prevOutput
   if step == 0 then
      if input then
         self.zeroTensor = self:recursiveResizeZero(self.zeroTensor, self.outputSize,
                                                    self:getBatchSize(input))
      end
      prevOutput = self.userPrevOutput or self.outputs[step] or self.zeroTensor
   else
      prevOutput = self.outputs[step]
   end
   -- the hidden states of recurrent modules inside the recurrent module
   return {prevOutput, nn.Container.getHiddenState(self, step)}
end

function Recurrence:setHiddenState(step, hiddenState)
   assert(torch.type(hiddenState) == 'table')
   assert(#hiddenState >= 1)
   self.outputs[step] = hiddenState[1]
   if hiddenState[2] then nn.Container.setHiddenState(self, step, hiddenState[2]) end
end

function Recurrence:updateOutput(input)
   local prevOutput = self:getHiddenState(self.step - 1, input)[1]
   return self:endStep(self:forwardStep{input, prevOutput})
end

function Recurrence:getGradHiddenState(step)
   local gradOutput
   if step == self.step - 1 then
      gradOutput = self.userNextGradOutput or self.gradOutputs[step] or self.zeroTensor
   else
      gradOutput = self.gradOutputs[step]
   end
   return {gradOutput, nn.Container.getGradHiddenState(self, step)}
end

function Recurrence:setGradHiddenState(step, gradHiddenState)
   assert(torch.type(gradHiddenState) == 'table')
   assert(#gradHiddenState >= 1)
   self.gradOutputs[step] = gradHiddenState[1]
   if gradHiddenState[2] then nn.Container.setGradHiddenState(self, step, gradHiddenState[2]) end
end

function Recurrence:_updateGradInput(input, gradOutput)
   assert(self.step > 1, "expecting at least one updateOutput")
   local step = self.updateGradInputStep - 1
   assert(step >= 1)
   local module = self:getStepModule(step)
   local nextGradOutput = self:getGradHiddenState(step)[1]
   gradOutput = self:stepGradOutput(step, nextGradOutput, gradOutput)
   local gradInputTable = module:updateGradInput({input, self:getHiddenState(step - 1)[1]}, gradOutput)
   local rest = {}
   for i = 2, #gradInputTable do rest[#rest + 1] = gradInputTable[i] end
   self:setGradHiddenState(step - 1, rest)
   return gradInputTable[1]
end

function Recurrence:_accGradParameters(input, gradOutput, scale)
   local step = self.accGradParametersStep - 1
   assert(step >= 1)
   local module = self:getStepModule(step)
   gradOutput = self._gradOutputs[step] or self:getGradHiddenState(step)[1]
   module:accGradParameters({input, self:getHiddenState(step - 1)[1]}, gradOutput, scale)
end

Recurrence.__tostring__ = nn.Decorator.__tostring__
