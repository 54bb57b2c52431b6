-- optnet: inference and training memory optimization give the same outputs and gradients with
-- less memory (countUsedMemory), backward is disabled in inference mode, removeOptimization
-- restores the network (recorded with real Torch7 and fmassa/optimize-net)
local optnet = require 'optnet'
torch.manualSeed(5)
local function vgg(dropout)
   local net = nn.Sequential()
   local nin = 3
   for _, nout in ipairs{8, 'M', 16, 'M', 16, 16, 'M'} do
      if nout == 'M' then
         net:add(nn.SpatialMaxPooling(2, 2, 2, 2))
      else
         net:add(nn.SpatialConvolution(nin, nout, 3, 3, 1, 1, 1, 1)):add(nn.ReLU())
         nin = nout
      end
   end
   net:add(nn.View(-1):setNumInputDims(3)):add(nn.Linear(16 * 4 * 4, 32)):add(nn.ReLU())
   if dropout then net:add(nn.Dropout(0.5)) end
   net:add(nn.Linear(32, 10))
   return net
end
local net = vgg(true)
net:evaluate()
local input = torch.randn(2, 3, 32, 32)
local ref = net:forward(input):clone()
local mem1 = optnet.countUsedMemory(net)
optnet.optimizeMemory(net, input)
local out = net:forward(input):clone()
local mem2 = optnet.countUsedMemory(net)
print(string.format('inference max diff %.3g', (out - ref):abs():max()))
print(mem1.outputs, mem2.outputs, mem2.outputs < mem1.outputs, mem2.params < mem1.params)
local ok, err = pcall(function() net:backward(input, out) end)
print(ok, err:match("Backward pass disabled!") ~= nil)
optnet.removeOptimization(net)
local out3 = net:forward(input):clone()
print(string.format('after removal diff %.3g', (out3 - ref):abs():max()))
-- training mode
local net2 = vgg()
local g = torch.randn(2, 10)
net2:forward(input); net2:zeroGradParameters(); local gi = net2:backward(input, g):clone()
local _, gp = net2:getParameters(); local gpref = gp:clone()
local memA = optnet.countUsedMemory(net2)
optnet.optimizeMemory(net2, input, {mode = 'training'})
net2:forward(input); net2:zeroGradParameters(); local gi2 = net2:backward(input, g):clone()
local _, gp2 = net2:getParameters()
local memB = optnet.countUsedMemory(net2)
print(string.format('training diffs %.3g %.3g', (gi2 - gi):abs():max(), (gp2 - gpref):abs():max()))
print(memB.gradInputs < memA.gradInputs, memB.total_size < memA.total_size)
optnet.optimizeMemory(net2, input, {mode = 'training'})
-- removeGradParams restores shared gradient storages
local net3 = nn.Sequential():add(nn.Linear(4, 3)):add(nn.Tanh()):add(nn.Linear(3, 2))
local p3, g3 = net3:getParameters()
optnet.optimizeMemory(net3, torch.randn(5, 4))
print(net3:get(1).gradWeight:nElement())
local ok, err = pcall(function() net3:getParameters() end)
print(ok, (err:gsub("^[^\n]-:%d+: ", "")))
optnet.removeOptimization(net3)
print(net3:get(1).gradWeight:size(), net3:get(3).gradBias:nElement())
print(torch.pointer(net3:get(1).gradWeight:storage()) == torch.pointer(net3:get(3).gradBias:storage()))
optnet.removeOptimization(net3)
