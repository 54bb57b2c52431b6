-- The modules nn gained late: construction (parameter init draws), forward, backward and printing
require 'nn'
local function report(name, m, input, gradOutput)
   torch.manualSeed(7)
   local out = m:forward(input)
   local function sum(x)
      if torch.isTensor(x) then return x:double():sum() end
      local s = 0
      for _, v in ipairs(x) do s = s + sum(v) end
      return s
   end
   local line = string.format('%s  out %.5f', name, sum(out))
   if gradOutput then
      local gi = m:backward(input, gradOutput)
      line = line .. string.format('  gradIn %.5f', sum(gi))
      local _, gp = m:parameters()
      for i, g in ipairs(gp or {}) do
         if torch.isTensor(g) then line = line .. string.format('  g%d %.6f', i, g:sum()) end
      end
   end
   print(line)
   print(m)
end
torch.manualSeed(1)
local x4 = torch.randn(2, 3, 4, 5)
report('FeatureLPPooling', nn.FeatureLPPooling(2, 1, 2, 1), torch.rand(2, 5, 3), torch.ones(2, 4, 3))
report('UpSampling nearest', nn.UpSampling(2), x4, torch.randn(2, 3, 8, 10))
report('UpSampling linear', nn.UpSampling(3, 'bilinear'), x4, torch.randn(2, 3, 12, 15))
report('UpSampling trilinear', nn.UpSampling({odepth = 3, oheight = 4, owidth = 3}, 'trilinear'),
       torch.randn(1, 2, 2, 3, 2), torch.randn(1, 2, 3, 4, 3))
report('SpatialDepthWiseConvolution', nn.SpatialDepthWiseConvolution(3, 2, 3, 3, 1, 1, 1, 1), x4,
       torch.randn(2, 6, 4, 5))
local vf = nn.VolumetricFractionalMaxPooling(2, 2, 2, 2, 2, 2)
report('VolumetricFractionalMaxPooling', vf, torch.randn(2, 5, 5, 5), torch.randn(2, 2, 2, 2))
print(vf.indices)
report('WeightNorm', nn.WeightNorm(nn.Linear(4, 3)), torch.randn(2, 4), torch.randn(2, 3))
report('LinearWeightNorm', nn.LinearWeightNorm(4, 3), torch.randn(2, 4), torch.randn(2, 3))
report('CReLU', nn.CReLU(3), torch.randn(2, 3, 2), torch.randn(2, 6, 2))
local km = nn.Kmeans(2, 3)
report('Kmeans', km, torch.randn(5, 3))
print(km.output, km.loss)
report('OneHot', nn.OneHot(4), torch.LongTensor{{1, 4}, {2, 2}})
report('Constant', nn.Constant(torch.Tensor{1, 2}, 1), torch.randn(3, 2), torch.randn(3, 2))
report('Collapse', nn.Collapse(2), torch.randn(2, 3, 2), torch.randn(2, 6))
report('Convert', nn.Convert('bchw', 'bhwc'), x4, torch.randn(2, 4, 5, 3))
report('WhiteNoise', nn.WhiteNoise(0.5, 2), torch.zeros(3), torch.ones(3))
report('CAddTensorTable', nn.CAddTensorTable(), {torch.randn(2), {torch.randn(2), torch.randn(2)}},
       {torch.ones(2), torch.ones(2)})
report('ZipTableOneToMany', nn.ZipTableOneToMany(), {torch.randn(2), {torch.randn(2), torch.randn(3)}},
       {{torch.ones(2), torch.ones(2)}, {torch.ones(2), torch.ones(3)}})
report('ZeroGrad', nn.ZeroGrad(), torch.randn(3), torch.randn(3))
report('NaN', nn.NaN(nn.Linear(2, 2), 3), torch.randn(2), torch.randn(2))
report('DontCast', nn.DontCast(nn.Linear(2, 2):float(), true), torch.randn(2), torch.randn(2))
local il = nn.IndexLinear(6, 2)
il:reset()
report('IndexLinear', il, {{torch.LongTensor{1, 3}, torch.LongTensor{6}}, {torch.randn(2), torch.randn(1)}},
       torch.randn(2, 2))
print(il.weight, il.bias)
print(nn.Profile(nn.Tanh(), 5, 'tanh'))
