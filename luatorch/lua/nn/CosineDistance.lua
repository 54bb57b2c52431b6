-- input {x1, x2}: y = cos(x1, x2) (per row for matrices)
local CosineDistance, parent = torch.class('nn.CosineDistance', 'nn.Module')
local THNN = nn.THNN

function CosineDistance:__init()
   parent.__init(self)
   self.gradInput = {torch.Tensor(), torch.Tensor()}
end

function CosineDistance:updateOutput(input)
   THNN.CosineDistance_updateOutput(input[1], input[2], self.output)
   return self.output
end

function CosineDistance:updateGradInput(input, gradOutput)
   self.gradInput[1] = self.gradInput[1] or input[1].new()
   self.gradInput[2] = self.gradInput[2] or input[2].new()
   THNN.CosineDistance_updateGradInput(input[1], input[2], gradOutput, self.gradInput[1],
                                       self.gradInput[2])
   return self.gradInput
end
