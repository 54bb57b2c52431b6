local LogSoftMax, parent = torch.class('nn.LogSoftMax', 'nn.Module')
local THNN = nn.THNN

function LogSoftMax:updateOutput(input)
   THNN.LogSoftMax_updateOutput(input, self.output)
   return self.output
end

function LogSoftMax:updateGradInput(input, gradOutput)
   THNN.LogSoftMax_updateGradInput(input, gradOutput, self.gradInput, self.output)
   return self.gradInput
end
