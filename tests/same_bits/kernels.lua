-- nn modules whose results depend on their exact order of operations (THNN's C loops or nn's
-- Lua over tensor methods): every element of their outputs, gradInputs and parameter
-- gradients after two forward and backward passes, in batch and single-sample forms.
local kind = dofile(paths.concat(paths.dirname(paths.thisfile()), 'common.lua'))
torch.manualSeed(11)

-- every element of a tensor (or nested table of tensors) with %.14g, on one line
local function values(x)
   if torch.isTensor(x) then
      if x:nElement() == 0 then return '-' end
      local t = {}
      local flat = x:contiguous():view(-1)
      for i = 1, flat:size(1) do t[i] = string.format('%.14g', flat[i]) end
      return table.concat(t, ' ')
   end
   if type(x) == 'number' then return string.format('%.14g', x) end
   local parts = {}
   for i, v in ipairs(x) do parts[i] = values(v) end
   return table.concat(parts, ' | ')
end

local function like(out)
   if torch.isTensor(out) then return out:clone():uniform(-1, 1) end
   local t = {}
   for i, o in ipairs(out) do t[i] = like(o) end
   return t
end

local R = torch.randn
local function r(...) local s = {...}; return function() return R(unpack(s)) end end

local function module(name, make, input)
   local ok, err = pcall(function()
      local m = make()
      local out, gin
      for pass = 1, 2 do
         local x = input()
         out = m:forward(x)
         m:zeroGradParameters()
         gin = m:backward(x, like(out), 0.5)
      end
      local _, grads = m:parameters()
      io.write(name, ' output: ', values(out), '\n')
      io.write(name, ' gradInput: ', values(gin), '\n')
      if grads then io.write(name, ' gradParameters: ', values(grads), '\n') end
   end)
   if not ok then io.write(name, ': error\n') end
end

local function criterion(name, make, input, target)
   local ok, err = pcall(function()
      local m = make()
      local loss, gin
      for pass = 1, 2 do
         local x, t = input(), target and target()
         loss = m:forward(x, t)
         gin = m:backward(x, t)
      end
      io.write(name, ' loss: ', values(loss), '\n')
      io.write(name, ' gradInput: ', values(gin), '\n')
   end)
   if not ok then io.write(name, ': error\n') end
end

local function gater(n, k) return function() return torch.rand(n, k) end end

-- nn's Lua modules over tensor methods
module('WeightedEuclidean', function() return nn.WeightedEuclidean(5, 3) end, r(4, 5))
module('WeightedEuclidean vector', function() return nn.WeightedEuclidean(5, 3) end, r(5))
module('MV', function() return nn.MV() end, function() return {R(3, 4, 5), R(3, 5)} end)
module('MV trans', function() return nn.MV(true) end, function() return {R(3, 5, 4), R(3, 5)} end)
module('MV single', function() return nn.MV() end, function() return {R(4, 5), R(5)} end)
module('MV single trans', function() return nn.MV(true) end, function() return {R(5, 4), R(5)} end)
module('MixtureTable', function() return nn.MixtureTable() end, function() return {torch.rand(4, 3), {R(4, 5), R(4, 5), R(4, 5)}} end)
module('MixtureTable tensor', function() return nn.MixtureTable() end, function() return {torch.rand(4, 3), R(4, 3, 5)} end)
module('MixtureTable single', function() return nn.MixtureTable() end, function() return {torch.rand(3), {R(5), R(5), R(5)}} end)
module('MixtureTable single tensor', function() return nn.MixtureTable() end, function() return {torch.rand(3), R(3, 5)} end)
module('SpatialCrossMapLRN', function() return nn.SpatialCrossMapLRN(3, 0.5, 0.75, 2) end, r(2, 5, 3, 3))
module('SpatialCrossMapLRN single', function() return nn.SpatialCrossMapLRN(5) end, r(6, 3, 2))
module('SpatialCrossMapLRN wide', function() return nn.SpatialCrossMapLRN(7, 0.3) end, r(2, 4, 2, 3))
module('SpatialSubtractiveNormalization', function() return nn.SpatialSubtractiveNormalization(2, torch.rand(3, 3)) end, r(2, 2, 5, 6))
module('SpatialSubtractiveNormalization single', function() return nn.SpatialSubtractiveNormalization(3, torch.ones(5, 3)) end, r(3, 6, 5))
module('SpatialSubtractiveNormalization 1D', function() return nn.SpatialSubtractiveNormalization(2, torch.rand(3)) end, r(2, 2, 5, 5))
module('SpatialDivisiveNormalization', function() return nn.SpatialDivisiveNormalization(2, torch.rand(3, 3)) end, r(2, 2, 5, 6))
module('SpatialDivisiveNormalization single', function() return nn.SpatialDivisiveNormalization(3, torch.ones(3, 5), 0.5) end, r(3, 5, 6))
module('SpatialDivisiveNormalization 1D', function() return nn.SpatialDivisiveNormalization(2, torch.rand(3)) end, r(2, 5, 5))
module('SpatialContrastiveNormalization', function() return nn.SpatialContrastiveNormalization(2, torch.rand(3, 3)) end, r(2, 2, 6, 5))
module('SpatialContrastiveNormalization single', function() return nn.SpatialContrastiveNormalization(1, torch.ones(5)) end, r(1, 6, 6))
criterion('DistanceRatioCriterion', function() return nn.DistanceRatioCriterion() end, function() return {torch.rand(6), torch.rand(6)} end)
criterion('DistanceRatioCriterion sum', function() return nn.DistanceRatioCriterion(false) end, function() return {torch.rand(6), torch.rand(6)} end)

-- THNN's C kernels
module('GatedLinearUnit', function() return nn.GatedLinearUnit() end, r(3, 8))
module('GatedLinearUnit dim', function() return nn.GatedLinearUnit(2) end, r(2, 6, 3))
module('GatedLinearUnit single', function() return nn.GatedLinearUnit() end, r(10))
criterion('MultiMarginCriterion', function() return nn.MultiMarginCriterion() end, r(5, 6), function() return torch.LongTensor(5):random(6) end)
criterion('MultiMarginCriterion p2 weights', function() return nn.MultiMarginCriterion(2, torch.rand(6), 0.7) end, r(5, 6), function() return torch.LongTensor(5):random(6) end)
criterion('MultiMarginCriterion single', function() return nn.MultiMarginCriterion() end, r(7), function() return torch.LongTensor{3} end)
criterion('MultiMarginCriterion nosizeaverage', function() local c = nn.MultiMarginCriterion(); c.sizeAverage = false; return c end, r(5, 6), function() return torch.LongTensor(5):random(6) end)
criterion('MultiLabelMarginCriterion', function() return nn.MultiLabelMarginCriterion() end, function() return R(4, 6):mul(0.3) end, function() return torch.LongTensor{{1, 2, 0, 0, 0, 0}, {3, 0, 0, 0, 0, 0}, {4, 1, 6, 0, 0, 0}, {5, 6, 1, 2, 3, 0}} end)
criterion('MultiLabelMarginCriterion single', function() return nn.MultiLabelMarginCriterion() end, function() return R(6):mul(0.3) end, function() return torch.LongTensor{2, 5, 0, 1, 0, 0} end)
module('SpatialSubSampling', function() return nn.SpatialSubSampling(3, 2, 2) end, r(2, 3, 5, 5))
module('SpatialSubSampling strided', function() return nn.SpatialSubSampling(2, 3, 2, 2, 1) end, r(2, 7, 6))
module('SpatialReflectionPadding', function() return nn.SpatialReflectionPadding(2, 1, 1, 2) end, r(2, 2, 4, 4))
module('SpatialReflectionPadding single', function() return nn.SpatialReflectionPadding(1, 2, 2, 1) end, r(2, 4, 5))
module('SpatialReplicationPadding', function() return nn.SpatialReplicationPadding(2, 1, 1, 3) end, r(2, 2, 4, 4))
module('SpatialReplicationPadding single', function() return nn.SpatialReplicationPadding(3, 1, 0, 2) end, r(2, 3, 3))
module('VolumetricReplicationPadding', function() return nn.VolumetricReplicationPadding(2, 1, 1, 2, 2, 1) end, r(2, 2, 3, 3, 3))
module('VolumetricReplicationPadding single', function() return nn.VolumetricReplicationPadding(1) end, r(2, 2, 3, 2))
module('SpatialUpSamplingNearest', function() return nn.SpatialUpSamplingNearest(2) end, r(2, 2, 3, 3))
module('SpatialUpSamplingNearest single', function() return nn.SpatialUpSamplingNearest(3) end, r(2, 3, 2))
module('SpatialUpSamplingBilinear', function() return nn.SpatialUpSamplingBilinear(2) end, r(2, 2, 3, 3))
module('SpatialUpSamplingBilinear size', function() return nn.SpatialUpSamplingBilinear({oheight = 7, owidth = 5}) end, r(2, 4, 3))
module('SpatialUpSamplingBilinear single', function() return nn.SpatialUpSamplingBilinear(3) end, r(2, 3, 4))
module('UpSampling nearest', function() return nn.UpSampling(2, 'nearest') end, r(2, 2, 3, 3))
module('UpSampling linear', function() return nn.UpSampling(3, 'linear') end, r(2, 2, 3, 2))
module('UpSampling nearest volumetric', function() return nn.UpSampling(2, 'nearest') end, r(2, 2, 2, 3, 2))
module('UpSampling linear volumetric', function() return nn.UpSampling(2, 'linear') end, r(1, 2, 3, 2, 3))
module('SpatialConvolutionMap', function() return nn.SpatialConvolutionMap(nn.tables.random(3, 4, 2), 3, 2) end, r(3, 5, 6))
module('SpatialConvolutionMap batch', function() return nn.SpatialConvolutionMap(nn.tables.full(2, 3), 3, 3, 2, 1) end, r(2, 2, 7, 5))
module('SpatialConvolutionMap oneToOne', function() return nn.SpatialConvolutionMap(nn.tables.oneToOne(3), 3, 1) end, r(3, 5, 5))
module('SpatialFullConvolutionMap', function() return nn.SpatialFullConvolutionMap(nn.tables.random(3, 4, 2), 3, 2) end, r(3, 4, 5))
module('SpatialFullConvolutionMap strided', function() return nn.SpatialFullConvolutionMap(nn.tables.full(2, 3), 3, 3, 2, 2) end, r(2, 4, 3))
module('SpatialConvolutionMap wide', function() return nn.SpatialConvolutionMap(nn.tables.random(3, 2, 2), 5, 2) end, r(2, 3, 4, 9))
module('SpatialConvolutionMap strided rows', function() return nn.SpatialConvolutionMap(nn.tables.full(2, 2), 2, 4, 1, 3) end, r(2, 10, 6))
module('SpatialFullConvolutionMap wide', function() return nn.SpatialFullConvolutionMap(nn.tables.full(2, 3), 2, 5) end, r(2, 6, 9))
module('SpatialCrossMapLRN beta 0.5', function() return nn.SpatialCrossMapLRN(3, 0.2, 0.5, 1) end, r(3, 4, 4))
module('SpatialCrossMapLRN beta 1', function() return nn.SpatialCrossMapLRN(5, 0.7, 1, 3) end, r(2, 6, 3, 2))
module('SpatialCrossMapLRN beta 0', function() return nn.SpatialCrossMapLRN(3, 0.9, 0, 1) end, r(4, 3, 3))
module('SpatialCrossMapLRN pixel', function() return nn.SpatialCrossMapLRN(5, 0.4, 0.37, 2) end, r(2, 7, 1, 1))
module('SpatialCrossMapLRN wider than the maps', function() return nn.SpatialCrossMapLRN(9, 0.4, 0.61, 2) end, r(3, 7, 3))

-- TH's convolution functions: one image and kernel, a kernel per image, a kernel per output
-- and input plane; valid and full; kernels narrow and wide enough for TH's row updates
for _, f in ipairs({'conv2', 'xcorr2'}) do
   for _, s in ipairs({{6, 9, 3, 2}, {9, 11, 4, 5}, {5, 3, 2, 3}}) do
      for _, vf in ipairs({'V', 'F'}) do
         local name = string.format('torch.%s %s %dx%d * %dx%d', f, vf, unpack(s))
         io.write(name, ': ', values(torch[f](R(s[1], s[2]), R(s[3], s[4]), vf)), '\n')
         io.write(name, ' planes: ', values(torch[f](R(2, s[1], s[2]), R(2, s[3], s[4]), vf)), '\n')
         io.write(name, ' maps: ', values(torch[f](R(2, s[1], s[2]), R(3, 2, s[3], s[4]), vf)), '\n')
      end
   end
end
for _, f in ipairs({'conv3', 'xcorr3'}) do
   for _, vf in ipairs({'V', 'F'}) do
      local name = string.format('torch.%s %s', f, vf)
      io.write(name, ': ', values(torch[f](R(4, 5, 6), R(2, 3, 2), vf)), '\n')
      io.write(name, ' planes: ', values(torch[f](R(2, 4, 5, 3), R(2, 2, 2, 3), vf)), '\n')
      io.write(name, ' maps: ', values(torch[f](R(2, 3, 4, 5), R(3, 2, 2, 3, 2), vf)), '\n')
   end
end

module('SpatialSubSampling wide strided', function() return nn.SpatialSubSampling(1, 5, 4, 3, 2) end, r(1, 12, 10))
module('SpatialSubSampling 1x1', function() return nn.SpatialSubSampling(4, 1, 1) end, r(3, 4, 5, 5))
-- SpatialAutoCropMSECriterion: the loss with a larger target (cropped to the input), the
-- gradient with a target of the input's sizes (as nn's own test calls it)
for _, average in ipairs({true, false}) do
   for _, s in ipairs({{{2, 3, 5, 6}, {2, 3, 7, 9}}, {{3, 4, 4}, {3, 6, 5}}}) do
      local c = nn.SpatialAutoCropMSECriterion(average)
      local x = R(unpack(s[1]))
      local name = string.format('SpatialAutoCropMSECriterion %s %dD', tostring(average), #s[1])
      io.write(name, ' loss: ', values(c:forward(x, R(unpack(s[2])))), '\n')
      io.write(name, ' gradInput: ', values(c:backward(x, R(unpack(s[1])))), '\n')
   end
end
module('Add', function() return nn.Add(7) end, r(7))
module('Add batch', function() return nn.Add(7) end, r(5, 7))
module('Add batch of maps', function() return nn.Add(12) end, r(3, 4, 3))
module('Add scalar', function() return nn.Add(3, true) end, r(4, 3, 5))
