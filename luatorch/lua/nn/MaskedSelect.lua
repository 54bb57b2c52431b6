-- input {tensor, ByteTensor mask}: the 1D tensor of the elements where mask is 1
local MaskedSelect, parent = torch.class('nn.MaskedSelect', 'nn.Module')
local THNN = nn.THNN

function MaskedSelect:__init()
   parent.__init(self)
   self._maskIndices = torch.LongTensor()
   self._maskIndexBuffer = torch.LongTensor()
   self._maskIndexBufferCPU = torch.FloatTensor()
   self._gradBuffer = torch.Tensor()
   self._gradMask = torch.ByteTensor()
end

function MaskedSelect:updateOutput(input)
   local input, mask = input[1], input[2]
   THNN.MaskedSelect_updateOutput(input, mask, self.output)
   return self.output
end

function MaskedSelect:updateGradInput(input, gradOutput)
   local input, mask = input[1], input[2]
   self._gradBuffer = self._gradBuffer:typeAs(input)
   self._gradMask = self._gradMask:typeAs(mask)
   THNN.MaskedSelect_updateGradInput(input, mask, gradOutput, self._gradBuffer, self._gradMask)
   self.gradInput = {self._gradBuffer, self._gradMask}
   return self.gradInput
end

function MaskedSelect:accGradParameters(input, gradOutput, scale)
end

function MaskedSelect:clearState()
   return nn.utils.clear(self, {'output', 'gradInput', '_maskIndexBuffer', '_maskIndexBufferCPU',
                                '_maskIndices', '_gradBuffer', '_gradMask'})
end
