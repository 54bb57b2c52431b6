-- siamese network with shared weights (clone('weight','bias',...)), ParallelTable, PairwiseDistance
require 'nn'
torch.manualSeed(3)

local encoder = nn.Sequential()
encoder:add(nn.Linear(6, 8))
encoder:add(nn.Tanh())
encoder:add(nn.Linear(8, 3))

local siamese = nn.ParallelTable()
siamese:add(encoder)
siamese:add(encoder:clone('weight', 'bias', 'gradWeight', 'gradBias'))

local model = nn.Sequential()
model:add(siamese)
model:add(nn.PairwiseDistance(2))
print(model)

local crit = nn.HingeEmbeddingCriterion(1)
local params, grads = model:getParameters()
print(params:nElement())
assert(params:nElement() == 6 * 8 + 8 + 8 * 3 + 3)

local function batch()
   local a = torch.randn(6)
   local same = torch.uniform() > 0.5
   local b
   if same then b = a + torch.randn(6) * 0.1 else b = torch.randn(6) end
   return {a, b}, same and 1 or -1
end

local function loss_on(set)
   local l = 0
   for _, s in ipairs(set) do l = l + crit:forward(model:forward(s[1]), s[2]) end
   return l / #set
end
local test = {}
for i = 1, 50 do local x, y = batch(); test[i] = {x, y} end
local before = loss_on(test)
for it = 1, 800 do
   local x, y = batch()
   local out = model:forward(x)
   crit:forward(out, y)
   model:zeroGradParameters()
   model:backward(x, crit:backward(out, y))
   model:updateParameters(0.02)
end
local after = loss_on(test)
print(string.format('loss before %.4f after %.4f', before, after))
assert(after < before)
-- shared: the two branches still have identical weights
local w1 = siamese:get(1):get(1).weight
local w2 = siamese:get(2):get(1).weight
assert(torch.pointer(w1:storage()) == torch.pointer(w2:storage()) or (w1 - w2):abs():max() == 0)
print((w1 - w2):abs():max())

-- share() API
local m1 = nn.Linear(3, 3)
local m2 = nn.Linear(3, 3)
m2:share(m1, 'weight', 'bias')
m1.weight:fill(1)
print(m2.weight[1][1])
assert(m2.weight[2][3] == 1)
