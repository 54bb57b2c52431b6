-- SeqGRU:toGRU: an nn.GRU with the same weights and gradients gives the same outputs
require 'rnn'
torch.manualSeed(4)
local s = nn.SeqGRU(3, 4)
s.bias:uniform(-1, 1)
local x = torch.randn(5, 2, 3)
local y = s:forward(x)
local g = nn.Sequencer(s:toGRU())
local y2 = g:forward(x)
print((y - y2):abs():max())
s:zeroGradParameters(); s:backward(x, y:clone():fill(1))
local p, gp = s:toGRU():parameters()
print(gp[1]:sum(), gp[5]:sum())
