-- CIFAR tutorial style: dataset table with size(), per-channel normalization, YUV, float default type,
-- BatchNormalization convnet, minibatches via index, optim.sgd with momentum, optim.Logger
require 'nn'
require 'optim'
require 'image'
torch.setdefaulttensortype('torch.FloatTensor')
torch.manualSeed(2024)
print(torch.getdefaulttensortype())
local trsize = 96
local trainData = {
   data = torch.Tensor(trsize, 3, 12, 12),
   labels = torch.Tensor(trsize),
   size = function() return trsize end
}
for i = 1, trsize do
   local c = (i % 3) + 1
   trainData.labels[i] = c
   trainData.data[i]:uniform(0, 0.5)
   trainData.data[i][c]:add(0.5)   -- the class is the dominant colour
end
print(torch.type(trainData.data))
-- preprocessing as in the tutorial
for i = 1, trainData:size() do
   trainData.data[i] = image.rgb2yuv(trainData.data[i])
end
local channels = {'y', 'u', 'v'}
local mean, std = {}, {}
for i, channel in ipairs(channels) do
   mean[i] = trainData.data[{ {}, i, {}, {} }]:mean()
   std[i] = trainData.data[{ {}, i, {}, {} }]:std()
   trainData.data[{ {}, i, {}, {} }]:add(-mean[i])
   trainData.data[{ {}, i, {}, {} }]:div(std[i])
end
for i, channel in ipairs(channels) do
   local m = trainData.data[{ {}, i }]:mean()
   local s = trainData.data[{ {}, i }]:std()
   print('training data, ' .. channel .. '-channel, mean: ' .. string.format('%.3f', m))
   print('training data, ' .. channel .. '-channel, standard deviation: ' .. string.format('%.3f', s))
   assert(math.abs(m) < 1e-3 and math.abs(s - 1) < 1e-3)
end

local model = nn.Sequential()
model:add(nn.SpatialConvolutionMM(3, 8, 3, 3))
model:add(nn.SpatialBatchNormalization(8, 1e-3))
model:add(nn.ReLU())
model:add(nn.SpatialMaxPooling(2, 2))
model:add(nn.View(8 * 5 * 5))
model:add(nn.Linear(8 * 5 * 5, 16))
model:add(nn.BatchNormalization(16))
model:add(nn.Tanh())
model:add(nn.Linear(16, 3))
model:add(nn.LogSoftMax())
print(model)
local criterion = nn.ClassNLLCriterion()
local parameters, gradParameters = model:getParameters()
print(torch.type(parameters))
local logfile = os.tmpname()
local trainLogger = optim.Logger(logfile)
local confusion = optim.ConfusionMatrix(3)
local optimState = {learningRate = 0.05, momentum = 0.9, weightDecay = 5e-4, nesterov = true, dampening = 0}
local batchSize = 16
for epoch = 1, 5 do
   model:training()
   local shuffle = torch.randperm(trsize)
   for t = 1, trsize, batchSize do
      local idx = shuffle[{{t, t + batchSize - 1}}]:long()
      local inputs = trainData.data:index(1, idx)
      local targets = trainData.labels:index(1, idx)
      local feval = function(x)
         if x ~= parameters then parameters:copy(x) end
         gradParameters:zero()
         local outputs = model:forward(inputs)
         local f = criterion:forward(outputs, targets)
         model:backward(inputs, criterion:backward(outputs, targets))
         confusion:batchAdd(outputs, targets)
         return f, gradParameters
      end
      optim.sgd(feval, parameters, optimState)
   end
   confusion:updateValids()
   trainLogger:add{['% mean class accuracy (train set)'] = confusion.totalValid * 100}
   print(string.format('epoch %d: %.1f%%', epoch, confusion.totalValid * 100))
   if epoch < 5 then confusion:zero() end
end
print(confusion)
assert(confusion.totalValid > 0.9)
model:evaluate()
local out = model:forward(trainData.data[1])
print(out:dim(), out:size(1))
local f = io.open(logfile)
local header = f:read('*l')
f:close()
print(header)
os.remove(logfile)
torch.setdefaulttensortype('torch.DoubleTensor')
