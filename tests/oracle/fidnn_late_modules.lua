-- nn.LayerNormalization (its modules, printing, parameters, the random stream after it, values
-- and gradients to 17 digits) and nn.PrintSize's lines going forward and back.
dofile 'lib/dump.lua'
require 'nn'
torch.manualSeed(4)
local ln = nn.LayerNormalization(5)
print(ln)
print(torch.uniform())
local x = torch.randn(3, 5)
dump('ln out', ln:forward(x))
dump('ln gi', ln:backward(x, torch.randn(3, 5)))
local p, g = ln:parameters()
print(#p)
dump('ln gp', g)
local ln2 = nn.LayerNormalization(4, 0.5, 1e-5, false)
print(ln2)
dump('ln2', ln2:forward(torch.randn(2, 4)))
local ps = nn.Sequential():add(nn.Linear(3, 2)):add(nn.PrintSize('mid')):add(nn.Tanh())
ps:forward(torch.randn(4, 3))
ps:backward(torch.randn(4, 3), torch.randn(4, 2))
print(nn.PrintSize())
local p2 = nn.PrintSize()
p2:forward({torch.randn(2)})
p2:backward(torch.randn(2), nil)
