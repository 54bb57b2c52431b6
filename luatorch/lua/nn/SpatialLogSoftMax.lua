local SpatialLogSoftMax, _ = torch.class('nn.SpatialLogSoftMax', 'nn.Module')
local THNN = nn.THNN

-- log-softmax over the feature planes at every spatial position (C x H x W or N x C x H x W)
function SpatialLogSoftMax:updateOutput(input)
   THNN.LogSoftMax_updateOutput(input, self.output)
   return self.output
end

function SpatialLogSoftMax:updateGradInput(input, gradOutput)
   THNN.LogSoftMax_updateGradInput(input, gradOutput, self.gradInput, self.output)
   return self.gradInput
end
