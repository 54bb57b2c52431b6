-- optnet.graphgen: the graph of an nn network's tensors (storage ids, colours drawn with
-- torch.random, names, edges) before and after optimizeMemory, with nodeData, displayProps
-- and addOutputNode; table inputs and outputs (recorded with fmassa/optimize-net)
local optnet = require 'optnet'
local generateGraph = require 'optnet.graphgen'

local function show(g)
   for i, node in ipairs(g.nodes) do
      local a = node:graphNodeAttributes()
      local keys = {}
      for k in pairs(a) do keys[#keys + 1] = k end
      table.sort(keys)
      local attrs = {}
      for _, k in ipairs(keys) do attrs[#attrs + 1] = k .. '=' .. tostring(a[k]) end
      print(i, node:graphNodeName(), (node:label():gsub('\n', ' | ')), table.concat(attrs, ' '))
   end
   local edges = {}
   for _, e in ipairs(g.edges) do edges[#edges + 1] = g.nodes[e.from] .. '->' .. g.nodes[e.to] end
   print(table.concat(edges, ' '))
end

torch.manualSeed(7)
local function block()
   return nn.Sequential():add(nn.SpatialConvolution(4, 4, 3, 3, 1, 1, 1, 1)):add(nn.ReLU(true))
end
local net = nn.Sequential():add(nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1)):add(nn.ReLU())
net:add(nn.Concat(2):add(block()):add(block()):add(nn.Identity()))
net:add(nn.SpatialMaxPooling(2, 2, 2, 2)):add(nn.View(-1):setNumInputDims(3))
net:add(nn.Linear(12 * 4 * 4, 5)):add(nn.Tanh())
local input = torch.randn(2, 3, 8, 8)
show(generateGraph(net, input))
print(torch.random())
optnet.optimizeMemory(net, input, {inplace = true, reuseBuffers = true})
show(generateGraph(net, input, {
   nodeData = function(old, t) return old .. '\n' .. 'Size: ' .. t:numel() end,
   displayProps = {shape = 'ellipse', fontsize = 14, style = 'solid'},
   addOutputNode = true,
}))
print(torch.random())

-- tables in and out, routing modules left out
local t = nn.Sequential()
t:add(nn.ParallelTable():add(nn.Linear(3, 4)):add(nn.Linear(2, 4)))
t:add(nn.ConcatTable():add(nn.CAddTable()):add(nn.SelectTable(1)):add(nn.CMulTable()))
t:add(nn.ParallelTable():add(nn.Sigmoid()):add(nn.Identity()):add(nn.Tanh()))
show(generateGraph(t, {torch.randn(5, 3), torch.randn(5, 2)}, {addOutputNode = true}))
print(torch.random())
