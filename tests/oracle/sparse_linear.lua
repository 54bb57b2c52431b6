-- nn.SparseLinear as Torch7's: a batch packed into formatted_input, sparse updates of the last
-- input's columns only, the legacy batch x nnz x 2 form, the dense gradInput, and the error
-- of a 1D gradOutput given to backward twice (nn resizes it to 1 x n the first time)
require 'nn'
torch.manualSeed(3)
local function fields(m)
   local ks = {}
   for k, v in pairs(m) do ks[#ks + 1] = k .. ':' .. torch.type(v) end
   table.sort(ks)
   print(table.concat(ks, ' '))
end
local m = nn.SparseLinear(6, 3, true)
local b = {torch.Tensor{{1, 0.5}, {4, -1}}, torch.Tensor{{2, 3}, {6, 0.25}, {1, -2}}}
print(m:forward(b))
m:zeroGradParameters()
local gi = m:backward(b, torch.Tensor{{1, -1, 0.5}, {2, 0.125, -3}})
print(#gi, gi[2])
print(m.gradWeight, m.gradBias, m.sparseUpdate)
m:updateParameters(0.1)
print(m.weight, m.bias)
m:zeroGradParameters()
print(m.gradWeight, m.sparseUpdate)
fields(m)
print(m.formatted_input, m.lastInput)
print(m)

local s = nn.SparseLinear(6, 3)
local x = torch.Tensor{{1, 0.5}, {4, -1}, {6, 2}}
print(s:forward(x))
s:zeroGradParameters()
s:backward(x, torch.Tensor{1, 2, 3})
print(s.gradWeight, s.gradBias)
local ok, err = pcall(function() local go = torch.Tensor{1, 2, 3}; s:backward(x, go); s:backward(x, go) end)
print(ok, err:match('(inconsistent tensor size.-respectively)'))

local l = nn.SparseLinear(4, 2)
local lx = torch.Tensor{{{1, 0.5}, {3, 2}}, {{2, 1}, {4, 0}}}
print(l:forward(lx))
l:zeroGradParameters()
l:backward(lx, torch.Tensor{{1, -2}, {0.5, 3}})
print(l.gradWeight, l.gradBias, l.legacyMode)
l:updateParameters(1)
print(l.weight, l.bias)
fields(l)
