-- Plain training loops (Linear-Tanh-Linear, updateParameters) with each criterion nn's
-- documentation shows: every loss printed to the last digit (THNN's real and accreal sums,
-- double log/exp, sizeAverage divisions in real; the Lua criterions' tensor operations).
dofile(paths.concat(paths.dirname(paths.thisfile()), 'common.lua'))
local function loop(name, crit, make_target, outsize, final)
   torch.manualSeed(11)
   local mlp = nn.Sequential():add(nn.Linear(5, 8)):add(nn.Tanh()):add(nn.Linear(8, outsize))
   if final then mlp:add(final) end
   local x = torch.randn(16, 5)
   local t = make_target()
   for i = 1, 15 do
      mlp:zeroGradParameters()
      local out = mlp:forward(x)
      local loss = crit:forward(out, t)
      mlp:backward(x, crit:backward(out, t))
      mlp:updateParameters(0.05)
      show(name .. ' ' .. i, loss)
   end
end
loop('MSE', nn.MSECriterion(), function() return torch.randn(16, 3) end, 3)
loop('Abs', nn.AbsCriterion(), function() return torch.randn(16, 3) end, 3)
loop('SmoothL1', nn.SmoothL1Criterion(), function() return torch.randn(16, 3) end, 3)
loop('BCE', nn.BCECriterion(), function() return torch.rand(16, 3):gt(0.5):typeAs(torch.Tensor()) end, 3, nn.Sigmoid())
loop('ClassNLL', nn.ClassNLLCriterion(), function() return torch.LongTensor(16):random(4) end, 4, nn.LogSoftMax())
loop('CrossEntropy', nn.CrossEntropyCriterion(), function() return torch.LongTensor(16):random(4) end, 4)
loop('Margin', nn.MarginCriterion(), function() return torch.rand(16, 1):gt(0.5):typeAs(torch.Tensor()):mul(2):add(-1) end, 1)
loop('SoftMargin', nn.SoftMarginCriterion(), function() return torch.rand(16, 1):gt(0.5):typeAs(torch.Tensor()):mul(2):add(-1) end, 1)
loop('MultiMargin', nn.MultiMarginCriterion(), function() return torch.LongTensor(16):random(4) end, 4)
loop('MultiLabelSoftMargin', nn.MultiLabelSoftMarginCriterion(), function() return torch.rand(16, 3):gt(0.5):typeAs(torch.Tensor()) end, 3)
loop('DistKLDiv', nn.DistKLDivCriterion(), function() return torch.rand(16, 4) end, 4, nn.LogSoftMax())
loop('HingeEmbedding', nn.HingeEmbeddingCriterion(), function() return torch.rand(16, 1):gt(0.5):typeAs(torch.Tensor()):mul(2):add(-1) end, 1)
loop('L1Cost', nn.L1Cost(), function() return nil end, 3)
