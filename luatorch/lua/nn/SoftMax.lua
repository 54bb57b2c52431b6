local SoftMax, parent = torch.class('nn.SoftMax', 'nn.Module')
local THNN = nn.THNN

function SoftMax:updateOutput(input)
   THNN.SoftMax_updateOutput(input, self.output)
   return self.output
end

function SoftMax:updateGradInput(input, gradOutput)
   THNN.SoftMax_updateGradInput(input, gradOutput, self.gradInput, self.output)
   return self.gradInput
end
