dofile '../h.lua'
require 'nn'
torch.manualSeed(1)
local function bw(name, m, x, go)
   perr(name, function() m:forward(x); return m:backward(x, go) end)
end
local function crit(name, c, x, t)
   perr(name .. ' fwd', function() return c:forward(x, t) end)
   perr(name .. ' bwd', function() return c:backward(x, t) end)
end
local x = torch.randn(2, 3)
for _, name in ipairs({'Abs', 'ELU', 'HardShrink', 'HardTanh', 'LeakyReLU', 'LogSigmoid', 'PReLU',
      'RReLU', 'Sigmoid', 'SoftPlus', 'SoftShrink', 'Threshold', 'ReLU', 'ReLU6', 'Tanh', 'Sqrt', 'Square',
      'SoftMax', 'LogSoftMax', 'SoftMin', 'SoftSign', 'Exp', 'Log', 'Clamp', 'TanhShrink', 'Power', 'MulConstant', 'AddConstant'}) do
   local m
   if name == 'Clamp' then m = nn.Clamp(-1, 1) elseif name == 'Power' then m = nn.Power(2) elseif name == 'MulConstant' or name == 'AddConstant' then m = nn[name](2) else m = nn[name]() end
   local inp = (name == 'Sqrt' or name == 'Log') and torch.rand(2, 3) or x
   bw(name .. ' numel', m, inp, torch.randn(2, 2))
   bw(name .. ' shape', m, inp, torch.randn(3, 2))
end
bw('BN shape', nn.BatchNormalization(3), torch.randn(4,3), torch.randn(3,4))
bw('Linear go', nn.Linear(3,2), x, torch.randn(2,3))
bw('Linear go shape', nn.Linear(3,2), x, torch.randn(4))
for _, name in ipairs({'MSECriterion', 'AbsCriterion', 'SmoothL1Criterion', 'SoftMarginCriterion', 'DistKLDivCriterion', 'MarginCriterion', 'BCECriterion'}) do
   local inp = torch.rand(2, 3)
   crit(name .. ' numel', nn[name](), inp, torch.rand(2, 2))
   crit(name .. ' shape', nn[name](), inp, torch.rand(3, 2):gt(0.5):double())
   crit(name .. ' flat', nn[name](), inp, torch.rand(6):gt(0.5):double())
end
crit('BCE weights', nn.BCECriterion(torch.rand(2)), torch.rand(2,3), torch.rand(2,3))
perr('L1Cost', function() local c = nn.L1Cost(); c:forward(x); return c:backward(x, torch.randn(2)) end)
