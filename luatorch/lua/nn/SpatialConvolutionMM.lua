-- The same layer as nn.SpatialConvolution, with Torch's older layout: the weight is a matrix
-- nOutputPlane x (nInputPlane*kH*kW). The kernels take either layout, so only __init differs.
require 'nn.SpatialConvolution'
local SpatialConvolutionMM, _ = torch.class('nn.SpatialConvolutionMM', 'nn.Module')
local SpatialConvolution = nn.SpatialConvolution

for _, name in ipairs({'noBias', 'reset', 'updateOutput', 'updateGradInput',
                       'accGradParameters', 'type', '__tostring__', 'clearState'}) do
   SpatialConvolutionMM[name] = SpatialConvolution[name]
end

function SpatialConvolutionMM:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
   -- same fields and the same random draws as SpatialConvolution's reset
   SpatialConvolution.__init(self, nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
   self.weight = self.weight:view(nOutputPlane, nInputPlane * kH * kW)
   self.gradWeight = self.gradWeight:view(nOutputPlane, nInputPlane * kH * kW)
end
