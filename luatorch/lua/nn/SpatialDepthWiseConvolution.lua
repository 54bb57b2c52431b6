-- Depth-wise convolution: each of the nInputPlane planes is convolved with its own
-- nOutputPlane kernels (nOutputPlane is the multiplier), giving nInputPlane * nOutputPlane
-- planes; output plane (c - 1) * nOutputPlane + j comes from input plane c and kernel j.
-- weight: nOutputPlane x (nInputPlane * kH * kW), bias: nOutputPlane x nInputPlane.
local SpatialDepthWiseConvolution, parent =
   torch.class('nn.SpatialDepthWiseConvolution', 'nn.Module')
local THNN = nn.THNN

function SpatialDepthWiseConvolution:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH,
                                            padW, padH)
   parent.__init(self)
   self.nInputPlane = nInputPlane
   self.nOutputPlane = nOutputPlane
   self.kW = kW
   self.kH = kH
   self.dW = dW or 1
   self.dH = dH or 1
   self.padW = padW or 0
   self.padH = padH or self.padW
   self.weight = torch.Tensor(nOutputPlane, nInputPlane * kH * kW)
   self.bias = torch.Tensor(nOutputPlane, nInputPlane)
   self.gradWeight = torch.Tensor(nOutputPlane, nInputPlane * kH * kW)
   self.gradBias = torch.Tensor(nOutputPlane, nInputPlane)
   self:reset()
end

function SpatialDepthWiseConvolution:noBias()
   self.bias = nil
   self.gradBias = nil
   return self
end

function SpatialDepthWiseConvolution:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.kW * self.kH * self.nInputPlane)
   end
   self.weight:uniform(-stdv, stdv)
   if self.bias then
      self.bias:uniform(-stdv, stdv)
   end
end

function SpatialDepthWiseConvolution:updateOutput(input)
   THNN.SpatialDepthWiseConvolution_updateOutput(input, self.output, self.weight, self.bias,
      self.kW, self.kH, self.dW, self.dH, self.padW, self.padH)
   return self.output
end

function SpatialDepthWiseConvolution:updateGradInput(input, gradOutput)
   if self.gradInput then
      THNN.SpatialDepthWiseConvolution_updateGradInput(input, gradOutput, self.gradInput,
         self.weight, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH)
      return self.gradInput
   end
end

function SpatialDepthWiseConvolution:accGradParameters(input, gradOutput, scale)
   assert((self.bias and self.gradBias) or (self.bias == nil and self.gradBias == nil))
   THNN.SpatialDepthWiseConvolution_accGradParameters(input, gradOutput, self.gradWeight,
      self.gradBias, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH, scale or 1)
end

function SpatialDepthWiseConvolution:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%d', torch.type(self), self.nInputPlane,
                           self.nOutputPlane, self.kW, self.kH)
   if self.dW ~= 1 or self.dH ~= 1 or self.padW ~= 0 or self.padH ~= 0 then
      s = s .. string.format(', %d,%d', self.dW, self.dH)
   end
   if self.padW ~= 0 or self.padH ~= 0 then
      s = s .. ', ' .. self.padW .. ',' .. self.padH
   end
   if self.bias then
      return s .. ')'
   end
   return s .. ') without bias'
end

function SpatialDepthWiseConvolution:clearState()
   nn.utils.clear(self, 'finput', 'fgradInput', '_input', '_gradOutput')
   return parent.clearState(self)
end
