local Abs, parent = torch.class('nn.Abs', 'nn.Module')
local THNN = nn.THNN

function Abs:updateOutput(input)
   THNN.Abs_updateOutput(input, self.output)
   return self.output
end

function Abs:updateGradInput(input, gradOutput)
   THNN.Abs_updateGradInput(input, gradOutput, self.gradInput)
   return self.gradInput
end
