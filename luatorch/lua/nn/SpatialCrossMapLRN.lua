local SpatialCrossMapLRN, parent = torch.class('nn.SpatialCrossMapLRN', 'nn.Module')
local THNN = nn.THNN

function SpatialCrossMapLRN:__init(size, alpha, beta, k)
   parent.__init(self)
   self.size = size
   self.alpha = alpha or 0.0001
   self.beta = beta or 0.75
   self.k = k or 1
end

function SpatialCrossMapLRN:updateOutput(input)
   assert(input:dim() == 3 or input:dim() == 4, 'Input must be 3D or 4D')
   self.scale = self.scale or input.new()
   THNN.SpatialCrossMapLRN_updateOutput(input, self.output, self.scale, self.size, self.alpha,
      self.beta, self.k)
   return self.output
end

function SpatialCrossMapLRN:updateGradInput(input, gradOutput)
   assert(input:dim() == 3 or input:dim() == 4, 'Input must be 3D or 4D')
   THNN.SpatialCrossMapLRN_updateGradInput(input, gradOutput, self.gradInput, self.scale,
      self.output, self.size, self.alpha, self.beta, self.k)
   return self.gradInput
end

function SpatialCrossMapLRN:clearState()
   nn.utils.clear(self, 'scale', 'paddedRatio', 'accumRatio')
   return parent.clearState(self)
end
