-- nn.gModule: a module made of a directed acyclic graph of nngraph nodes.
--
-- Each node has one output (a tensor or a table); node.data.input holds the list of its inputs
-- (one entry per input node, in mapindex order; a single input is passed unwrapped). Nodes made
-- by split() have a selectindex and pass on one element of their input. During the backward
-- pass node.data.gradOutput collects one gradient per consumer; they are summed.
local nesting = require 'nngraph.nesting'
local utils = require 'nngraph.utils'
local istable = utils.istable

local gModule, parent = torch.class('nn.gModule', 'nn.Container')

-- errors in __init point at the caller of nn.gModule(...) (past the class constructor)
local LEVEL = 3

-- the sum of the gradients a node received (a tensor or a nested table)
local function getTotalGradOutput(node)
   local gradOutput = node.data.gradOutput
   assert(istable(gradOutput), 'expecting gradients to sum')
   if #gradOutput == 1 then return gradOutput[1] end
   if not node.data.gradOutputBuffer then
      -- when all but (at most) one of the gradients are zeros expanded from a one-element
      -- storage (modules that do not propagate), skip the sum and its buffer
      local nonZero, index = 0, 1
      for i, g in ipairs(gradOutput) do
         local storage = torch.isTensor(g) and g:storage()
         local zero = storage and storage:size() == 1 and storage[1] == 0
         if not zero then
            nonZero = nonZero + 1
            index = i
         end
      end
      if nonZero < 2 then return gradOutput[index] end
      node.data.gradOutputBuffer = nesting.cloneNested(gradOutput[1])
   end
   local buffer = node.data.gradOutputBuffer
   nesting.resizeNestedAs(buffer, gradOutput[1])
   nesting.copyNested(buffer, gradOutput[1])
   for i = 2, #gradOutput do nesting.addNestedTo(buffer, gradOutput[i]) end
   return buffer
end

-- the debug label Torch's nngraph gives its dummy input and output nodes
local DUMMY_LABEL = '[[C]]:-1_'

function gModule:__init(inputs, outputs)
   parent.__init(self)
   if type(inputs) ~= 'table' or type(outputs) ~= 'table' then
      error('nn.gModule(inputs, outputs) expects two tables of nngraph.Node', LEVEL)
   end
   -- the graph is stored backwards (a node's children are its inputs): a dummy output node
   -- takes every output node as input; it starts the backward graph
   -- (Torch's dummy nodes take their debug label from a C frame of luaT's constructors)
   local outnode = nngraph.Node({input = {}, annotations = {_debugLabel = DUMMY_LABEL}})
   for i = 1, utils.tableMaxN(outputs) do
      local node = outputs[i]
      if torch.typename(node) ~= 'nngraph.Node' then
         error(utils.expectingNodeErrorMessage(node, 'outputs', i), LEVEL)
      end
      outnode:add(node, true)
   end
   for i = 1, utils.tableMaxN(inputs) do
      if torch.typename(inputs[i]) ~= 'nngraph.Node' then
         error(utils.expectingNodeErrorMessage(inputs[i], 'inputs', i), LEVEL)
      end
   end
   assert(#inputs > 0, 'no inputs are not supported')
   -- a dummy input node feeds the inputs (through a split when there are several)
   local innode = nngraph.Node({input = {}, annotations = {_debugLabel = DUMMY_LABEL}})
   if #inputs == 1 then
      inputs[1]:add(innode, true)
   else
      local splits = {innode:split(#inputs)}
      for i = 1, #inputs do
         assert(#inputs[i].children == 0, 'an input should have no inputs')
      end
      for i = 1, #inputs do inputs[i]:add(splits[i], true) end
   end

   -- bg runs from the outputs to the inputs (gradients), fg is its reverse (evaluation)
   self.bg = outnode:graph()
   self.fg = self.bg:reverse()

   local roots = self.fg:roots()
   if #roots > 1 then
      -- the only other roots allowed are parameter nodes (nnop.Parameters)
      local found
      for _, root in ipairs(roots) do
         if root.data == innode.data then
            assert(found == nil, 'more than one matching input node found in leaves')
            found = root
         else
            assert(root.data.module, 'Expected nnop.Parameters node, module not found in node')
            assert(torch.typename(root.data.module) == 'nnop.Parameters',
                   'Expected nnop.Parameters node, found : ' .. torch.typename(root.data.module))
         end
      end
      assert(found ~= nil, 'input node not found among roots')
      self.innode = found
   else
      assert(#roots == 1, 'expecting only one start')
      self.innode = roots[1]
   end
   assert(self.innode.data == innode.data, 'expecting the forward innode')
   self.outnode = outnode
   self.verbose = false
   self.nInputs = #inputs

   self.forwardnodes = self.fg:topsort()
   self.backwardnodes = self.bg:topsort()

   for i, node in ipairs(self.forwardnodes) do
      local data = node.data
      -- every output of a split must be used
      if data.nSplitOutputs and data.nSplitOutputs ~= #node.children then
         error(string.format('%d of split(%d) outputs from the node declared at %s are unused',
                             data.nSplitOutputs - #node.children, data.nSplitOutputs,
                             tostring(data.annotations._debugLabel)), LEVEL)
      end
      -- a node taking this one as input but not leading to an output is a mistake
      for successor in pairs(data.reverseMap) do
         local inGraph = false
         for j = i + 1, #self.forwardnodes do
            if self.forwardnodes[j].data == successor.data then
               inGraph = true
               break
            end
         end
         if not inGraph then
            error(string.format('node declared on %s does not connect to gmodule output',
                                tostring(successor.data.annotations._debugLabel)), LEVEL)
         end
      end
      data.forwardNodeId = node.id
      if data.module then self:add(data.module) end
   end

   self.output = nil
   self.gradInput = nil
   if #self.outnode.children > 1 then
      self.output = self.outnode.data.input
   end
end

-- call func(module, otherModule) for the modules of two gModules of the same structure
function gModule:map(gm, func)
   for i, node in ipairs(self.forwardnodes) do
      local other = gm.forwardnodes[i]
      assert(other, 'trying to map another gModule with a different structure')
      if node.data.module then
         assert(other.data.module, 'trying to map another gModule with a different structure')
         func(node.data.module, other.data.module)
      end
   end
end

-- replace modules (callback(module) returns the replacement) in the graph nodes too
function gModule:replace(callback)
   local out = callback(self)
   local replaced = {}
   for _, node in ipairs(self.forwardnodes) do
      local m = node.data.module
      if m then
         if replaced[m] == nil then replaced[m] = m:replace(callback) end
         node.data.module = replaced[m]
      end
   end
   for i, m in ipairs(self.modules) do
      if replaced[m] == nil then replaced[m] = m:replace(callback) end
      self.modules[i] = replaced[m]
   end
   return out
end

function gModule:type(typename, tensorCache)
   if not typename then return self._type end
   tensorCache = tensorCache or {}
   local convert = nn.utils.recursiveType
   -- modules first, then everything the graph keeps of their inputs and outputs, so that a
   -- tensor seen in several places stays one tensor
   for _, m in ipairs(self.modules) do m:type(typename, tensorCache) end
   self.output = convert(self.output, typename, tensorCache)
   self.gradInput = convert(self.gradInput, typename, tensorCache)
   local seen = {}
   local function convertData(data)
      if seen[data] then return end
      seen[data] = true
      for _, key in ipairs({'input', 'gradOutput', 'gradOutputBuffer'}) do
         if data[key] ~= nil then data[key] = convert(data[key], typename, tensorCache) end
      end
   end
   for _, node in ipairs(self.forwardnodes) do convertData(node.data) end
   for _, node in ipairs(self.backwardnodes) do convertData(node.data) end
   convertData(self.innode.data)
   convertData(self.outnode.data)
   self._type = typename
   return self
end

function gModule:updateOutput(input)
   return self:runForwardFunction('updateOutput', input)
end

function gModule:clearState()
   local ret = parent.clearState(self)
   for _, node in ipairs(self.backwardnodes) do
      node.data.gradOutput = nil
      node.data.gradOutputBuffer = nil
   end
   for _, node in ipairs(self.forwardnodes) do node.data.input = nil end
   if #self.outnode.children > 1 then
      self.outnode.data.input = {}
      self.output = self.outnode.data.input
   end
   return ret
end

-- run func(module, input) (or module[func](module, input)) through the graph in order
function gModule:runForwardFunction(func, input)
   if type(func) == 'string' then
      local name = func
      func = function(module, x) return module[name](module, x) end
   end
   local nInputs = self.nInputs or #self.innode.children
   if nInputs <= 1 then
      input = {input}
   elseif type(input) ~= 'table' then
      error(string.format('expecting table of %s inputs', nInputs))
   end

   local function neteval(node)
      local function propagate(x)
         for _, child in ipairs(node.children) do
            child.data.input = child.data.input or {}
            local index = child.data.mapindex[node.data]
            assert(not child.data.input[index], 'each input should have one source')
            child.data.input[index] = x
         end
      end
      local data = node.data
      if data.selectindex then
         assert(not data.module, 'the selectindex-handling nodes should have no module')
         local x = data.input
         assert(#x == 1, 'only the splitted node should be the input')
         assert(istable(x[1]), 'the input for a split should be a table')
         propagate(x[1][data.selectindex])
      else
         local x = data.input
         if x == nil and data.module ~= nil then x = {} end -- a parameter node
         if #x == 1 then x = x[1] end
         -- a node without a module passes its input on (like nn.Identity)
         local output
         if data.module then
            output = func(data.module, x)
         else
            output = x
         end
         if data.nSplitOutputs and data.nSplitOutputs ~= #output then
            error(string.format('split(%s) cannot split %s outputs', data.nSplitOutputs,
                                #output))
         end
         propagate(output)
      end
      if self.verbose then print(' V : ' .. node:label()) end
   end

   if #input ~= nInputs then
      error(string.format('Got %s inputs instead of %s', #input, nInputs))
   end
   for _, node in ipairs(self.forwardnodes) do
      local x = node.data.input
      while x and #x > 0 do table.remove(x) end
   end
   -- copy the inputs into the input node (the caller's table is not modified)
   local innode = self.innode
   innode.data.input = innode.data.input or {}
   for i, item in ipairs(input) do innode.data.input[i] = item end

   for _, node in ipairs(self.forwardnodes) do neteval(node) end

   self.output = self.outnode.data.input
   if #self.outnode.children == 1 then self.output = self.output[1] end
   return self.output
end

function gModule:updateGradInput(input, gradOutput)
   local function neteval(node)
      local data = node.data
      if data.selectindex then
         assert(not data.module, 'the selectindex-handling nodes should have no module')
         assert(#node.children == 1, 'only the splitted node should be the input')
         local child = node.children[1]
         local go = getTotalGradOutput(node)
         child.data.gradOutput = child.data.gradOutput or {}
         assert(#child.data.gradOutput <= 1, 'the splitted node should be used only once')
         -- the split node's gradient is the table of its outputs' gradients
         child.data.gradOutput[1] = child.data.gradOutput[1] or {}
         assert(not child.data.gradOutput[1][data.selectindex],
                'no gradOutput should be assigned yet')
         child.data.gradOutput[1][data.selectindex] = go
      else
         local go = getTotalGradOutput(node)
         local gradInput
         if not data.module then
            gradInput = go
         else
            local x = data.input
            if x == nil and data.module ~= nil then x = {} end -- a parameter node
            if #x == 1 then x = x[1] end
            gradInput = data.module:updateGradInput(x, go)
         end
         for _, child in ipairs(node.children) do
            child.data.gradOutput = child.data.gradOutput or {}
            local gi = gradInput
            if #node.children ~= 1 then gi = gradInput[data.mapindex[child.data]] end
            table.insert(child.data.gradOutput, gi)
         end
      end
      if self.verbose then print(' V : ' .. node:label()) end
   end

   local outnode = self.outnode
   if #outnode.children > 1 and #gradOutput ~= #outnode.children then
      error(string.format('Got %s gradOutputs instead of %s', #gradOutput, #outnode.children))
   end
   for _, node in ipairs(self.backwardnodes) do
      local go = node.data.gradOutput
      while go and #go > 0 do table.remove(go) end
   end
   outnode.data.gradOutput = outnode.data.gradOutput or {}
   outnode.data.gradOutput[1] = gradOutput

   for _, node in ipairs(self.backwardnodes) do neteval(node) end

   assert(#self.innode.data.gradOutput == 1, 'expecting the innode to be used only once')
   self.gradInput = self.innode.data.gradOutput[1]
   return self.gradInput
end

function gModule:accGradParameters(input, gradOutput, lr)
   local function neteval(node)
      local data = node.data
      if data.module then
         local go = data.gradOutput[1]
         if #data.gradOutput > 1 then
            go = data.gradOutputBuffer or getTotalGradOutput(node)
         end
         local x = data.input
         if x == nil and data.module ~= nil then x = {} end -- a parameter node
         if #x == 1 then x = x[1] end
         data.module:accGradParameters(x, go, lr)
      end
      if self.verbose then print(' V : ' .. node:label()) end
   end
   local outnode = self.outnode
   if #outnode.children > 1 and #gradOutput ~= #outnode.children then
      error(string.format('Got %s gradOutputs instead of %s', #gradOutput, #outnode.children))
   end
   for _, node in ipairs(self.backwardnodes) do neteval(node) end
end

function gModule:read(file)
   local data = file:readObject()
   for k, v in pairs(data) do self[k] = v end
   -- files written before gModule was a container have no module list
   if not self.modules then
      self.modules = {}
      for _, node in ipairs(self.forwardnodes) do
         if node.data.module then table.insert(self.modules, node.data.module) end
      end
   end
end

function gModule:__tostring__()
   return self.name or torch.type(self)
end
