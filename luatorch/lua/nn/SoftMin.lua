local SoftMin, parent = torch.class('nn.SoftMin', 'nn.Module')
local THNN = nn.THNN

-- softmax of -input, as Torch computes it: -input kept in self.mininput, SoftMax's kernels on
-- it, the gradient negated
function SoftMin:updateOutput(input)
   self.mininput = self.mininput or input.new()
   self.mininput:resizeAs(input):copy(input):mul(-1)
   THNN.SoftMax_updateOutput(self.mininput, self.output)
   return self.output
end

function SoftMin:updateGradInput(input, gradOutput)
   self.mininput = self.mininput or input.new()
   self.mininput:resizeAs(input):copy(input):mul(-1)
   THNN.SoftMax_updateGradInput(self.mininput, gradOutput, self.gradInput, self.output)
   self.gradInput:mul(-1)
   return self.gradInput
end

function SoftMin:clearState()
   if self.mininput then self.mininput:set() end
   return parent.clearState(self)
end
