-- ../shared/bench/b_mlp_train.lua's model and data, every loss printed: MLP 784-1024-1024-10,
-- LogSoftMax + ClassNLLCriterion, batch 128, updateParameters(0.01); 3 + 50 steps as the bench.
dofile(paths.concat(paths.dirname(paths.thisfile()), 'common.lua'))
torch.manualSeed(1)
local model = nn.Sequential()
model:add(nn.Linear(784, 1024)):add(nn.ReLU())
model:add(nn.Linear(1024, 1024)):add(nn.ReLU())
model:add(nn.Linear(1024, 10)):add(nn.LogSoftMax())
local crit = nn.ClassNLLCriterion()
local x = torch.randn(128, 784)
local y = torch.LongTensor(128):random(10)
for i = 1, tonumber(arg[2]) or 53 do
   model:zeroGradParameters()
   local out = model:forward(x)
   local loss = crit:forward(out, y)
   model:backward(x, crit:backward(out, y))
   model:updateParameters(0.01)
   show('step ' .. i, loss)
end
