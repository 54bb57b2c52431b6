local SpatialSoftMax, _ = torch.class('nn.SpatialSoftMax', 'nn.Module')
local THNN = nn.THNN

-- softmax over the feature planes at every spatial position (3D: C x H x W, 4D: N x C x H x W)
function SpatialSoftMax:updateOutput(input)
   THNN.SoftMax_updateOutput(input, self.output)
   return self.output
end

function SpatialSoftMax:updateGradInput(input, gradOutput)
   THNN.SoftMax_updateGradInput(input, gradOutput, self.gradInput, self.output)
   return self.gradInput
end
