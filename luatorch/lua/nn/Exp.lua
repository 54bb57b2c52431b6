local Exp, parent = torch.class('nn.Exp', 'nn.Module')
local THNN = nn.THNN

function Exp:updateOutput(input)
   THNN.Exp_updateOutput(input, self.output)
   return self.output
end

function Exp:updateGradInput(input, gradOutput)
   THNN.Exp_updateGradInput(input, gradOutput, self.gradInput, self.output)
   return self.gradInput
end
