dofile '../h.lua'
local TMP = os.tmpname() .. '_'  -- files written here
require 'nn'
torch.manualSeed(5)
local a = nn.Linear(3, 3)
local b = a:clone('weight', 'bias', 'gradWeight', 'gradBias')
local m = nn.Sequential():add(a):add(nn.Tanh()):add(b)
torch.save(TMP .. 'shared.t7', m)
local m2 = torch.load(TMP .. 'shared.t7')
m2.modules[1].weight:fill(7)
print(m2.modules[3].weight[1][1])
print(torch.pointer(m2.modules[1].weight:storage()) == torch.pointer(m2.modules[3].weight:storage()))
-- getParameters then save/load
local p, g = m:getParameters()
print(p:nElement())
torch.save(TMP .. 'flat.t7', {model = m, p = p})
local t = torch.load(TMP .. 'flat.t7')
print(t.p:nElement(), torch.pointer(t.p:storage()) == torch.pointer(t.model.modules[1].weight:storage()))
-- optim state save/load
require 'optim'
local state = {learningRate = 0.1, momentum = 0.9}
local x = torch.randn(4)
optim.sgd(function(x) return x:dot(x), x*2 end, x, state)
torch.save(TMP .. 'state.t7', state)
local s2 = torch.load(TMP .. 'state.t7')
local keys = {}
for k, v in pairs(s2) do keys[#keys+1] = k .. '=' .. torch.type(v) end
table.sort(keys)
print(table.concat(keys, ' '))
-- float model round trip
local f = nn.Sequential():add(nn.SpatialConvolution(1,2,3,3)):add(nn.SpatialBatchNormalization(2)):float()
f:forward(torch.FloatTensor(1,1,5,5):uniform())
torch.save(TMP .. 'f.t7', f)
local f2 = torch.load(TMP .. 'f.t7')
print(f2)
print(torch.typename(f2.modules[2].running_mean), torch.typename(f2.modules[1].finput))
dump('running', f2.modules[2].running_var)
-- criterions save
torch.save(TMP .. 'c.t7', nn.ClassNLLCriterion(torch.ones(3)))
local c = torch.load(TMP .. 'c.t7')
print(c, c.sizeAverage, torch.typename(c.weights))
-- load then train mode flags
local d = nn.Sequential():add(nn.Dropout(0.3)); d:evaluate()
torch.save(TMP .. 'd.t7', d)
local d2 = torch.load(TMP .. 'd.t7')
print(d2.train, d2.modules[1].train, d2.modules[1].p)
