-- nn's errors for inputs of the wrong kind and shape, in Torch7's words (file:line prefixes,
-- TH's " at file.c:line" and tracebacks removed): a table, number, nil, string, boolean or
-- storage given to THNN modules and criterions where a tensor belongs (the Lua errors of
-- Torch7's module code: input.THNN, input.new, gradOutput:cdata(), target:long(), the
-- convolutions' backend assertion); THNN's argument checks as LuaJIT's FFI reports them
-- ("bad argument #N to 'v' (...)": pooling pads, margin criterions, SpatialClassNLLCriterion,
-- fractional pooling, SpatialConvolutionMap, TemporalSubSampling (2-D only), SparseLinear);
-- THNN_CHECK_DIM_SIZE on gradOutputs (the first size that differs); BCECriterion's input
-- range assertion and weights viewed as a row; the padding modules' own size checks; Exp,
-- Log and Power through TH's cmul.
dofile 'lib/dump.lua'
require 'nn'
torch.manualSeed(2)
local function fwd(name, m, x) perr(name, function() return m:forward(x) end) end
local function fb(name, m, x, go) perr(name, function() m:forward(x); return m:backward(x, go) end) end

local bad = {{'table', {torch.randn(2)}}, {'number', 3}, {'nil', nil}, {'string', 'x'},
   {'bool', true}, {'storage', torch.DoubleStorage(2)}}
for _, name in ipairs({'Tanh', 'Sigmoid', 'ReLU', 'SoftMax', 'LogSoftMax', 'ELU', 'HardTanh',
      'SoftPlus', 'Abs', 'Sqrt', 'Square', 'Threshold', 'LeakyReLU', 'LogSigmoid'}) do
   for _, b in ipairs(bad) do
      perr(name .. ' fwd ' .. b[1], function() return nn[name]():forward(b[2]) end)
      perr(name .. ' bwd ' .. b[1], function()
         local m = nn[name](); local x = torch.rand(2, 3); m:forward(x); return m:backward(x, b[2])
      end)
   end
end
for _, name in ipairs({'MSECriterion', 'AbsCriterion', 'SmoothL1Criterion', 'SoftMarginCriterion',
      'DistKLDivCriterion', 'MarginCriterion', 'BCECriterion', 'ClassNLLCriterion',
      'CrossEntropyCriterion', 'MultiLabelSoftMarginCriterion'}) do
   for _, b in ipairs(bad) do
      perr(name .. ' input ' .. b[1], function() return nn[name]():forward(b[2], torch.Tensor{1, 1}) end)
      if b[1] ~= 'storage' then
         perr(name .. ' target ' .. b[1], function() return nn[name]():forward(torch.rand(2), b[2]) end)
         if name ~= 'CrossEntropyCriterion' or b[1] ~= 'number' then
            perr(name .. ' back target ' .. b[1], function() return nn[name]():backward(torch.rand(2), b[2]) end)
         end
      end
   end
end
for _, b in ipairs(bad) do
   perr('MultiLabelMargin input ' .. b[1], function()
      return nn.MultiLabelMarginCriterion():forward(b[2], torch.LongTensor{1, 0})
   end)
   if b[1] ~= 'storage' then
      perr('MultiLabelMargin target ' .. b[1], function()
         return nn.MultiLabelMarginCriterion():forward(torch.rand(2), b[2])
      end)
   end
   perr('MultiMargin input ' .. b[1], function() return nn.MultiMarginCriterion():forward(b[2], 1) end)
   perr('Linear ' .. b[1], function() return nn.Linear(2, 2):forward(b[2]) end)
   perr('Conv ' .. b[1], function() return nn.SpatialConvolution(1, 1, 1, 1):forward(b[2]) end)
   perr('ConvMM ' .. b[1], function() return nn.SpatialConvolutionMM(1, 1, 1, 1):forward(b[2]) end)
   perr('BN ' .. b[1], function() return nn.BatchNormalization(2):forward(b[2]) end)
   perr('Conv bwd ' .. b[1], function()
      local m = nn.SpatialConvolution(1, 1, 1, 1); local x = torch.rand(1, 2, 2)
      m:forward(x); return m:backward(x, b[2])
   end)
end
perr('Conv int', function() return nn.SpatialConvolution(1, 1, 1, 1):forward(torch.IntTensor(1, 2, 2)) end)
perr('ConvMM long', function() return nn.SpatialConvolutionMM(1, 1, 1, 1):forward(torch.LongTensor(1, 2, 2)) end)
perr('DepthWise table', function() return nn.SpatialDepthWiseConvolution(1, 1, 1, 1):forward({}) end)

local x = torch.randn(1, 2, 5, 5)
fwd('maxpool pad', nn.SpatialMaxPooling(2, 2, 1, 1, 2, 1), x)
fwd('avgpool pad', nn.SpatialAveragePooling(3, 3, 1, 1, 2, 2), x)
fwd('dilmax pad', nn.SpatialDilatedMaxPooling(2, 2, 1, 1, 2, 1, 1, 1), x)
fwd('volmax pad', nn.VolumetricMaxPooling(2, 2, 2, 1, 1, 1, 2, 1, 1), torch.randn(1, 1, 4, 4, 4))
fwd('voldilmax pad', nn.VolumetricDilatedMaxPooling(2, 2, 2, 1, 1, 1, 1, 2, 1), torch.randn(1, 1, 4, 4, 4))
local mm = nn.MultiMarginCriterion()
perr('mm 3d', function() return mm:forward(torch.randn(2, 2, 2), torch.Tensor{1, 2}) end)
perr('mm target size', function() return mm:forward(torch.randn(3, 4), torch.Tensor{1, 2}) end)
perr('mm target range', function() return mm:forward(torch.randn(3, 4), torch.Tensor{1, 2, 5}) end)
perr('mm target 0', function() return mm:forward(torch.randn(4), torch.Tensor{0}) end)
local ml = nn.MultiLabelMarginCriterion()
perr('ml 3d', function() return ml:forward(torch.randn(2, 2, 2), torch.LongTensor(2, 2, 2):fill(1)) end)
perr('ml target size', function() return ml:forward(torch.randn(3, 4), torch.LongTensor{1, 2}) end)
perr('ml target size 1d', function() return ml:forward(torch.randn(4), torch.LongTensor{1, 2}) end)
perr('ml target range', function() return ml:forward(torch.randn(4), torch.LongTensor{1, 5, 0, 0}) end)
perr('ml target neg', function() return ml:forward(torch.randn(4), torch.LongTensor{1, -1, 0, 0}) end)
local sn = nn.SpatialClassNLLCriterion()
perr('snll size', function() return sn:forward(torch.randn(2, 3, 4, 4), torch.Tensor(2, 4, 3):fill(1)) end)
perr('snll batch', function() return sn:forward(torch.randn(2, 3, 4, 4), torch.Tensor(3, 4, 4):fill(1)) end)
perr('snll 3d', function() return sn:forward(torch.randn(3, 4, 4), torch.Tensor(4, 4):fill(1)) end)
perr('snll target 4d', function() return sn:forward(torch.randn(2, 3, 4, 4), torch.Tensor(2, 1, 4, 4):fill(1)) end)
fb('replpad gout', nn.SpatialReplicationPadding(1, 1, 1, 1), torch.randn(1, 2, 2, 2), torch.randn(1, 2, 3, 4))
fb('reflpad gout', nn.SpatialReflectionPadding(1, 1, 1, 1), torch.randn(1, 2, 3, 3), torch.randn(1, 2, 4, 5))
fb('replpad gout dims', nn.SpatialReplicationPadding(1, 1, 1, 1), torch.randn(1, 2, 2, 2), torch.randn(2, 3, 4))
fb('reflpad gout dims', nn.SpatialReflectionPadding(1, 1, 1, 1), torch.randn(2, 3, 3), torch.randn(1, 2, 5, 5))
fb('replpad gout planes', nn.SpatialReplicationPadding(1, 1, 1, 1), torch.randn(1, 2, 2, 2), torch.randn(1, 3, 4, 4))
fwd('fracmax poolsize', nn.SpatialFractionalMaxPooling(3, 3, 4, 4), torch.randn(1, 2, 5, 5))
fwd('fracmax equal', nn.SpatialFractionalMaxPooling(2, 2, 4, 4), torch.randn(1, 2, 5, 5))
fwd('fracmax w', nn.SpatialFractionalMaxPooling(2, 2, 2, 4), torch.randn(1, 2, 5, 5))
fwd('convmap planes', nn.SpatialConvolutionMap(nn.tables.full(3, 2), 3, 3), x)
fwd('convmap small', nn.SpatialConvolutionMap(nn.tables.full(2, 2), 6, 6), x)
fwd('convmap 2d', nn.SpatialConvolutionMap(nn.tables.full(2, 2), 3, 3), torch.randn(5, 5))
fwd('sparse batch', nn.SparseLinear(5, 2), torch.randn(2, 3, 3))
fwd('tsub frame', nn.TemporalSubSampling(3, 2), torch.randn(5, 4))
fwd('tsub 3d', nn.TemporalSubSampling(3, 2), torch.randn(2, 5, 3))
fwd('tsub short', nn.TemporalSubSampling(3, 6), torch.randn(5, 3))
fb('conv gout', nn.SpatialConvolution(2, 2, 3, 3), x, torch.randn(1, 2, 2, 2))
fb('maxpool gout', nn.SpatialMaxPooling(2, 2), x, torch.randn(1, 2, 3, 3))
fb('avgpool gout', nn.SpatialAveragePooling(2, 2), x, torch.randn(1, 2, 3, 3))
fb('conv gout 3d', nn.SpatialConvolution(2, 2, 3, 3), torch.randn(2, 5, 5), torch.randn(2, 3, 4))
fb('conv gout dims', nn.SpatialConvolution(2, 2, 3, 3), torch.randn(2, 5, 5), torch.randn(1, 2, 3, 3))
fb('conv gout planes', nn.SpatialConvolution(2, 2, 3, 3), torch.randn(2, 5, 5), torch.randn(3, 3, 3))
fb('fullconv gout', nn.SpatialFullConvolution(2, 2, 3, 3), torch.randn(2, 5, 5), torch.randn(2, 7, 6))
fb('dilconv gout', nn.SpatialDilatedConvolution(2, 2, 3, 3, 1, 1, 0, 0, 2, 2), torch.randn(2, 5, 5), torch.randn(2, 2, 2))
fb('volconv gout', nn.VolumetricConvolution(1, 2, 2, 2, 2), torch.randn(1, 3, 3, 3), torch.randn(2, 2, 2, 3))
fb('volmax gout', nn.VolumetricMaxPooling(2, 2, 2), torch.randn(1, 4, 4, 4), torch.randn(1, 2, 3, 2))
fb('volavg gout', nn.VolumetricAveragePooling(2, 2, 2), torch.randn(1, 4, 4, 4), torch.randn(1, 2, 2, 3))
fb('dilmax gout', nn.SpatialDilatedMaxPooling(2, 2, 1, 1, 0, 0, 2, 2), torch.randn(1, 5, 5), torch.randn(1, 3, 2))
fb('upnear gout', nn.SpatialUpSamplingNearest(2), torch.randn(1, 2, 2), torch.randn(1, 4, 3))
fb('upbil gout', nn.SpatialUpSamplingBilinear(2), torch.randn(1, 1, 2, 2), torch.randn(1, 1, 3, 3))
fb('upbil gout 3d', nn.SpatialUpSamplingBilinear(2), torch.randn(1, 2, 2), torch.randn(1, 4, 3))
fb('tmax gout', nn.TemporalMaxPooling(2), torch.randn(4, 3), torch.randn(3, 3))
fb('tmax gout frame', nn.TemporalMaxPooling(2), torch.randn(2, 4, 3), torch.randn(2, 2, 4))
for _, name in ipairs({'Exp', 'Log', 'Power'}) do
   fb(name .. ' numel', name == 'Power' and nn.Power(2) or nn[name](), torch.rand(2, 3), torch.randn(2, 2))
end
local bce = nn.BCECriterion()
perr('BCE range', function() return bce:forward(torch.Tensor{0.5, 1.25}, torch.Tensor{1, 0}) end)
perr('BCE neg', function() return bce:forward(torch.Tensor{-0.1, 0.5}, torch.Tensor{1, 0}) end)
perr('BCE nan', function() return bce:forward(torch.Tensor{0.5, 0/0}, torch.Tensor{1, 0}) end)
perr('BCE float', function() return nn.BCECriterion():forward(torch.FloatTensor{1.5, 0.5}, torch.FloatTensor{1, 0}) end)
perr('BCE weights count', function() return nn.BCECriterion(torch.ones(3)):forward(torch.Tensor{0.5, 0.25}, torch.Tensor{1, 0}) end)
perr('BCE weights view', function() return nn.BCECriterion(torch.ones(3)):forward(torch.rand(2, 2), torch.ones(2, 2)) end)
perr('BCE weights 3d', function() return nn.BCECriterion(torch.ones(2)):forward(torch.rand(2, 2, 2), torch.ones(2, 2, 2)) end)
local w = nn.BCECriterion(torch.Tensor{1, 2})
local input, target = torch.Tensor{{0.25, 0.5}, {0.75, 0.125}}, torch.Tensor{{1, 0}, {0, 1}}
dump('BCE weights rows', w:forward(input, target))
dump('BCE weights rows grad', w:backward(input, target))
dump('BCE weights 1d target', nn.BCECriterion(torch.Tensor{1, 2, 3, 4}):forward(input, torch.Tensor{1, 0, 0, 1}))
-- kernel size, stride and dilation checks: each kernel's own argument numbers and words
fwd('conv stride0', nn.SpatialConvolution(2, 2, 3, 3, 0, 1), x)
fwd('avgpool stride0', nn.SpatialAveragePooling(2, 2, 0, 1), x)
fwd('maxpool stride0', nn.SpatialMaxPooling(2, 2, 0, 1), x)
fwd('maxpool kernel0', nn.SpatialMaxPooling(0, 2), x)
fwd('avgpool kernel0', nn.SpatialAveragePooling(2, 0), x)
fwd('dilconv dil0', nn.SpatialDilatedConvolution(2, 2, 3, 3, 1, 1, 0, 0, 0, 1), x)
fwd('dilmax dil0', nn.SpatialDilatedMaxPooling(2, 2, 1, 1, 0, 0, 0, 1), x)
fwd('tconv stride0', nn.TemporalConvolution(2, 2, 2, 0), torch.randn(5, 2))
fwd('tmax stride0', nn.TemporalMaxPooling(2, 0), torch.randn(5, 2))
fwd('tsub stride0', nn.TemporalSubSampling(2, 2, 0), torch.randn(5, 2))
fwd('volavg stride0', nn.VolumetricAveragePooling(2, 2, 2, 0, 1, 1), torch.randn(1, 4, 4, 4))
fwd('volconv stride0', nn.VolumetricConvolution(1, 1, 2, 2, 2, 1, 0, 1), torch.randn(1, 4, 4, 4))
fwd('voldilmax dil0', nn.VolumetricDilatedMaxPooling(2, 2, 2, 1, 1, 1, 0, 0, 0, 1, 0, 1), torch.randn(1, 4, 4, 4))
fwd('voldilconv dil0', nn.VolumetricDilatedConvolution(1, 1, 2, 2, 2, 1, 1, 1, 0, 0, 0, 1, 1, 0), torch.randn(1, 4, 4, 4))
perr('volfull adj', function() return nn.VolumetricFullConvolution(1, 1, 2, 2, 2, 1, 1, 1, 0, 0, 0, 1, 0, 0) end)
perr('volfull stride0', function() return nn.VolumetricFullConvolution(1, 1, 2, 2, 2, 0, 1, 1):forward(torch.randn(1, 4, 4, 4)) end)
