-- Spatial modules on inputs larger than the blocks of frames luatorch works through at a time
-- (average pooling, batch normalization, padded convolution): odd sizes, batch 1, single
-- frames, ceil mode, excluded padding, strided inputs, training and evaluation. After two
-- forward and backward passes, the output, gradInput and parameter gradients of each are
-- printed as their length, first element and a hash of every bit of every element.
dofile(paths.concat(paths.dirname(paths.thisfile()), 'common.lua'))
local line = showBits

-- a strided input: x's last two dimensions swapped, as a view
local function swapped(x)
   local n = x:dim()
   local t = torch.Tensor(x:size()):transpose(n - 1, n):contiguous():transpose(n - 1, n)
   return t:copy(x)
end

local function check(label, m, x, train)
   if train == false then m:evaluate() end
   for pass = 1, 2 do
      local out = m:forward(x)
      local g = torch.randn(out:size())
      m:zeroGradParameters()
      m:backward(x, g)
   end
   line(label .. ' output', m.output)
   line(label .. ' gradInput', m.gradInput)
   if m.gradWeight then line(label .. ' gradWeight', m.gradWeight) end
   if m.gradBias then line(label .. ' gradBias', m.gradBias) end
   if m.running_mean then
      line(label .. ' running_mean', m.running_mean)
      line(label .. ' running_var', m.running_var)
   end
end

torch.manualSeed(1)
local r = torch.randn
check('avg global', nn.SpatialAveragePooling(32, 32), r(5, 16, 32, 32))
check('avg 3x3 s1 p1 ceil', nn.SpatialAveragePooling(3, 3, 1, 1, 1, 1):ceil(), r(9, 6, 23, 21))
check('avg 3x3 s2 p1 exclude', nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1):setCountExcludePad(),
      r(7, 5, 30, 31))
check('avg 2x3 s2x3 ceil', nn.SpatialAveragePooling(2, 3, 2, 3):ceil(), r(6, 7, 41, 37))
check('avg 2x2 single frame', nn.SpatialAveragePooling(2, 2, 2, 2), r(6, 80, 81))
check('avg 3x3 batch 1', nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1), r(1, 40, 63, 65))
check('avg strided', nn.SpatialAveragePooling(4, 4, 3, 3, 1, 1), swapped(r(5, 9, 37, 29)))

check('sbn', nn.SpatialBatchNormalization(16), r(7, 16, 30, 30):mul(3):add(1))
check('sbn batch 1', nn.SpatialBatchNormalization(5), r(1, 5, 131, 77))
check('sbn no affine', nn.SpatialBatchNormalization(6, 1e-3, 0.2, false), r(9, 6, 33, 35))
check('sbn strided', nn.SpatialBatchNormalization(4), swapped(r(11, 4, 45, 41)))
check('sbn eval', nn.SpatialBatchNormalization(3), r(5, 3, 70, 70), false)
check('bn', nn.BatchNormalization(17), r(3001, 17))

check('conv pad 1', nn.SpatialConvolution(16, 8, 3, 3, 1, 1, 1, 1), r(9, 16, 33, 31))
check('conv pad odd', nn.SpatialConvolution(3, 5, 5, 3, 2, 1, 2, 1), r(7, 3, 57, 43))
check('conv pad batch 1', nn.SpatialConvolution(4, 6, 3, 3, 1, 1, 2, 2), r(1, 4, 90, 70))
check('conv pad single frame', nn.SpatialConvolution(4, 6, 3, 3, 2, 2, 1, 1), r(4, 91, 71))
check('conv pad strided', nn.SpatialConvolution(5, 4, 3, 3, 1, 1, 1, 1), swapped(r(6, 5, 40, 45)))
