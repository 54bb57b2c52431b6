-- CIFAR/MNIST-style training loop: CmdLine, getParameters, optim.sgd, ConfusionMatrix, xlua.progress
require 'torch'
require 'nn'
require 'optim'
require 'xlua'

cmd = torch.CmdLine()
cmd:text()
cmd:text('Training a simple network')
cmd:text()
cmd:text('Options:')
cmd:option('-seed', 1, 'fixed input seed for repeatable experiments')
cmd:option('-learningRate', 0.05, 'learning rate at t=0')
cmd:option('-batchSize', 10, 'mini-batch size (1 = pure stochastic)')
cmd:option('-momentum', 0.9, 'momentum (SGD only)')
cmd:option('-epochs', 4, 'number of epochs')
cmd:option('-threads', 1, 'nb of threads to use')
cmd:option('-save', 'logs', 'subdirectory to save/log experiments in')
cmd:text()
opt = cmd:parse(arg or {})

torch.manualSeed(opt.seed)
torch.setnumthreads(opt.threads)
print('<torch> set nb of threads to ' .. torch.getnumthreads())

classes = {'1','2','3','4'}
local N = 200
local trainData = {data = torch.Tensor(N, 8, 8), labels = torch.Tensor(N), size = function() return N end}
for i = 1, N do
   local c = (i - 1) % 4 + 1
   trainData.labels[i] = c
   trainData.data[i]:normal(0, 0.3)
   local r = math.floor((c - 1) / 2) * 4 + 1
   local col = ((c - 1) % 2) * 4 + 1
   trainData.data[i][{{r, r + 3}, {col, col + 3}}]:add(1)
end

-- normalize
local mean = trainData.data:mean()
local std = trainData.data:std()
trainData.data:add(-mean):div(std)

model = nn.Sequential()
model:add(nn.Reshape(64))
model:add(nn.Linear(64, 32))
model:add(nn.Tanh())
model:add(nn.Linear(32, #classes))
model:add(nn.LogSoftMax())
criterion = nn.ClassNLLCriterion()

confusion = optim.ConfusionMatrix(classes)
parameters, gradParameters = model:getParameters()
print('parameters: ' .. parameters:nElement())

optimState = {
   learningRate = opt.learningRate,
   weightDecay = 0,
   momentum = opt.momentum,
   learningRateDecay = 1e-7
}

local lastLoss
function train(epoch)
   model:training()
   local shuffle = torch.randperm(N)
   local totalLoss = 0
   for t = 1, N, opt.batchSize do
      xlua.progress(t, N)
      local inputs, targets = {}, {}
      for i = t, math.min(t + opt.batchSize - 1, N) do
         table.insert(inputs, trainData.data[shuffle[i]])
         table.insert(targets, trainData.labels[shuffle[i]])
      end
      local feval = function(x)
         if x ~= parameters then parameters:copy(x) end
         gradParameters:zero()
         local f = 0
         for i = 1, #inputs do
            local output = model:forward(inputs[i])
            local err = criterion:forward(output, targets[i])
            f = f + err
            local df_do = criterion:backward(output, targets[i])
            model:backward(inputs[i], df_do)
            confusion:add(output, targets[i])
         end
         gradParameters:div(#inputs)
         f = f / #inputs
         return f, gradParameters
      end
      local _, fs = optim.sgd(feval, parameters, optimState)
      totalLoss = totalLoss + fs[1]
   end
   xlua.progress(N, N)
   print(confusion)
   local acc = confusion.totalValid
   confusion:zero()
   return totalLoss, acc
end

local losses = {}
local acc
for epoch = 1, opt.epochs do
   local l
   l, acc = train(epoch)
   losses[epoch] = l
   print(string.format('epoch %d loss %.4f', epoch, l))
end
assert(losses[#losses] < losses[1], 'loss did not decrease')
assert(acc > 0.9, 'accuracy too low: ' .. acc)
