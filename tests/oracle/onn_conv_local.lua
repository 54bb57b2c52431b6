-- SpatialConvolutionLocal in THNN's arithmetic: the output starts as the bias and each position
-- adds its weights times its window column (one BLAS gemm of one column, as TH's addmm picks
-- it), gradients as before: batch and single inputs, strides, padding, Float; to 17 digits.
dofile 'lib/dump.lua'
require 'nn'
torch.manualSeed(61)
local cases = {
   {'batch pad', function() return nn.SpatialConvolutionLocal(3, 2, 6, 6, 3, 3, 1, 1, 1, 1) end, torch.randn(2, 3, 6, 6)},
   {'single', function() return nn.SpatialConvolutionLocal(2, 4, 5, 5, 2, 2) end, torch.randn(2, 5, 5)},
   {'stride', function() return nn.SpatialConvolutionLocal(2, 3, 7, 6, 3, 2, 2, 2, 1, 0) end, torch.randn(2, 2, 6, 7)},
   {'float', function() return nn.SpatialConvolutionLocal(3, 2, 6, 6, 3, 3, 1, 1, 1, 1):float() end, torch.randn(2, 3, 6, 6):float()},
   {'wide', function() return nn.SpatialConvolutionLocal(8, 5, 4, 4, 3, 3) end, torch.randn(3, 8, 4, 4)},
}
for _, c in ipairs(cases) do
   local name, m, x = c[1], c[2](), c[3]
   local o = m:forward(x)
   dump(name .. ' out', o)
   m:zeroGradParameters()
   local go = o:clone():normal()
   dump(name .. ' gi', m:backward(x, go))
   m:backward(x, go, 0.5)
   local _, gp = m:parameters()
   dump(name .. ' gp', gp)
end
