dofile '../h.lua'
require 'nn'
torch.manualSeed(2)
local bad = {{'table', {torch.randn(2)}}, {'number', 3}, {'nil', nil}, {'string', 'x'}, {'bool', true}, {'storage', torch.DoubleStorage(2)}}
local mods = {'Tanh', 'Sigmoid', 'ReLU', 'SoftMax', 'LogSoftMax', 'ELU', 'HardTanh', 'SoftPlus', 'Abs', 'Sqrt', 'Square', 'Threshold', 'LeakyReLU', 'LogSigmoid', 'SoftShrink'}
for _, name in ipairs(mods) do
   for _, b in ipairs(bad) do
      perr(name .. ' fwd ' .. b[1], function() return nn[name]():forward(b[2]) end)
      perr(name .. ' bwd ' .. b[1], function() local m = nn[name](); local x = torch.rand(2, 3); m:forward(x); return m:backward(x, b[2]) end)
   end
end
local crits = {'MSECriterion', 'AbsCriterion', 'SmoothL1Criterion', 'SoftMarginCriterion', 'DistKLDivCriterion', 'MarginCriterion', 'BCECriterion', 'ClassNLLCriterion', 'CrossEntropyCriterion', 'MultiMarginCriterion', 'MultiLabelMarginCriterion', 'MultiLabelSoftMarginCriterion', 'HingeEmbeddingCriterion', 'L1HingeEmbeddingCriterion', 'CosineEmbeddingCriterion', 'MarginRankingCriterion'}
for _, name in ipairs(crits) do
   for _, b in ipairs(bad) do
      perr(name .. ' input ' .. b[1], function() return nn[name]():forward(b[2], torch.Tensor{1, 1}) end)
      perr(name .. ' target ' .. b[1], function() return nn[name]():forward(torch.rand(2), b[2]) end)
      perr(name .. ' back target ' .. b[1], function() return nn[name]():backward(torch.rand(2), b[2]) end)
   end
end
for _, b in ipairs(bad) do
   perr('Linear ' .. b[1], function() return nn.Linear(2, 2):forward(b[2]) end)
   perr('Conv ' .. b[1], function() return nn.SpatialConvolution(1, 1, 1, 1):forward(b[2]) end)
   perr('MaxPool ' .. b[1], function() return nn.SpatialMaxPooling(1, 1):forward(b[2]) end)
   perr('BN ' .. b[1], function() return nn.BatchNormalization(2):forward(b[2]) end)
   perr('LookupTable ' .. b[1], function() return nn.LookupTable(2, 2):forward(b[2]) end)
   perr('Linear bwd ' .. b[1], function() local m = nn.Linear(2, 2); m:forward(torch.rand(2)); return m:backward(torch.rand(2), b[2]) end)
   perr('Conv bwd ' .. b[1], function() local m = nn.SpatialConvolution(1, 1, 1, 1); local x = torch.rand(1, 2, 2); m:forward(x); return m:backward(x, b[2]) end)
end
perr('Conv int', function() return nn.SpatialConvolution(1, 1, 1, 1):forward(torch.IntTensor(1, 2, 2)) end)
perr('ConvMM long', function() return nn.SpatialConvolutionMM(1, 1, 1, 1):forward(torch.LongTensor(1, 2, 2)) end)
perr('ConvMM table', function() return nn.SpatialConvolutionMM(1, 1, 1, 1):forward({}) end)
perr('DW table', function() return nn.SpatialDepthWiseConvolution(1, 1, 1, 1):forward({}) end)
perr('Conv bwd int', function() local m = nn.SpatialConvolution(1, 1, 1, 1); local x = torch.rand(1, 2, 2); m:forward(x); return m:backward(torch.IntTensor(1, 2, 2), x) end)
