-- The training examples of nn's documentation (doc/training.md), seeded: XOR with
-- nn.StochasticGradient (its own "# current error" lines), the same network trained by hand
-- with updateParameters, and a regression with a plain loop of forward/backward and
-- criterion values printed as they are (print of a number, and concatenation).
dofile(paths.concat(paths.dirname(paths.thisfile()), 'common.lua'))
torch.manualSeed(42)

local dataset = {}
function dataset:size() return 100 end
for i = 1, dataset:size() do
   local input = torch.randn(2)
   local output = torch.Tensor(1)
   if input[1] * input[2] > 0 then output[1] = -1 else output[1] = 1 end
   dataset[i] = {input, output}
end

local mlp = nn.Sequential()
mlp:add(nn.Linear(2, 20))
mlp:add(nn.Tanh())
mlp:add(nn.Linear(20, 1))
local criterion = nn.MSECriterion()
local trainer = nn.StochasticGradient(mlp, criterion)
trainer.learningRate = 0.01
trainer.maxIteration = 5
trainer:train(dataset)

local x = torch.Tensor(2)
for _, v in ipairs({{0.5, 0.5}, {0.5, -0.5}, {-0.5, 0.5}, {-0.5, -0.5}}) do
   x[1], x[2] = v[1], v[2]
   print(mlp:forward(x)[1])
end

-- by hand
local mlp2 = nn.Sequential():add(nn.Linear(2, 20)):add(nn.Tanh()):add(nn.Linear(20, 1))
for i = 1, 300 do
   local input = torch.randn(2)
   local output = torch.Tensor(1)
   if input[1] * input[2] > 0 then output[1] = -1 else output[1] = 1 end
   local err = criterion:forward(mlp2:forward(input), output)
   mlp2:zeroGradParameters()
   mlp2:backward(input, criterion:backward(mlp2.output, output))
   mlp2:updateParameters(0.01)
   if i % 20 == 0 then print(i, err) end
end

-- a batch regression with a plain loop
local W = torch.randn(5, 3)
local X = torch.randn(64, 5)
local Y = X * W + 0.1 * torch.randn(64, 3)
local model = nn.Sequential():add(nn.Linear(5, 8)):add(nn.ReLU()):add(nn.Linear(8, 3))
local crit = nn.SmoothL1Criterion()
for epoch = 1, 40 do
   local loss = crit:forward(model:forward(X), Y)
   model:zeroGradParameters()
   model:backward(X, crit:backward(model.output, Y))
   model:updateParameters(0.05)
   if epoch % 4 == 0 then print('epoch ' .. epoch .. ' loss ' .. loss) end
   show('loss', loss)
end
