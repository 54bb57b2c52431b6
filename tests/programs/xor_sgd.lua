-- classic nn tutorial: XOR with manual training loop
require 'nn'
torch.manualSeed(0)

mlp = nn.Sequential()
inputs = 2; outputs = 1; HUs = 20
mlp:add(nn.Linear(inputs, HUs))
mlp:add(nn.Tanh())
mlp:add(nn.Linear(HUs, outputs))
print(mlp)

criterion = nn.MSECriterion()
local first, last
for i = 1, 2500 do
  local input = torch.randn(2)
  local output = torch.Tensor(1)
  if input[1] * input[2] > 0 then
    output[1] = -1
  else
    output[1] = 1
  end
  criterion:forward(mlp:forward(input), output)
  mlp:zeroGradParameters()
  mlp:backward(input, criterion:backward(mlp.output, output))
  mlp:updateParameters(0.01)
end

x = torch.Tensor(2)
local correct = 0
for _, p in ipairs({{0.5, 0.5}, {0.5, -0.5}, {-0.5, 0.5}, {-0.5, -0.5}}) do
  x[1] = p[1]; x[2] = p[2]
  local out = mlp:forward(x)
  print(x[1], x[2], out[1])
  local want = (p[1] * p[2] > 0) and -1 or 1
  if out[1] * want > 0 then correct = correct + 1 end
end
print('correct: ' .. correct)
assert(correct >= 3)

-- StochasticGradient trainer
dataset = {}
function dataset:size() return 100 end
for i = 1, dataset:size() do
  local input = torch.randn(2)
  local output = torch.Tensor(1)
  output[1] = (input[1] * input[2] > 0) and -1 or 1
  dataset[i] = {input, output}
end
trainer = nn.StochasticGradient(mlp, criterion)
trainer.learningRate = 0.01
trainer.maxIteration = 3
trainer:train(dataset)
