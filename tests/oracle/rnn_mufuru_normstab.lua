-- nn.MuFuRu (all operators and a subset) and nn.NormStabilizer between recurrent layers,
-- seeded: outputs, gradients, the penalty, evaluation
require 'rnn'
torch.manualSeed(5)
local m = nn.MuFuRu(3, 4)
print(m)
local m2 = nn.MuFuRu(3, 2, {'keep', 'replace', 'max'})
print(m2)
local seq = nn.Sequencer(m)
local x = {}
for t = 1, 3 do x[t] = torch.randn(2, 3) end
local y = seq:forward(x)
print(y[3])
local go = {}
for t = 1, 3 do go[t] = torch.randn(2, 4) end
seq:zeroGradParameters()
local gi = seq:backward(x, go)
print(gi[1], gi[3])
local p, gp = seq:parameters()
for i = 1, #gp do print(i, gp[i]:sum()) end
local s2 = nn.Sequencer(m2)
print(s2:forward(x)[2])
-- NormStabilizer between two recurrent layers
local net = nn.Sequential():add(nn.Sequencer(nn.FastLSTM(3, 4))):add(nn.Sequencer(nn.NormStabilizer(0.5)))
print(net)
local out = net:forward(x)
local ns = net:get(2):get(1)
print('loss', ns:updateLoss())
net:zeroGradParameters()
local g = net:backward(x, go)
print(g[1], g[2])
ns:evaluate()
print(ns:forward(x[1]))
