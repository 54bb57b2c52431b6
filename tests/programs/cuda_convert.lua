-- code written for GPUs: require 'cunn', :cuda(), torch.CudaTensor, cutorch calls
require 'nn'
local ok = pcall(require, 'cunn')
print('cunn loaded', ok)
require 'cutorch'
torch.manualSeed(5)
cutorch.manualSeed(5)
print('devices', cutorch.getDeviceCount())
local props = cutorch.getDeviceProperties(1)
print(type(props.name))
cutorch.setDevice(1)

local model = nn.Sequential()
model:add(nn.SpatialConvolution(3, 8, 3, 3, 1, 1, 1, 1))
model:add(nn.SpatialBatchNormalization(8))
model:add(nn.ReLU(true))
model:add(nn.SpatialMaxPooling(2, 2, 2, 2))
model:add(nn.View(8 * 4 * 4):setNumInputDims(3))
model:add(nn.Linear(8 * 4 * 4, 3))
local criterion = nn.CrossEntropyCriterion()
model = model:cuda()
criterion = criterion:cuda()
print(torch.type(model:get(1).weight))

local input = torch.CudaTensor(6, 3, 8, 8):normal()
local target = torch.CudaTensor(6):random(1, 3)
local params, grads = model:getParameters()
print(torch.type(params), params:nElement())
local l0
for i = 1, 30 do
   grads:zero()
   local out = model:forward(input)
   local l = criterion:forward(out, target)
   model:backward(input, criterion:backward(out, target))
   params:add(-0.1, grads)
   if i == 1 then l0 = l end
   if i % 10 == 0 then print(string.format('iter %d loss %.4f', i, l)) end
end
cutorch.synchronize()
local host = model:get(6).weight:float()
print(torch.type(host))
local back = model:double()
print(torch.type(back:get(1).weight))
local x = torch.randn(2, 3):cuda()
print(x:type())
print(torch.type(x:double()))
local freeMem, totalMem = cutorch.getMemoryUsage(1)
print(type(freeMem), type(totalMem))
local y = x:clone():fill(2)
print(y)
assert(criterion.output < l0)
-- cudnn-style conversion if available
local okc, cudnn = pcall(require, 'cudnn')
if okc then
   cudnn.benchmark = true
   cudnn.convert(model, cudnn)
   print('cudnn converted')
end
