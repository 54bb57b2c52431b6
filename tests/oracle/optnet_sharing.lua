-- optnet on branching networks (Concat, DepthConcat, ConcatTable, ParallelTable with shared
-- weights, max pooling with unpooling): which module outputs and gradInputs end up sharing a
-- storage (storages numbered by first appearance), countUsedMemory before and after, and the
-- outputs and gradients against the unoptimized network (recorded with fmassa/optimize-net)
local optnet = require 'optnet'

local function conv(nin, nout, k)
   return nn.SpatialConvolution(nin, nout, k, k, 1, 1, (k - 1) / 2, (k - 1) / 2)
end

local function inception(nin)
   local c = nn.DepthConcat(2)
   c:add(nn.Sequential():add(conv(nin, 4, 1)):add(nn.ReLU(true)))
   c:add(nn.Sequential():add(conv(nin, 3, 1)):add(nn.ReLU(true)):add(conv(3, 4, 3)):add(nn.ReLU(true)))
   c:add(nn.Sequential():add(nn.SpatialMaxPooling(3, 3, 1, 1, 1, 1)):add(conv(nin, 2, 1)))
   return c
end

local models = {}
function models.inception()
   local net = nn.Sequential():add(conv(3, 6, 3)):add(nn.ReLU(true))
   net:add(inception(6)):add(inception(10))
   net:add(nn.SpatialAveragePooling(8, 8)):add(nn.View(-1):setNumInputDims(3))
   net:add(nn.Linear(10, 5)):add(nn.LogSoftMax())
   return net, torch.randn(2, 3, 8, 8)
end
function models.concat()
   local net = nn.Sequential():add(nn.Linear(5, 6)):add(nn.Tanh())
   local c = nn.Concat(2)
   for i = 1, 3 do c:add(nn.Sequential():add(nn.Linear(6, 4)):add(nn.Sigmoid())) end
   net:add(c):add(nn.Linear(12, 3))
   return net, torch.randn(4, 5)
end
function models.multiOutput()
   local net = nn.Sequential():add(nn.Linear(4, 8)):add(nn.ReLU())
   local ct = nn.ConcatTable()
   ct:add(nn.Sequential():add(nn.Linear(8, 3)):add(nn.Tanh()))
   ct:add(nn.Sequential():add(nn.Linear(8, 8)):add(nn.ReLU()):add(nn.Linear(8, 2)))
   net:add(ct)
   return net, torch.randn(3, 4)
end
function models.siamese()
   local b1 = nn.Sequential():add(conv(1, 2, 3)):add(nn.ReLU()):add(conv(2, 2, 3)):add(nn.ReLU())
   b1:add(nn.View(-1):setNumInputDims(3))
   local b2 = b1:clone('weight', 'bias', 'gradWeight', 'gradBias')
   local net = nn.Sequential():add(nn.ParallelTable():add(b1):add(b2)):add(nn.CAddTable())
   return net, {torch.randn(2, 1, 6, 6), torch.randn(2, 1, 6, 6)}
end
function models.unpooling()
   local pool = nn.SpatialMaxPooling(2, 2, 2, 2)
   local net = nn.Sequential():add(conv(2, 3, 3)):add(nn.ReLU()):add(pool)
   net:add(conv(3, 3, 3)):add(nn.ReLU()):add(nn.SpatialMaxUnpooling(pool)):add(conv(3, 1, 3))
   return net, torch.randn(2, 2, 8, 8)
end

local function clone(t)
   if torch.isTensor(t) then return t:clone() end
   local r = {}
   for i, v in ipairs(t) do r[i] = clone(v) end
   return r
end
local function maxDiff(a, b)
   if torch.isTensor(a) then return (a - b):abs():max() end
   local m = 0
   for i = 1, #a do m = math.max(m, maxDiff(a[i], b[i])) end
   return m
end

-- storage ids of every module's output and gradInput, numbered by first appearance
local function sharing(net)
   local ids, n, parts = {}, 0, {}
   local function id(t)
      if torch.isTensor(t) then
         if not t:storage() or t:nElement() == 0 then return '-' end
         local p = torch.pointer(t:storage())
         if not ids[p] then n = n + 1; ids[p] = n end
         return tostring(ids[p])
      end
      local s = {}
      for i, v in ipairs(t) do s[i] = id(v) end
      return '{' .. table.concat(s, ',') .. '}'
   end
   net:apply(function(m) parts[#parts + 1] = id(m.output) .. '/' .. id(m.gradInput) end)
   return table.concat(parts, ' ')
end

local function memory(m)
   return string.format('total %d outputs %d gradInputs %d buffers %d params %d', m.total_size,
      m.outputs, m.gradInputs, m.buffers, m.params)
end

for _, name in ipairs{'inception', 'concat', 'multiOutput', 'siamese', 'unpooling'} do
   for _, mode in ipairs{'inference', 'training'} do
      torch.manualSeed(3)
      local net, input = models[name]()
      local out = clone(net:forward(input))
      local grad = clone(out)
      net:zeroGradParameters()
      local gi = clone(net:backward(input, grad))
      local _, gp = net:parameters()
      local gpRef = clone(gp)
      print(name, mode)
      print('before', memory(optnet.countUsedMemory(net)))
      optnet.optimizeMemory(net, input, {mode = mode})
      print('after ', memory(optnet.countUsedMemory(net)))
      print(sharing(net))
      local diff = maxDiff(net:forward(input), out)
      if mode == 'training' then
         net:zeroGradParameters()
         diff = math.max(diff, maxDiff(net:backward(input, grad), gi))
         local _, gp2 = net:parameters()
         diff = math.max(diff, maxDiff(gp2, gpRef))
      end
      print('max diff', diff)
      optnet.removeOptimization(net)
      net:zeroGradParameters()
      print('removed', maxDiff(net:forward(input), out), maxDiff(net:backward(input, grad), gi))
   end
end
