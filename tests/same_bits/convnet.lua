-- Two seeded convolutional networks trained by optim, as tutorials write them: an image
-- classifier (SpatialConvolution with padding, batch normalization, max and average pooling,
-- dropout, CrossEntropyCriterion, sgd with momentum and weight decay) and a text classifier
-- (LookupTable, TemporalConvolution, TemporalMaxPooling, Max, adam). Every loss is printed.
dofile(paths.concat(paths.dirname(paths.thisfile()), 'common.lua'))
require 'optim'
torch.manualSeed(2024)
local steps = tonumber(arg[2]) or 8

local net = nn.Sequential()
net:add(nn.SpatialConvolution(3, 6, 3, 3, 1, 1, 1, 1))
net:add(nn.SpatialBatchNormalization(6))
net:add(nn.ReLU(true))
net:add(nn.SpatialMaxPooling(2, 2, 2, 2))
net:add(nn.SpatialConvolution(6, 8, 3, 3))
net:add(nn.Tanh())
net:add(nn.SpatialAveragePooling(2, 2, 1, 1))
net:add(nn.View(-1):setNumInputDims(3))
net:add(nn.Dropout(0.3))
net:add(nn.Linear(8 * 2 * 2, 5))
local crit = nn.CrossEntropyCriterion()
local images = torch.randn(10, 3, 10, 10)
local labels = torch.LongTensor(10):random(5)
local w, dw = net:getParameters()
local state = {learningRate = 0.05, momentum = 0.9, weightDecay = 1e-3}
for i = 1, steps do
   local _, fs = optim.sgd(function()
      dw:zero()
      local loss = crit:forward(net:forward(images), labels)
      net:backward(images, crit:backward(net.output, labels))
      return loss, dw
   end, w, state)
   show('image loss', fs[1])
end
net:evaluate()
show('image eval', crit:forward(net:forward(images), labels))

local vocab, dim, len = 20, 6, 12
local text = nn.Sequential()
text:add(nn.LookupTable(vocab, dim))
text:add(nn.TemporalConvolution(dim, 7, 3))
text:add(nn.ReLU())
text:add(nn.TemporalMaxPooling(2))
text:add(nn.TemporalConvolution(7, 5, 2, 2))
text:add(nn.Max(2))
text:add(nn.Linear(5, 3))
text:add(nn.LogSoftMax())
local nll = nn.ClassNLLCriterion()
local docs = torch.LongTensor(8, len):random(vocab)
local classes = torch.LongTensor(8):random(3)
local tw, tdw = text:getParameters()
local adam = {learningRate = 0.01}
for i = 1, steps do
   local _, fs = optim.adam(function()
      tdw:zero()
      local loss = nll:forward(text:forward(docs), classes)
      text:backward(docs, nll:backward(text.output, classes))
      return loss, tdw
   end, tw, adam)
   show('text loss', fs[1])
end
show('text params', tw:sum())
