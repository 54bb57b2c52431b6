-- Every nn module and criterion after a forward and backward pass (and a second, batched or
-- repeated one), as user code and saved files see it: the names and kinds of its fields.
-- Torch's working buffers (e.g. nn.CMul's _expand, nn.Euclidean's _repeat) are part of what
-- `pairs(module)` shows and what torch.save writes.
dofile(paths.concat(paths.dirname(paths.thisfile()), 'common.lua'))
torch.manualSeed(7)

local function kind(v)
   local tv = torch.type(v)
   if tv:find('Tensor') then return 'Tensor' end
   if tv:find('Storage') then return 'Storage' end
   return tv
end

local function keys(m)
   local ks = {}
   for k, v in pairs(m) do ks[#ks + 1] = tostring(k) .. ':' .. kind(v) end
   table.sort(ks)
   return table.concat(ks, ' ')
end

-- a gradOutput shaped as the output (tensors or nested tables)
local function like(out)
   if torch.isTensor(out) then
      return out:clone():uniform(-1, 1)
   end
   local t = {}
   for i, o in ipairs(out) do t[i] = like(o) end
   return t
end

-- the sum of every element of a tensor or nested table of tensors, in a fixed order
local function total(x)
   if torch.isTensor(x) then
      if x:nElement() == 0 or x:type() == 'torch.LongTensor' or x:type() == 'torch.ByteTensor' then return 0 end
      return x:sum()
   end
   if type(x) ~= 'table' then return tonumber(x) or 0 end
   local s = 0
   for _, v in ipairs(x) do s = s + total(v) end
   return s
end

local R = torch.randn
local function pair(a, b) return function() return {R(a, b), R(a, b)} end end
local function r(...) local s = {...}; return function() return R(unpack(s)) end end
local function u(...) local s = {...}; return function() return torch.rand(unpack(s)) end end
local function idx(n, ...) local s = {...}; return function() return torch.LongTensor(unpack(s)):random(n) end end

local modules = {
   {'Abs', function() return nn.Abs() end, r(3, 4)},
   {'Add', function() return nn.Add(4) end, r(3, 4)},
   {'AddConstant', function() return nn.AddConstant(2) end, r(3, 4)},
   {'BatchNormalization', function() return nn.BatchNormalization(4) end, r(5, 4)},
   {'Bilinear', function() return nn.Bilinear(4, 3, 2) end, function() return {R(3, 4), R(3, 3)} end},
   {'Bottle', function() return nn.Bottle(nn.Linear(4, 2)) end, r(2, 3, 4)},
   {'CAdd', function() return nn.CAdd(3, 4) end, r(3, 4)},
   {'CAdd broadcast', function() return nn.CAdd(1, 4) end, r(3, 4)},
   {'CAdd batch', function() return nn.CAdd(4) end, r(5, 4)},
   {'CAddTable', function() return nn.CAddTable() end, pair(3, 4)},
   {'CDivTable', function() return nn.CDivTable() end, pair(3, 4)},
   {'CMaxTable', function() return nn.CMaxTable() end, pair(3, 4)},
   {'CMinTable', function() return nn.CMinTable() end, pair(3, 4)},
   {'CMul', function() return nn.CMul(4) end, r(3, 4)},
   {'CMul full', function() return nn.CMul(3, 4) end, r(3, 4)},
   {'CMul 3d', function() return nn.CMul(1, 4, 1) end, r(2, 4, 3)},
   {'CMulTable', function() return nn.CMulTable() end, pair(3, 4)},
   {'CReLU', function() return nn.CReLU(4) end, r(3, 4)},
   {'CSubTable', function() return nn.CSubTable() end, pair(3, 4)},
   {'Clamp', function() return nn.Clamp(-0.5, 0.5) end, r(3, 4)},
   {'Collapse', function() return nn.Collapse(2) end, r(3, 4, 2)},
   {'Concat', function() return nn.Concat(2):add(nn.Linear(4, 2)):add(nn.Linear(4, 3)) end, r(3, 4)},
   {'ConcatTable', function() return nn.ConcatTable():add(nn.Identity()):add(nn.Tanh()) end, r(3, 4)},
   {'Contiguous', function() return nn.Contiguous() end, function() return R(4, 3):t() end},
   {'Copy', function() return nn.Copy('torch.DoubleTensor', 'torch.FloatTensor') end, function() return torch.DoubleTensor(3, 4):uniform() end},
   {'Cosine', function() return nn.Cosine(4, 3) end, r(3, 4)},
   {'Cosine vector', function() return nn.Cosine(4, 3) end, r(4)},
   {'CosineDistance', function() return nn.CosineDistance() end, pair(3, 4)},
   {'CosineDistance vector', function() return nn.CosineDistance() end, function() return {R(4), R(4)} end},
   {'DepthConcat', function() return nn.DepthConcat(2):add(nn.SpatialConvolution(2, 3, 1, 1)):add(nn.SpatialConvolution(2, 2, 3, 3)) end, r(2, 2, 5, 5)},
   {'DotProduct', function() return nn.DotProduct() end, pair(3, 4)},
   {'Dropout', function() return nn.Dropout(0.5) end, r(3, 4)},
   {'ELU', function() return nn.ELU() end, r(3, 4)},
   {'Euclidean', function() return nn.Euclidean(4, 2) end, r(3, 4)},
   {'Euclidean vector', function() return nn.Euclidean(4, 2) end, r(4)},
   {'Exp', function() return nn.Exp() end, r(3, 4)},
   {'FlattenTable', function() return nn.FlattenTable() end, function() return {R(2), {R(3), R(1)}} end},
   {'GatedLinearUnit', function() return nn.GatedLinearUnit() end, r(3, 4)},
   {'GradientReversal', function() return nn.GradientReversal() end, r(3, 4)},
   {'HardShrink', function() return nn.HardShrink() end, r(3, 4)},
   {'HardTanh', function() return nn.HardTanh() end, r(3, 4)},
   {'Identity', function() return nn.Identity() end, r(3, 4)},
   {'Index', function() return nn.Index(1) end, function() return {R(5, 2), torch.LongTensor{1, 3}} end},
   {'JoinTable', function() return nn.JoinTable(2) end, pair(3, 4)},
   {'L1Penalty', function() return nn.L1Penalty(0.1) end, r(3, 4)},
   {'LeakyReLU', function() return nn.LeakyReLU() end, r(3, 4)},
   {'Linear', function() return nn.Linear(4, 3) end, r(5, 4)},
   {'Linear vector', function() return nn.Linear(4, 3) end, r(4)},
   {'Linear nobias', function() return nn.Linear(4, 3, false) end, r(5, 4)},
   {'LinearWeightNorm', function() return nn.LinearWeightNorm(4, 3) end, r(5, 4)},
   {'Log', function() return nn.Log() end, u(3, 4)},
   {'LogSigmoid', function() return nn.LogSigmoid() end, r(3, 4)},
   {'LogSoftMax', function() return nn.LogSoftMax() end, r(3, 4)},
   {'LookupTable', function() return nn.LookupTable(10, 3) end, idx(10, 2, 3)},
   {'LookupTable freq pad', function() return nn.LookupTable(6, 3, 2):scaleGradByFreq() end, function() return torch.LongTensor{{1, 2, 1, 3}, {1, 5, 2, 1}} end},
   {'LookupTable noncontig', function() return nn.LookupTable(10, 3) end, function() return torch.LongTensor(3, 2):random(10):t() end},
   {'MM', function() return nn.MM() end, function() return {R(2, 3, 4), R(2, 4, 2)} end},
   {'MV', function() return nn.MV() end, function() return {R(2, 3, 4), R(2, 4)} end},
   {'MaskedSelect', function() return nn.MaskedSelect() end, function() return {R(3, 4), torch.ByteTensor(3, 4):random(0, 1)} end},
   {'Max', function() return nn.Max(2) end, r(3, 4)},
   {'Maxout', function() return nn.Maxout(4, 3, 2) end, r(5, 4)},
   {'Mean', function() return nn.Mean(2) end, r(3, 4)},
   {'Min', function() return nn.Min(2) end, r(3, 4)},
   {'MixtureTable', function() return nn.MixtureTable() end, function() return {torch.rand(3, 2), {R(3, 4), R(3, 4)}} end},
   {'Mul', function() return nn.Mul() end, r(3, 4)},
   {'MulConstant', function() return nn.MulConstant(3) end, r(3, 4)},
   {'Narrow', function() return nn.Narrow(2, 2, 2) end, r(3, 4)},
   {'NarrowTable', function() return nn.NarrowTable(1, 2) end, function() return {R(2), R(3), R(4)} end},
   {'Normalize', function() return nn.Normalize(2) end, r(3, 4)},
   {'Normalize p1', function() return nn.Normalize(1) end, r(3, 4)},
   {'Normalize inf', function() return nn.Normalize(math.huge) end, r(3, 4)},
   {'OneHot', function() return nn.OneHot(5) end, idx(5, 4)},
   {'PReLU', function() return nn.PReLU() end, r(3, 4)},
   {'PReLU planes', function() return nn.PReLU(4) end, r(3, 4)},
   {'Padding', function() return nn.Padding(2, 2) end, r(3, 4)},
   {'PairwiseDistance', function() return nn.PairwiseDistance(2) end, pair(3, 4)},
   {'PairwiseDistance p1', function() return nn.PairwiseDistance(1) end, pair(3, 4)},
   {'PairwiseDistance p3 vector', function() return nn.PairwiseDistance(3) end, function() return {R(4), R(4)} end},
   {'Parallel', function() return nn.Parallel(1, 1):add(nn.Linear(3, 2)):add(nn.Linear(3, 2)) end, r(2, 3)},
   {'ParallelTable', function() return nn.ParallelTable():add(nn.Tanh()):add(nn.Sigmoid()) end, pair(3, 4)},
   {'PartialLinear', function() return nn.PartialLinear(5, 3) end, r(2, 5)},
   {'PixelShuffle', function() return nn.PixelShuffle(2) end, r(2, 8, 3, 3)},
   {'Power', function() return nn.Power(2) end, r(3, 4)},
   {'RReLU', function() return nn.RReLU() end, r(3, 4)},
   {'ReLU', function() return nn.ReLU() end, r(3, 4)},
   {'ReLU6', function() return nn.ReLU6() end, r(3, 4)},
   {'Replicate', function() return nn.Replicate(3) end, r(4)},
   {'Reshape', function() return nn.Reshape(12) end, r(3, 4)},
   {'Select', function() return nn.Select(1, 2) end, r(3, 4)},
   {'SelectTable', function() return nn.SelectTable(2) end, pair(3, 4)},
   {'Sequential', function() return nn.Sequential():add(nn.Linear(4, 3)):add(nn.Tanh()) end, r(5, 4)},
   {'Sigmoid', function() return nn.Sigmoid() end, r(3, 4)},
   {'SoftMax', function() return nn.SoftMax() end, r(3, 4)},
   {'SoftMin', function() return nn.SoftMin() end, r(3, 4)},
   {'SoftPlus', function() return nn.SoftPlus() end, r(3, 4)},
   {'SoftShrink', function() return nn.SoftShrink() end, r(3, 4)},
   {'SoftSign', function() return nn.SoftSign() end, r(3, 4)},
   {'SparseLinear', function() return nn.SparseLinear(10, 2) end, function() return torch.Tensor{{1, 0.5}, {4, -1}} end},
   {'SplitTable', function() return nn.SplitTable(2) end, r(3, 4)},
   {'Sqrt', function() return nn.Sqrt() end, u(3, 4)},
   {'Square', function() return nn.Square() end, r(3, 4)},
   {'Squeeze', function() return nn.Squeeze() end, r(3, 1, 4)},
   {'Sum', function() return nn.Sum(2) end, r(3, 4)},
   {'Tanh', function() return nn.Tanh() end, r(3, 4)},
   {'TanhShrink', function() return nn.TanhShrink() end, r(3, 4)},
   {'Threshold', function() return nn.Threshold(0.1, -2) end, r(3, 4)},
   {'Transpose', function() return nn.Transpose({1, 2}) end, r(3, 4)},
   {'Unsqueeze', function() return nn.Unsqueeze(2) end, r(3, 4)},
   {'View', function() return nn.View(-1) end, r(3, 4)},
   {'WeightNorm', function() return nn.WeightNorm(nn.Linear(4, 3)) end, r(5, 4)},
   {'WeightedEuclidean', function() return nn.WeightedEuclidean(4, 2) end, r(3, 4)},
   {'ZeroGrad', function() return nn.ZeroGrad() end, r(3, 4)},
   -- spatial, volumetric and temporal
   {'SpatialAdaptiveAveragePooling', function() return nn.SpatialAdaptiveAveragePooling(2, 2) end, r(2, 2, 5, 5)},
   {'SpatialAdaptiveAveragePooling overlap', function() return nn.SpatialAdaptiveAveragePooling(3, 3) end, r(2, 2, 5, 7)},
   {'SpatialAdaptiveAveragePooling up', function() return nn.SpatialAdaptiveAveragePooling(7, 5) end, r(2, 3, 3)},
   {'SpatialAdaptiveMaxPooling', function() return nn.SpatialAdaptiveMaxPooling(2, 2) end, r(2, 2, 5, 5)},
   {'SpatialAveragePooling', function() return nn.SpatialAveragePooling(2, 2, 2, 2) end, r(2, 2, 5, 5)},
   {'SpatialAveragePooling overlap ceil', function() return nn.SpatialAveragePooling(3, 3, 1, 1, 1, 1):ceil() end, r(2, 2, 5, 6)},
   {'SpatialAveragePooling exclude pad', function() return nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1):setCountExcludePad() end, r(2, 2, 6, 5)},
   {'SpatialBatchNormalization', function() return nn.SpatialBatchNormalization(2) end, r(3, 2, 4, 4)},
   {'SpatialContrastiveNormalization', function() return nn.SpatialContrastiveNormalization(2, torch.ones(3, 3)) end, r(2, 6, 6)},
   {'SpatialConvolution', function() return nn.SpatialConvolution(2, 3, 3, 3) end, r(2, 2, 5, 5)},
   {'SpatialConvolution nobias', function() return nn.SpatialConvolution(2, 3, 3, 3):noBias() end, r(2, 2, 5, 5)},
   {'SpatialConvolutionLocal', function() return nn.SpatialConvolutionLocal(2, 3, 5, 5, 3, 3) end, r(2, 2, 5, 5)},
   {'SpatialConvolutionMM', function() return nn.SpatialConvolutionMM(2, 3, 3, 3) end, r(2, 2, 5, 5)},
   {'SpatialConvolutionMap', function() return nn.SpatialConvolutionMap(nn.tables.full(2, 3), 3, 3) end, r(2, 5, 5)},
   {'SpatialCrossMapLRN', function() return nn.SpatialCrossMapLRN(3) end, r(2, 4, 3, 3)},
   {'SpatialDepthWiseConvolution', function() return nn.SpatialDepthWiseConvolution(2, 2, 3, 3) end, r(2, 2, 5, 5)},
   {'SpatialDilatedConvolution', function() return nn.SpatialDilatedConvolution(2, 3, 3, 3, 1, 1, 0, 0, 2, 2) end, r(2, 2, 7, 7)},
   {'SpatialDilatedMaxPooling', function() return nn.SpatialDilatedMaxPooling(2, 2, 1, 1, 0, 0, 2, 2) end, r(2, 2, 5, 5)},
   {'SpatialDivisiveNormalization', function() return nn.SpatialDivisiveNormalization(2, torch.ones(3, 3)) end, r(2, 6, 6)},
   {'SpatialDropout', function() return nn.SpatialDropout(0.5) end, r(2, 2, 3, 3)},
   {'SpatialFractionalMaxPooling', function() return nn.SpatialFractionalMaxPooling(2, 2, 0.5, 0.5) end, r(2, 2, 6, 6)},
   {'SpatialFullConvolution', function() return nn.SpatialFullConvolution(2, 3, 3, 3) end, r(2, 2, 4, 4)},
   {'SpatialFullConvolution strided', function() return nn.SpatialFullConvolution(2, 3, 3, 3, 2, 2, 1, 1, 1, 1) end, r(2, 2, 4, 3)},
   {'SpatialFullConvolutionMap', function() return nn.SpatialFullConvolutionMap(nn.tables.full(2, 3), 3, 3) end, r(2, 4, 4)},
   {'SpatialLPPooling', function() return nn.SpatialLPPooling(2, 2, 2, 2) end, r(2, 4, 4)},
   {'SpatialLogSoftMax', function() return nn.SpatialLogSoftMax() end, r(2, 3, 3, 3)},
   {'SpatialMaxPooling', function() return nn.SpatialMaxPooling(2, 2, 2, 2) end, r(2, 2, 4, 4)},
   {'SpatialReflectionPadding', function() return nn.SpatialReflectionPadding(1, 1, 1, 1) end, r(2, 2, 4, 4)},
   {'SpatialReplicationPadding', function() return nn.SpatialReplicationPadding(1, 1, 1, 1) end, r(2, 2, 4, 4)},
   {'SpatialSoftMax', function() return nn.SpatialSoftMax() end, r(2, 3, 3, 3)},
   {'SpatialSubSampling', function() return nn.SpatialSubSampling(2, 2, 2) end, r(2, 2, 4, 4)},
   {'SpatialSubtractiveNormalization', function() return nn.SpatialSubtractiveNormalization(2, torch.ones(3, 3)) end, r(2, 6, 6)},
   {'SpatialUpSamplingBilinear', function() return nn.SpatialUpSamplingBilinear(2) end, r(2, 2, 3, 3)},
   {'SpatialUpSamplingNearest', function() return nn.SpatialUpSamplingNearest(2) end, r(2, 2, 3, 3)},
   {'SpatialZeroPadding', function() return nn.SpatialZeroPadding(1, 1, 1, 1) end, r(2, 2, 4, 4)},
   {'TemporalConvolution', function() return nn.TemporalConvolution(4, 3, 2) end, r(2, 5, 4)},
   {'TemporalConvolution strided', function() return nn.TemporalConvolution(4, 3, 3, 2) end, r(2, 9, 4)},
   {'TemporalConvolution single', function() return nn.TemporalConvolution(4, 3, 2) end, r(5, 4)},
   {'TemporalMaxPooling', function() return nn.TemporalMaxPooling(2) end, r(2, 6, 4)},
   {'TemporalSubSampling', function() return nn.TemporalSubSampling(4, 2) end, r(6, 4)},
   {'VolumetricAveragePooling', function() return nn.VolumetricAveragePooling(2, 2, 2) end, r(2, 2, 4, 4, 4)},
   {'VolumetricAveragePooling overlap', function() return nn.VolumetricAveragePooling(3, 3, 3, 1, 1, 1) end, r(2, 2, 5, 5, 5)},
   {'VolumetricBatchNormalization', function() return nn.VolumetricBatchNormalization(2) end, r(2, 2, 3, 3, 3)},
   {'VolumetricConvolution', function() return nn.VolumetricConvolution(2, 3, 2, 2, 2) end, r(2, 2, 4, 4, 4)},
   {'VolumetricDilatedConvolution', function() return nn.VolumetricDilatedConvolution(2, 3, 2, 2, 2) end, r(2, 2, 4, 4, 4)},
   {'VolumetricDilatedConvolution dilated', function() return nn.VolumetricDilatedConvolution(2, 3, 2, 3, 2, 1, 2, 1, 1, 0, 1, 2, 1, 2) end, r(2, 2, 6, 7, 6)},
   {'VolumetricDropout', function() return nn.VolumetricDropout(0.5) end, r(2, 2, 3, 3, 3)},
   {'VolumetricFullConvolution', function() return nn.VolumetricFullConvolution(2, 3, 2, 2, 2) end, r(2, 2, 3, 3, 3)},
   {'VolumetricMaxPooling', function() return nn.VolumetricMaxPooling(2, 2, 2) end, r(2, 2, 4, 4, 4)},
   {'VolumetricReplicationPadding', function() return nn.VolumetricReplicationPadding(1) end, r(2, 2, 3, 3, 3)},
}

local criterions = {
   {'AbsCriterion', function() return nn.AbsCriterion() end, r(3, 4), r(3, 4)},
   {'BCECriterion', function() return nn.BCECriterion() end, u(3, 4), function() return torch.rand(3, 4):gt(0.5):typeAs(torch.Tensor()) end},
   {'ClassNLLCriterion', function() return nn.ClassNLLCriterion() end, r(3, 4), idx(4, 3)},
   {'ClassSimplexCriterion', function() return nn.ClassSimplexCriterion(4) end, r(3, 4), idx(4, 3)},
   {'CosineEmbeddingCriterion', function() return nn.CosineEmbeddingCriterion() end, pair(3, 4), function() return torch.Tensor{1, -1, 1} end},
   {'CrossEntropyCriterion', function() return nn.CrossEntropyCriterion() end, r(3, 4), idx(4, 3)},
   {'DistKLDivCriterion', function() return nn.DistKLDivCriterion() end, r(3, 4), u(3, 4)},
   {'DistanceRatioCriterion', function() return nn.DistanceRatioCriterion() end, function() return {R(3, 4), R(3, 4)} end, nil},
   {'HingeEmbeddingCriterion', function() return nn.HingeEmbeddingCriterion() end, r(3), function() return torch.Tensor{1, -1, 1} end},
   {'L1HingeEmbeddingCriterion', function() return nn.L1HingeEmbeddingCriterion() end, pair(1, 4), function() return -1 end},
   {'MSECriterion', function() return nn.MSECriterion() end, r(3, 4), r(3, 4)},
   {'MarginCriterion', function() return nn.MarginCriterion() end, r(3, 4), function() return torch.Tensor(3, 4):random(0, 1):mul(2):add(-1) end},
   {'MarginRankingCriterion', function() return nn.MarginRankingCriterion() end, function() return {R(3), R(3)} end, function() return torch.Tensor{1, -1, 1} end},
   {'MultiCriterion', function() return nn.MultiCriterion():add(nn.MSECriterion()):add(nn.AbsCriterion(), 0.5) end, r(3, 4), r(3, 4)},
   {'MultiLabelMarginCriterion', function() return nn.MultiLabelMarginCriterion() end, r(3, 4), function() return torch.LongTensor{{1, 2, 0, 0}, {3, 0, 0, 0}, {4, 1, 2, 0}} end},
   {'MultiLabelSoftMarginCriterion', function() return nn.MultiLabelSoftMarginCriterion() end, r(3, 4), function() return torch.Tensor(3, 4):random(0, 1) end},
   {'MultiMarginCriterion', function() return nn.MultiMarginCriterion() end, r(3, 4), idx(4, 3)},
   {'ParallelCriterion', function() return nn.ParallelCriterion():add(nn.MSECriterion()):add(nn.AbsCriterion()) end, pair(3, 4), pair(3, 4)},
   {'SmoothL1Criterion', function() return nn.SmoothL1Criterion() end, r(3, 4), r(3, 4)},
   {'SoftMarginCriterion', function() return nn.SoftMarginCriterion() end, r(3, 4), function() return torch.Tensor(3, 4):random(0, 1):mul(2):add(-1) end},
   {'SpatialClassNLLCriterion', function() return nn.SpatialClassNLLCriterion() end, r(2, 3, 2, 2), function() return torch.LongTensor(2, 2, 2):random(3) end},
   {'WeightedMSECriterion', function() return nn.WeightedMSECriterion(torch.rand(3, 4)) end, r(3, 4), r(3, 4)},
   {'L1Cost', function() return nn.L1Cost() end, r(3, 4), nil},
}

for _, c in ipairs(modules) do
   local name, make, input = c[1], c[2], c[3]
   local ok, err = pcall(function()
      local m = make()
      local out, gin
      for pass = 1, 2 do
         local x = input()
         out = m:forward(x)
         m:zeroGradParameters()
         gin = m:backward(x, like(out))
      end
      local _, grads = m:parameters()
      io.write(name, ': ', keys(m), '\n')
      io.write(string.format('%s values: %.14g %.14g %.14g\n', name, total(out), total(gin),
                             total(grads or {})))
   end)
   if not ok then io.write(name, ': error\n') end
end

for _, c in ipairs(criterions) do
   local name, make, input, target = c[1], c[2], c[3], c[4]
   local ok, err = pcall(function()
      local m = make()
      local loss, gin
      for pass = 1, 2 do
         local x, t = input(), target and target()
         loss = m:forward(x, t)
         gin = m:backward(x, t)
      end
      io.write(name, ': ', keys(m), '\n')
      io.write(string.format('%s values: %.14g %.14g\n', name, loss, total(gin)))
   end)
   if not ok then io.write(name, ': error\n') end
end
