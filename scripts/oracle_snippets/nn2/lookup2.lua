dofile '../h.lua'
require 'nn'
torch.manualSeed(41)
for _, nt in ipairs({1, 2, 3, 0.5, 2.5, 7}) do
   for _, ty in ipairs({'torch.DoubleTensor', 'torch.FloatTensor'}) do
      local l = nn.LookupTable(6, 5, 0, 0.7, nt):type(ty)
      l.weight:mul(3)
      local o = l:forward(torch.LongTensor{{1, 3, 3}, {6, 1, 2}})
      dump('renorm ' .. nt .. ' ' .. ty, l.weight)
   end
end
local l = nn.LookupTable(4, 300, 0, 1, 2)
l.weight:mul(2)
l:forward(torch.LongTensor{2, 4})
dump('wide', l.weight:select(1, 2):narrow(1, 1, 6))
dump('wide sum', l.weight:sum())
