local SpatialAdaptiveMaxPooling, parent =
   torch.class('nn.SpatialAdaptiveMaxPooling', 'nn.Module')
local THNN = nn.THNN

function SpatialAdaptiveMaxPooling:__init(W, H)
   parent.__init(self)
   self.W = W
   self.H = H
end

function SpatialAdaptiveMaxPooling:updateOutput(input)
   if torch.type(self.indices) ~= 'torch.LongTensor' then self.indices = torch.LongTensor() end
   THNN.SpatialAdaptiveMaxPooling_updateOutput(input, self.output, self.indices, self.W, self.H)
   return self.output
end

function SpatialAdaptiveMaxPooling:updateGradInput(input, gradOutput)
   THNN.SpatialAdaptiveMaxPooling_updateGradInput(input, gradOutput, self.gradInput,
      self.indices)
   return self.gradInput
end

function SpatialAdaptiveMaxPooling:empty()
   self:clearState()
end

function SpatialAdaptiveMaxPooling:clearState()
   if self.indices then self.indices:set() end
   return parent.clearState(self)
end
