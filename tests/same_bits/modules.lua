-- nn modules after a forward and backward pass, as user code sees them: the fields each module
-- holds (Torch's working buffers included, e.g. nn.Linear's addBuffer in batch mode) and the
-- signs of zero gradients (ReLU/Threshold backward of a negative gradOutput gives +0).
dofile(paths.concat(paths.dirname(paths.thisfile()), 'common.lua'))
torch.manualSeed(5)

local function keys(m)
   local ks = {}
   for k, v in pairs(m) do
      local tv = torch.type(v)
      ks[#ks + 1] = k .. ':' .. (tv:find('Tensor') and 'Tensor' or tv)
   end
   table.sort(ks)
   return table.concat(ks, ' ')
end

local function signs(t)
   local neg = 0
   local flat = t:contiguous():view(-1)
   for i = 1, flat:nElement() do
      local v = flat[i]
      if v == 0 and 1 / v < 0 then neg = neg + 1 end
   end
   return neg
end

local cases = {
   {'Linear batch', function() return nn.Linear(4, 3) end, torch.randn(5, 4)},
   {'Linear vector', function() return nn.Linear(4, 3) end, torch.randn(4)},
   {'ReLU', function() return nn.ReLU() end, torch.randn(3, 4)},
   {'ReLU inplace', function() return nn.ReLU(true) end, torch.randn(3, 4)},
   {'Threshold', function() return nn.Threshold(0.1, -2) end, torch.randn(3, 4)},
   {'Tanh', function() return nn.Tanh() end, torch.randn(3, 4)},
   {'Sigmoid', function() return nn.Sigmoid() end, torch.randn(3, 4)},
   {'SoftMax', function() return nn.SoftMax() end, torch.randn(3, 4)},
   {'LogSoftMax', function() return nn.LogSoftMax() end, torch.randn(3, 4)},
   {'SpatialConvolution', function() return nn.SpatialConvolution(2, 3, 3, 3) end, torch.randn(2, 2, 5, 5)},
   {'SpatialMaxPooling', function() return nn.SpatialMaxPooling(2, 2, 2, 2) end, torch.randn(2, 2, 4, 4)},
   {'SpatialBatchNormalization', function() return nn.SpatialBatchNormalization(2) end, torch.randn(3, 2, 4, 4)},
   {'BatchNormalization', function() return nn.BatchNormalization(4) end, torch.randn(5, 4)},
   {'Dropout', function() return nn.Dropout(0.5) end, torch.randn(3, 4)},
   {'View', function() return nn.View(-1) end, torch.randn(3, 4)},
   {'Reshape', function() return nn.Reshape(12) end, torch.randn(3, 4)},
   {'CMul', function() return nn.CMul(4) end, torch.randn(3, 4)},
   {'Mul', function() return nn.Mul() end, torch.randn(3, 4)},
   {'Add', function() return nn.Add(4) end, torch.randn(3, 4)},
   {'Euclidean', function() return nn.Euclidean(4, 2) end, torch.randn(3, 4)},
   {'Bilinear', function() return nn.Bilinear(4, 4, 2) end, {torch.randn(3, 4), torch.randn(3, 4)}},
   {'Normalize', function() return nn.Normalize(2) end, torch.randn(3, 4)},
   {'MM', function() return nn.MM() end, {torch.randn(2, 3, 4), torch.randn(2, 4, 2)}},
   {'CosineDistance', function() return nn.CosineDistance() end, {torch.randn(3, 4), torch.randn(3, 4)}},
   {'PairwiseDistance', function() return nn.PairwiseDistance(2) end, {torch.randn(3, 4), torch.randn(3, 4)}},
   {'LookupTable', function() return nn.LookupTable(10, 3) end, torch.LongTensor{{1, 2}, {3, 4}}},
   {'TemporalConvolution', function() return nn.TemporalConvolution(4, 3, 2) end, torch.randn(2, 5, 4)},
   {'Max', function() return nn.Max(2) end, torch.randn(3, 4)},
   {'Sum', function() return nn.Sum(2) end, torch.randn(3, 4)},
   {'Mean', function() return nn.Mean(2) end, torch.randn(3, 4)},
   {'SoftPlus', function() return nn.SoftPlus() end, torch.randn(3, 4)},
   {'ELU', function() return nn.ELU() end, torch.randn(3, 4)},
   {'LeakyReLU', function() return nn.LeakyReLU() end, torch.randn(3, 4)},
   {'PReLU', function() return nn.PReLU() end, torch.randn(3, 4)},
   {'HardTanh', function() return nn.HardTanh() end, torch.randn(3, 4)},
   {'Abs', function() return nn.Abs() end, torch.randn(3, 4)},
   {'Square', function() return nn.Square() end, torch.randn(3, 4)},
   {'Sqrt', function() return nn.Sqrt() end, torch.rand(3, 4)},
   {'Power', function() return nn.Power(2) end, torch.randn(3, 4)},
}
for _, c in ipairs(cases) do
   local name, make, input = c[1], c[2], c[3]
   local m = make()
   local out = m:forward(input)
   local gout
   if torch.isTensor(out) then gout = out:clone():fill(-1) else gout = torch.Tensor() end
   m:zeroGradParameters()
   local gin = m:backward(input, gout)
   io.write(name, ': ', keys(m), '\n')
   if torch.isTensor(gin) and gin:nElement() > 0 and gin:type() ~= 'torch.LongTensor' then
      io.write(name, ' gradInput -0 count: ', signs(gin), '\n')
   end
end
-- printing a gradient with zeros: Torch prints 0.0000 (not -0.0000)
local r = nn.ReLU()
local x = torch.Tensor{{-1, 2}, {3, -4}}
r:forward(x)
io.write(tostring(r:backward(x, torch.Tensor{{-1, -2}, {-3, -4}})), '\n')
local th = nn.Threshold(0, 0, true)
local x2 = torch.Tensor{-1, 2, 0 / 0}
th:forward(x2:clone())
io.write(tostring(th:backward(x2, torch.Tensor{-5, -6, -7})), '\n')
