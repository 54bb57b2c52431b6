-- nn.LayerNormalization (its modules, printing, parameters, the random stream after it, values
-- and gradients to 17 digits) and nn.PrintSize's lines going forward and back.
local function dump(name, t)
   if type(t) == 'table' then
      for i, v in ipairs(t) do dump(name .. '[' .. i .. ']', v) end
      return
   end
   if type(t) == 'number' then print(name, string.format('%.17g', t)) return end
   local f = t:double():contiguous():view(-1)
   local parts = {}
   for i = 1, f:nElement() do parts[#parts+1] = string.format('%.17g', f[i]) end
   print(name, torch.typename(t), table.concat(t:size():totable(), 'x'), table.concat(parts, ' '))
end
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
