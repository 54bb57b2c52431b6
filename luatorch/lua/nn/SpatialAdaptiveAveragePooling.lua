local SpatialAdaptiveAveragePooling, parent =
   torch.class('nn.SpatialAdaptiveAveragePooling', 'nn.Module')
local THNN = nn.THNN

function SpatialAdaptiveAveragePooling:__init(W, H)
   parent.__init(self)
   self.W = W
   self.H = H
end

function SpatialAdaptiveAveragePooling:updateOutput(input)
   THNN.SpatialAdaptiveAveragePooling_updateOutput(input, self.output, self.W, self.H)
   return self.output
end

function SpatialAdaptiveAveragePooling:updateGradInput(input, gradOutput)
   if self.gradInput then
      THNN.SpatialAdaptiveAveragePooling_updateGradInput(input, gradOutput, self.gradInput)
      return self.gradInput
   end
end
