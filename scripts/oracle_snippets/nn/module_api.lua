dofile '../h.lua'
require 'nn'
torch.manualSeed(9)
-- getParameters twice, shared modules
local a = nn.Linear(3, 2)
local b = a:clone('weight', 'bias', 'gradWeight', 'gradBias')
local s = nn.Sequential():add(a):add(nn.Tanh()):add(b)
local p, g = s:getParameters()
print(p:nElement(), g:nElement())
local p2, g2 = s:getParameters()
print(p2:nElement(), torch.pointer(p2:storage()) == torch.pointer(p:storage()))
-- type conversion keeps sharing
local m = nn.Sequential():add(nn.Linear(3,3))
local m2 = m:clone('weight')
local both = nn.Sequential():add(m):add(m2)
both:float()
m.modules[1].weight:fill(3)
print(m2.modules[1].weight[1][1])
-- training/evaluate
print(both.train, both.modules[1].train)
-- accUpdateGradParameters / updateParameters
local l = nn.Linear(2, 2)
local w0 = l.weight:clone()
l:zeroGradParameters()
l:forward(torch.ones(2))
l:backward(torch.ones(2), torch.ones(2))
l:updateParameters(0.1)
dump('upd', l.weight - w0)
l:accUpdateGradParameters(torch.ones(2), torch.ones(2), 0.1)
dump('accupd', l.weight - w0)
-- gradParamClip / norms
local l2 = nn.Linear(3, 3)
l2:zeroGradParameters()
l2:forward(torch.randn(3))
l2:backward(torch.randn(3), torch.randn(3):mul(100))
print(l2.gradParamClip and 'has gradParamClip' or 'no gradParamClip')
-- Module:apply, listModules count
local n = 0
both:apply(function() n = n + 1 end)
print(n, #both:listModules())
-- findModules with container
local mods, conts = both:findModules('nn.Linear')
print(#mods, #conts, torch.typename(conts[1]))
-- nn.Module:__call__? 
print(pcall(function() return nn.Linear(2,2)(torch.ones(2)) end))
-- sharedClone
print(nn.Module.sharedClone ~= nil, nn.Module.sparseParameters ~= nil)
-- flattenParameters
print(nn.Module.flattenParameters ~= nil)
-- parameters of container with no-param modules
print(#nn.Sequential():add(nn.Tanh()):parameters())
-- nn.Module.type returns
print(torch.typename(nn.Linear(2,2):type('torch.FloatTensor').weight))
print(nn.Linear(2,2):type())
-- zeroGradParameters on Sequential
-- reset with stdv
torch.manualSeed(1)
local r = nn.Linear(4,4); r:reset(0.5)
dump('reset', r.weight[1])
torch.manualSeed(1)
local c = nn.SpatialConvolution(2,2,3,3); c:reset()
dump('creset', c.bias)
torch.manualSeed(1)
dump('lin init', nn.Linear(3,2).weight)
dump('lin init b', nn.Linear(3,2).bias)
torch.manualSeed(1)
dump('conv init', nn.SpatialConvolution(1,2,2,2).weight)
torch.manualSeed(1)
dump('lookup init', nn.LookupTable(3,2).weight)
torch.manualSeed(1)
dump('bn init', nn.BatchNormalization(3).weight)
dump('sbn init', nn.SpatialBatchNormalization(3).bias)
torch.manualSeed(1)
dump('tconv', nn.TemporalConvolution(2,2,2).weight)
dump('fullconv', nn.SpatialFullConvolution(2,2,2,2).weight)
dump('volconv', nn.VolumetricConvolution(1,1,2,2,2).weight)
dump('prelu', nn.PReLU(3).weight)
dump('cmul', nn.CMul(3).weight)
dump('add', nn.Add(3).bias)
dump('mul', nn.Mul().weight)
dump('euclid', nn.Euclidean(2,2).weight)
dump('cosine', nn.Cosine(2,2).weight)
dump('bilinear', nn.Bilinear(2,2,2).weight)
dump('dilated', nn.SpatialDilatedConvolution(1,1,2,2).weight)
dump('convlocal', nn.SpatialConvolutionLocal(1,1,3,3,2,2).weight)
dump('linearnobias', nn.Linear(2,2,false).weight)
print(nn.Linear(2,2,false).bias)
