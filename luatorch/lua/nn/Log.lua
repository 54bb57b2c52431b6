local Log, parent = torch.class('nn.Log', 'nn.Module')
local THNN = nn.THNN

function Log:updateOutput(input)
   THNN.Log_updateOutput(input, self.output)
   return self.output
end

function Log:updateGradInput(input, gradOutput)
   THNN.Log_updateGradInput(input, gradOutput, self.gradInput)
   return self.gradInput
end
