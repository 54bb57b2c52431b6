-- nngraph README examples: MLP gModule, multiple inputs/outputs, annotate, module utilities
require 'nngraph'
torch.manualSeed(4)
h1 = nn.Linear(20, 10)()
h2 = nn.Linear(10, 1)(nn.Tanh()(nn.Linear(10, 10)(nn.Tanh()(h1))))
mlp = nn.gModule({h1}, {h2})
x = torch.rand(20)
dx = torch.rand(1)
mlp:updateOutput(x)
mlp:updateGradInput(x, dx)
mlp:accGradParameters(x, dx)
print(mlp.output:size(1))

h1 = nn.Linear(20, 20)()
h2 = nn.Linear(10, 10)()
hh1 = nn.Linear(20, 1)(nn.Tanh()(h1))
hh2 = nn.Linear(10, 1)(nn.Tanh()(h2))
madd = nn.CAddTable()({hh1, hh2})
oA = nn.Sigmoid()(madd)
oB = nn.Tanh()(madd)
gmod = nn.gModule({h1, h2}, {oA, oB})
x1 = torch.rand(20)
x2 = torch.rand(10)
gmod:updateOutput({x1, x2})
gmod:updateGradInput({x1, x2}, {torch.rand(1), torch.rand(1)})
print(#gmod.output, gmod.output[1]:size(1))
local yB = gmod.output[2][1]
local expectedA = {1 / (1 + math.exp(-0.5 * math.log((1 + yB) / (1 - yB))))}
print(string.format('%.6f %.6f', gmod.output[1][1], expectedA[1]))
assert(math.abs(gmod.output[1][1] - expectedA[1]) < 1e-10)

-- node annotations and graph traversal
local input = nn.Identity()():annotate{name = 'input', description = 'the input'}
local hid = nn.ReLU()(nn.Linear(4, 6)(input)):annotate{name = 'hidden'}
local out = nn.Linear(6, 2)(hid)
local g = nn.gModule({input}, {out})
local names = {}
for _, node in ipairs(g.forwardnodes) do
   if node.data.annotations.name then names[#names + 1] = node.data.annotations.name end
end
table.sort(names)
print(table.concat(names, ' '))
print(#g.forwardnodes, #g:parameters())

-- gModule with a training step and getParameters
local w, dw = g:getParameters()
local crit = nn.CrossEntropyCriterion()
local X = torch.randn(32, 4)
local Y = torch.LongTensor(32)
for i = 1, 32 do Y[i] = X[i][1] > 0 and 1 or 2 end
local l0
for i = 1, 100 do
   dw:zero()
   local o = g:forward(X)
   local l = crit:forward(o, Y)
   l0 = l0 or l
   g:backward(X, crit:backward(o, Y))
   w:add(-0.5, dw)
end
print(string.format('%.3f -> %.3f', l0, crit.output))
assert(crit.output < l0 * 0.5)

-- Module utilities
local seq = nn.Sequential():add(nn.Linear(3, 3)):add(nn.ReLU()):add(nn.Sequential():add(nn.Linear(3, 2)):add(nn.ReLU()))
local relus = seq:findModules('nn.ReLU')
print(#relus, #seq:listModules())
seq:replace(function(m)
   if torch.typename(m) == 'nn.ReLU' then return nn.Tanh() end
   return m
end)
print(seq)
local count = 0
seq:apply(function(m) count = count + 1 end)
print(count)
seq:remove(2)
seq:insert(nn.Sigmoid(), 2)
print(seq:size(), torch.type(seq:get(2)))
print(seq:forward(torch.ones(3)):size(1))
local g2 = g:clone()
local same = (g2:forward(X) - g:forward(X)):abs():max()
print(same)
