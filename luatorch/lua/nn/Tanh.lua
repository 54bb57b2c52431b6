local Tanh, _ = torch.class('nn.Tanh', 'nn.Module')
local THNN = nn.THNN

function Tanh:updateOutput(input)
   THNN.Tanh_updateOutput(input, self.output)
   return self.output
end

function Tanh:updateGradInput(input, gradOutput)
   THNN.Tanh_updateGradInput(input, gradOutput, self.gradInput, self.output)
   return self.gradInput
end
