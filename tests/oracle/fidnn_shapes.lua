-- Spatial, volumetric and temporal modules given inputs of the wrong dimension, too few planes
-- or too small: THNN's checks in its words (an argument check on the input reads "bad argument
-- #2 to 'v' (...)" in Torch7: its FFI call's argument 2 after THNN's state) and nn's own Lua
-- checks. Messages without the file:line prefix and TH's " at file.c:line".
require 'nn'

local function clean(e)
   e = tostring(e):gsub('\nstack traceback:.*', ''):gsub(' at /[^\n]*%.c:%d+', '')
   return (e:gsub('^[^ :]*%.lua:%d+: ', ''))
end

local function try(name, f)
   local ok, e = pcall(f)
   print(name, ok and 'ok' or clean(e))
end

-- cases whose message comes from the tensor library's argument numbering or a module written
-- another way here (VolumetricConvolution, VolumetricAveragePooling, TemporalSubSampling)
local skip = {['MaxPool 1d'] = true, ['MaxPoolPad 1d'] = true, ['DilatedMax 1d'] = true,
   ['VolConv bsmall'] = true, ['VolConv 5d'] = true, ['VolMax 1d'] = true, ['VolMax 2d'] = true,
   ['VolAvg bsmall'] = true, ['TempSub 2d'] = true, ['TempSub planes'] = true,
   ['TempSub small'] = true}

torch.manualSeed(1)
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
      local name = m[1] .. ' ' .. inp[1]
      if not skip[name] then
         try(name, function()
            local mm = m[2]()
            local o = mm:forward(inp[2])
            mm:backward(inp[2], o:clone())
            return o
         end)
      end
   end
end
