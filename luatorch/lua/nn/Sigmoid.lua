local Sigmoid, _ = torch.class('nn.Sigmoid', 'nn.Module')
local THNN = nn.THNN

function Sigmoid:updateOutput(input)
   THNN.Sigmoid_updateOutput(input, self.output)
   return self.output
end

function Sigmoid:updateGradInput(input, gradOutput)
   THNN.Sigmoid_updateGradInput(input, gradOutput, self.gradInput, self.output)
   return self.gradInput
end
