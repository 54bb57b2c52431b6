dofile '../h.lua'
require 'nn'
local mods = {
   {'Conv', function() return nn.SpatialConvolution(3, 4, 3, 3) end},
   {'ConvMM', function() return nn.SpatialConvolutionMM(3, 4, 3, 3) end},
   {'ConvPad', function() return nn.SpatialConvolution(3, 4, 5, 5, 1, 1, 1, 1) end},
   {'FullConv', function() return nn.SpatialFullConvolution(3, 4, 3, 3) end},
   {'Dilated', function() return nn.SpatialDilatedConvolution(3, 4, 3, 3, 1, 1, 0, 0, 2, 2) end},
   {'MaxPool', function() return nn.SpatialMaxPooling(3, 3, 2, 2) end},
   {'AvgPool', function() return nn.SpatialAveragePooling(3, 3, 2, 2) end},
   {'MaxPoolPad', function() return nn.SpatialMaxPooling(2, 2, 2, 2, 1, 1) end},
   {'DilatedMax', function() return nn.SpatialDilatedMaxPooling(2, 2, 1, 1, 0, 0, 2, 2) end},
   {'SBN', function() return nn.SpatialBatchNormalization(3) end},
   {'UpNear', function() return nn.SpatialUpSamplingNearest(2) end},
   {'UpBil', function() return nn.SpatialUpSamplingBilinear(2) end},
   {'ZeroPad', function() return nn.SpatialZeroPadding(1, 1, 1, 1) end},
   {'ReplPad', function() return nn.SpatialReplicationPadding(1, 1, 1, 1) end},
   {'AdaptMax', function() return nn.SpatialAdaptiveMaxPooling(2, 2) end},
   {'AdaptAvg', function() return nn.SpatialAdaptiveAveragePooling(2, 2) end},
   {'VolConv', function() return nn.VolumetricConvolution(3, 4, 2, 2, 2) end},
   {'VolMax', function() return nn.VolumetricMaxPooling(2, 2, 2) end},
   {'VolAvg', function() return nn.VolumetricAveragePooling(2, 2, 2) end},
   {'VolFull', function() return nn.VolumetricFullConvolution(3, 4, 2, 2, 2) end},
   {'TempConv', function() return nn.TemporalConvolution(3, 4, 3) end},
   {'TempMax', function() return nn.TemporalMaxPooling(3) end},
   {'TempSub', function() return nn.TemporalSubSampling(3, 3) end},
   {'LRN', function() return nn.SpatialCrossMapLRN(3) end},
   {'SubSamp', function() return nn.SpatialSubSampling(3, 2, 2) end},
   {'Softmax', function() return nn.SpatialSoftMax() end},
}
local inputs = {
   {'1d', torch.randn(5)},
   {'2d', torch.randn(5, 5)},
   {'planes', torch.randn(2, 5, 5)},
   {'small', torch.randn(3, 2, 2)},
   {'bsmall', torch.randn(2, 3, 1, 1)},
   {'5d', torch.randn(1, 2, 3, 4, 4)},
   {'6d', torch.randn(1, 1, 2, 3, 4, 4)},
}
for _, m in ipairs(mods) do
   for _, inp in ipairs(inputs) do
      perr(m[1] .. ' ' .. inp[1], function() local mm = m[2](); local o = mm:forward(inp[2]); mm:backward(inp[2], o:clone()); return o end)
   end
end
