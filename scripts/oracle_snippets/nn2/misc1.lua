dofile '../h.lua'
require 'nn'
torch.manualSeed(5)
local data = {}
function data:size() return 6 end
for i = 1, 6 do data[i] = {torch.randn(3), torch.Tensor{(i % 2) + 1}} end
local m = nn.Sequential():add(nn.Linear(3, 2)):add(nn.LogSoftMax())
local sg = nn.StochasticGradient(m, nn.ClassNLLCriterion())
sg.maxIteration = 3
sg.learningRate = 0.1
sg.learningRateDecay = 0.5
sg:train(data)
dump('sg w', m.modules[1].weight)
sg.shuffleIndices = false
sg.verbose = false
sg.hookIteration = function(self, it, err) print('hook', it, string.format('%.17g', err)) end
sg.hookExample = function(self, ex) io.write('.') end
sg:train(data)
print()
local lt = nn.LookupTable(5, 3)
lt.scaleGradByFreq = true
lt:forward(torch.LongTensor{1, 2, 2, 5})
lt:zeroGradParameters()
lt:backward(torch.LongTensor{1, 2, 2, 5}, torch.ones(4, 3))
dump('lt scale', lt.gradWeight)
local lt2 = nn.LookupTable(5, 3, 0, 1.5, 2)
lt2.weight:mul(5)
lt2:forward(torch.LongTensor{{1, 3}, {3, 5}})
dump('lt renorm', lt2.weight)
lt2:backward(torch.LongTensor{{1, 3}, {3, 5}}, torch.ones(2, 2, 3))
lt2:updateParameters(0.1)
dump('lt upd', lt2.weight)
local lt3 = nn.LookupTable(5, 2, 3)
lt3:forward(torch.LongTensor{3, 1})
lt3:zeroGradParameters()
lt3:backward(torch.LongTensor{3, 1}, torch.ones(2, 2))
dump('lt pad', lt3.gradWeight)
dump('lt type', lt3:type('torch.FloatTensor'):forward(torch.LongTensor{2}))
local vbn = nn.VolumetricBatchNormalization(2)
local xin = torch.randn(2, 2, 2, 2, 2)
dump('vbn', vbn:forward(xin))
dump('vbn gi', vbn:backward(xin, torch.randn(2, 2, 2, 2, 2)))
dump('ssm', nn.SpatialSoftMax():forward(torch.randn(2, 3, 2, 2)))
dump('slsm', nn.SpatialLogSoftMax():forward(torch.randn(3, 2, 2)))
local bn = nn.BatchNormalization(3, 1e-5, 0.1, false)
bn:forward(torch.randn(4, 3)); bn:forward(torch.randn(4, 3))
dump('bn rm', bn.running_mean); dump('bn rv', bn.running_var)
print(bn.weight, bn.bias)
local bn2 = nn.BatchNormalization(3)
bn2.momentum = 1
bn2:forward(torch.randn(5, 3))
dump('bn2 rv', bn2.running_var)
print(nn.MSECriterion(), nn.ClassNLLCriterion(), nn.CrossEntropyCriterion())
print(nn.ParallelCriterion():add(nn.MSECriterion()))
local c = nn.Criterion()
print(torch.type(c), c.sizeAverage, c.output, c.gradInput)
local mdl = nn.Module()
print(torch.type(mdl), mdl.train, mdl.output, mdl:type())
print(nn.utils.addSingletonDimension(torch.randn(2, 3), 2):size())
local t1 = nn.utils.recursiveType({torch.randn(2), {torch.randn(1)}}, 'torch.FloatTensor')
print(torch.type(t1[1]), torch.type(t1[2][1]))
local r = nn.utils.recursiveResizeAs({torch.Tensor()}, {torch.randn(2, 2)})
print(r[1]:size())
print(nn.utils.recursiveFill({torch.Tensor(2)}, 3)[1])
local a = {torch.ones(2), torch.ones(2)}
nn.utils.recursiveAdd(a, 2, {torch.ones(2), torch.ones(2)})
print(a[1][1], a[2][2])
print(nn.utils.tableSize and 'ts' or 'nots')
