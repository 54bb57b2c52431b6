-- the element-wise maximum of a table of tensors; the gradient goes to the winning input
local CMaxTable, parent = torch.class('nn.CMaxTable', 'nn.Module')
local THNN = nn.THNN

function CMaxTable:__init()
   parent.__init(self)
   self.gradInput = {}
   self.maxIdx = torch.Tensor()
end

function CMaxTable:updateOutput(input)
   for i = 1, #input do
      THNN.CMaxTable_update(self.output, self.maxIdx, input[i], i, self._isMin == true)
   end
   return self.output
end

function CMaxTable:updateGradInput(input, gradOutput)
   for i = 1, #input do
      self.gradInput[i] = self.gradInput[i] or input[i].new()
      THNN.CMaxTable_gradInput(input[i], gradOutput, self.maxIdx, self.gradInput[i], i)
   end
   for i = #input + 1, #self.gradInput do
      self.gradInput[i] = nil
   end
   return self.gradInput
end
