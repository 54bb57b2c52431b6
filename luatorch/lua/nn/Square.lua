local Square, parent = torch.class('nn.Square', 'nn.Module')
local THNN = nn.THNN

function Square:updateOutput(input)
   THNN.Square_updateOutput(input, self.output)
   return self.output
end

function Square:updateGradInput(input, gradOutput)
   THNN.Square_updateGradInput(input, gradOutput, self.gradInput)
   return self.gradInput
end
