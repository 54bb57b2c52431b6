-- input {x1, x2}: y = x1 . x2 (per row for matrices)
local DotProduct, parent = torch.class('nn.DotProduct', 'nn.Module')
local THNN = nn.THNN

function DotProduct:__init()
   parent.__init(self)
   self.gradInput = {torch.Tensor(), torch.Tensor()}
end

function DotProduct:updateOutput(input)
   THNN.DotProduct_updateOutput(input[1], input[2], self.output)
   return self.output
end

function DotProduct:updateGradInput(input, gradOutput)
   self.gradInput[1] = self.gradInput[1] or input[1].new()
   self.gradInput[2] = self.gradInput[2] or input[2].new()
   THNN.DotProduct_updateGradInput(input[1], input[2], gradOutput, self.gradInput[1],
                                   self.gradInput[2])
   -- gradInput tables keep exactly two entries
   for i = #self.gradInput, 3, -1 do self.gradInput[i] = nil end
   return self.gradInput
end
