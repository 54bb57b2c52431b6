-- input {A, B}: A * B for matrices, or batches of them (3D); transA/transB transpose first
local MM, parent = torch.class('nn.MM', 'nn.Module')
local THNN = nn.THNN

function MM:__init(transA, transB)
   parent.__init(self)
   self.transA = transA or false
   self.transB = transB or false
   self.gradInput = {torch.Tensor(), torch.Tensor()}
end

function MM:updateOutput(input)
   assert(#input == 2, 'input must be a pair of minibatch matrices')
   THNN.MM_updateOutput(input[1], input[2], self.output, self.transA, self.transB)
   return self.output
end

function MM:updateGradInput(input, gradOutput)
   self.gradInput[1] = self.gradInput[1] or input[1].new()
   self.gradInput[2] = self.gradInput[2] or input[2].new()
   assert(#input == 2, 'input must be a pair of tensors')
   THNN.MM_updateGradInput(input[1], input[2], gradOutput, self.gradInput[1], self.gradInput[2],
                           self.transA, self.transB)
   return self.gradInput
end
