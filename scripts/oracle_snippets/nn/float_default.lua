dofile '../h.lua'
require 'nn'
require 'optim'
torch.setdefaulttensortype('torch.FloatTensor')
torch.manualSeed(8)
local model = nn.Sequential()
model:add(nn.SpatialConvolution(1, 4, 3, 3, 1, 1, 1, 1)):add(nn.SpatialBatchNormalization(4)):add(nn.ReLU(true))
model:add(nn.SpatialMaxPooling(2, 2, 2, 2)):add(nn.View(4 * 4 * 4)):add(nn.Dropout(0.3)):add(nn.Linear(64, 10)):add(nn.LogSoftMax())
local crit = nn.ClassNLLCriterion(torch.Tensor(10):fill(1))
local x = torch.randn(6, 1, 8, 8)
local y = torch.Tensor(6):random(1, 10)
local p, g = model:getParameters()
print(torch.type(p), p:nElement())
local state = {learningRate = 0.05, momentum = 0.9, weightDecay = 5e-4, nesterov = true, dampening = 0}
for i = 1, 4 do
   local _, fs = optim.sgd(function(w)
      g:zero()
      local out = model:forward(x)
      local loss = crit:forward(out, y)
      model:backward(x, crit:backward(out, y))
      return loss, g
   end, p, state)
   print(i, string.format('%.9g', fs[1]))
end
model:evaluate()
dump('eval', model:forward(x):narrow(1, 1, 1))
local ce = nn.CrossEntropyCriterion()
print(string.format('%.9g', ce:forward(torch.randn(3, 4), torch.Tensor{1, 2, 4})))
print(torch.type(ce:backward(torch.randn(3, 4), torch.Tensor{1, 2, 4})))
local mse = nn.MSECriterion()
print(string.format('%.9g', mse:forward(torch.randn(3), torch.randn(3))))
local bce = nn.BCECriterion()
print(string.format('%.9g', bce:forward(torch.rand(3), torch.Tensor{1, 0, 1})))
local lt = nn.LookupTable(5, 2)
dump('lt', lt:forward(torch.Tensor{1, 5}))
