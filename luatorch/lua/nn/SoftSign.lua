local SoftSign, parent = torch.class('nn.SoftSign', 'nn.Module')
local THNN = nn.THNN

function SoftSign:updateOutput(input)
   THNN.SoftSign_updateOutput(input, self.output)
   return self.output
end

function SoftSign:updateGradInput(input, gradOutput)
   THNN.SoftSign_updateGradInput(input, gradOutput, self.gradInput)
   return self.gradInput
end
