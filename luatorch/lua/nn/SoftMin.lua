local SoftMin, parent = torch.class('nn.SoftMin', 'nn.Module')
local THNN = nn.THNN

-- softmax of -input

function SoftMin:updateOutput(input)
   THNN.SoftMin_updateOutput(input, self.output)
   return self.output
end

function SoftMin:updateGradInput(input, gradOutput)
   THNN.SoftMin_updateGradInput(input, gradOutput, self.gradInput, self.output)
   return self.gradInput
end
