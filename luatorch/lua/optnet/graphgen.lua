-- optnet.graphgen: the computation graph of an nn network (not an nngraph one), one node per
-- tensor a module writes, labelled with the id of its storage and coloured by storage, so that
-- graph.dot shows which outputs optnet made share memory (fmassa/optimize-net's graphgen).
--
-- local generateGraph = require 'optnet.graphgen'
-- g = generateGraph(net, input [, opts]); graph.dot(g, title, fileName)
-- opts.nodeData(label, tensor) -> label: the text shown in a node ('Storage id: N' given);
-- opts.displayProps: graphviz attributes overriding the defaults (filled boxes, font size 10);
-- opts.addOutputNode: adds 'Output' nodes after the network's outputs.
-- As optnet's, each new storage draws its colour with torch.random, so colours (not ids) may
-- repeat, and the generator's state moves.
require 'graph'

-- the first 150 colour names of graphviz's X11 scheme, in graphviz's (alphabetical) order
local colours = {}
for name in ([[
aliceblue antiquewhite antiquewhite1 antiquewhite2 antiquewhite3 antiquewhite4 aquamarine
aquamarine1 aquamarine2 aquamarine3 aquamarine4 azure azure1 azure2 azure3 azure4 beige bisque
bisque1 bisque2 bisque3 bisque4 black blanchedalmond blue blue1 blue2 blue3 blue4 blueviolet
brown brown1 brown2 brown3 brown4 burlywood burlywood1 burlywood2 burlywood3 burlywood4
cadetblue cadetblue1 cadetblue2 cadetblue3 cadetblue4 chartreuse chartreuse1 chartreuse2
chartreuse3 chartreuse4 chocolate chocolate1 chocolate2 chocolate3 chocolate4 coral coral1
coral2 coral3 coral4 cornflowerblue cornsilk cornsilk1 cornsilk2 cornsilk3 cornsilk4 crimson
cyan cyan1 cyan2 cyan3 cyan4 darkgoldenrod darkgoldenrod1 darkgoldenrod2 darkgoldenrod3
darkgoldenrod4 darkgreen darkkhaki darkolivegreen darkolivegreen1 darkolivegreen2
darkolivegreen3 darkolivegreen4 darkorange darkorange1 darkorange2 darkorange3 darkorange4
darkorchid darkorchid1 darkorchid2 darkorchid3 darkorchid4 darksalmon darkseagreen
darkseagreen1 darkseagreen2 darkseagreen3 darkseagreen4 darkslateblue darkslategray
darkslategray1 darkslategray2 darkslategray3 darkslategray4 darkslategrey darkturquoise
darkviolet deeppink deeppink1 deeppink2 deeppink3 deeppink4 deepskyblue deepskyblue1
deepskyblue2 deepskyblue3 deepskyblue4 dimgray dimgrey dodgerblue dodgerblue1 dodgerblue2
dodgerblue3 dodgerblue4 firebrick firebrick1 firebrick2 firebrick3 firebrick4 floralwhite
forestgreen gainsboro ghostwhite gold gold1 gold2 gold3 gold4 goldenrod goldenrod1 goldenrod2
goldenrod3 goldenrod4
]]):gmatch('%S+') do
   colours[#colours + 1] = name
end

-- modules that only route tensors (their outputs are their inputs) get no node of their own
local routing = {['nn.Identity'] = true, ['nn.SelectTable'] = true, ['nn.NarrowTable'] = true,
                 ['nn.FlattenTable'] = true}
-- containers that compute their output from their branches' outputs
local combining = {['nn.Concat'] = true, ['nn.Parallel'] = true, ['nn.DepthConcat'] = true,
                   ['inn.SpatialPyramidPooling'] = true}

local function lastModule(branch)
   if branch.modules then return branch:get(branch:size()) end
   return branch
end

local function generateGraph(net, input, opts)
   opts = opts or {}
   local g = graph.Graph()
   local nodes = {}        -- tensor pointer -> node
   local storages = {}     -- storage pointers in order of appearance (ids), and -> colour
   local function storageId(ptr)
      if not storages[ptr] then
         storages[ptr] = colours[torch.random(1, #colours)]
         storages[#storages + 1] = ptr
      end
      for i, p in ipairs(storages) do
         if p == ptr then return i end
      end
   end

   local function newNode(name, tensor)
      local ptr = torch.pointer(tensor:storage())
      local label = 'Storage id: ' .. storageId(ptr)
      if opts.nodeData then label = opts.nodeData(label, tensor) end
      local node = graph.Node(label)
      function node:graphNodeName() return name end
      function node:graphNodeAttributes()
         local attributes = {color = storages[ptr], style = 'filled', shape = 'box',
                             fontsize = 10}
         for k, v in pairs(opts.displayProps or {}) do attributes[k] = v end
         return attributes
      end
      return node
   end

   local function boundary(t, name)
      if torch.isTensor(t) then
         nodes[torch.pointer(t)] = newNode(name, t)
      else
         for i, v in ipairs(t) do boundary(v, name .. ' ' .. i) end
      end
   end

   -- an edge from each tensor of `from` to each of `to` (whose nodes are made on the way)
   local function connect(from, to, name)
      if torch.isTensor(from) and torch.isTensor(to) then
         local fromNode = nodes[torch.pointer(from)]
         assert(fromNode, 'Parent node inexistant for module ' .. name)
         local toPtr = torch.pointer(to)
         nodes[toPtr] = nodes[toPtr] or newNode(name, to)
         g:add(graph.Edge(fromNode, nodes[toPtr]))
      elseif torch.isTensor(from) then
         for _, v in ipairs(to) do connect(from, v, name) end
      else
         for _, v in ipairs(from) do connect(v, to, name) end
      end
   end

   boundary(input, 'Input')
   if torch.typename(net) == 'nn.DataParallelTable' then net = net.modules[1] end
   -- a first pass gives every module its output tensors, the second one records the edges
   net:forward(input)
   net:apply(function(m)
      local updateOutput = m.updateOutput
      m.updateOutput = function(self, x)
         local tn = torch.typename(m)
         if not m.modules and not routing[tn] then
            connect(x, self.output, tostring(m))
         elseif combining[tn] then
            for _, branch in ipairs(m.modules) do
               local last = lastModule(branch)
               local out = last.output
               local ptr = torch.pointer(out)
               nodes[ptr] = nodes[ptr] or newNode(torch.typename(last), out)
               connect(out, self.output, tn)
            end
         end
         return updateOutput(self, x)
      end
   end)
   net:forward(input)

   if opts.addOutputNode then
      local function clone(t)
         if torch.isTensor(t) then return t:clone() end
         local r = {}
         for i, v in ipairs(t) do r[i] = clone(v) end
         return r
      end
      local output = clone(net.output)
      boundary(output, 'Output')
      local function link(from, to)
         if torch.isTensor(from) then
            g:add(graph.Edge(nodes[torch.pointer(from)], nodes[torch.pointer(to)]))
         else
            for i, v in ipairs(from) do link(v, to[i]) end
         end
      end
      link(net.output, output)
   end

   net:apply(function(m) m.updateOutput = nil end)
   return g
end

return generateGraph
