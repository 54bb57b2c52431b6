-- input {x1, x2}: y = || x1 - x2 ||_p (per row for matrices)
local PairwiseDistance, parent = torch.class('nn.PairwiseDistance', 'nn.Module')
local THNN = nn.THNN

function PairwiseDistance:__init(p)
   parent.__init(self)
   -- state
   self.gradInput = {}
   self.diff = torch.Tensor()
   self.norm = p or 2 -- Default using Euclidean distance
end

function PairwiseDistance:updateOutput(input)
   THNN.PairwiseDistance_updateOutput(input[1], input[2], self.output, self.norm)
   return self.output
end

function PairwiseDistance:updateGradInput(input, gradOutput)
   self.gradInput[1] = self.gradInput[1] or input[1].new()
   self.gradInput[2] = self.gradInput[2] or input[2].new()
   THNN.PairwiseDistance_updateGradInput(input[1], input[2], gradOutput, self.output,
                                         self.gradInput[1], self.gradInput[2], self.norm)
   return self.gradInput
end

function PairwiseDistance:clearState()
   nn.utils.clear(self, 'diff')
   return parent.clearState(self)
end
