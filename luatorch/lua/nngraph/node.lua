-- nngraph.Node: a graph node holding a module (or a split/select step) in node.data.
-- The graph is built backwards: a node's children are its inputs. node.data.mapindex lists the
-- input nodes' data in the order they were passed (and maps data -> position);
-- node.data.reverseMap records the nodes that take this one as input.
local utils = require 'nngraph.utils'
local istable = utils.istable

local nnNode, parent = torch.class('nngraph.Node', 'graph.Node')

-- source prefix of the Lua packages shipped with luatorch: frames there are library code
local libDir = debug.getinfo(1, 'S').source:match('^(@.*[/\\])nngraph[/\\][^/\\]*$')

local function isLibraryFrame(info)
   if info.what == 'C' then return true end
   local src = info.source
   if not libDir or src:sub(1, #libDir) ~= libDir then return false end
   local rest = src:sub(#libDir + 1)
   return rest:match('^nngraph[/\\]') or rest:match('^graph[/\\]') or rest == 'torch/init.lua'
end

-- where the user created the node: the first stack frame outside nngraph, graph and the class
-- machinery (Torch looked a fixed number of levels up, which its luaT frames made right)
local function userFrame()
   for level = 3, 60 do
      local info = debug.getinfo(level, 'Sl')
      if not info then return nil end
      if not isLibraryFrame(info) then return info end
   end
end

function nnNode:__init(data)
   parent.__init(self, data)
   data.annotations = data.annotations or {}
   data.mapindex = data.mapindex or {}
   data.reverseMap = data.reverseMap or {}
   if not data.annotations._debugLabel then
      self:_makeDebugLabel(userFrame())
   end
end

-- the label shown as tooltip and in error messages: [file]:line_
function nnNode:_makeDebugLabel(info)
   if info then
      self.data.annotations._debugLabel = string.format('[%s]:%d_%s', info.short_src,
                                                        info.currentline, info.name or '')
   end
end

-- add an input node; with `domap`, remember its position among the inputs
function nnNode:add(child, domap)
   parent.add(self, child)
   if domap then
      local mapindex = self.data.mapindex
      local data = child.data
      assert(not mapindex[data], "Don't pass the same input twice.")
      mapindex[#mapindex + 1] = data
      mapindex[data] = #mapindex
      local reverseMap = data.reverseMap
      assert(not reverseMap[self], 'this connection has already been made!')
      reverseMap[self] = true
   end
end

-- noutput nodes, each carrying one element of this node's (table) output
function nnNode:split(noutput)
   if noutput == 1 then
      return nngraph.JustElement()(self)
   end
   assert(type(noutput) == 'number' and noutput >= 2, 'split expects a number of outputs')
   local info = debug.getinfo(2, 'Sl')
   local label = self.data.annotations._debugLabel or ''
   local where = string.format(' split at [%s]:%d', info.short_src, info.currentline)
   local splitter = nngraph.Node({nSplitOutputs = noutput,
                                  annotations = {_debugLabel = label .. where .. '-mnode'}})
   splitter:add(self, true)
   local outputs = {}
   for i = 1, noutput do
      local node = nngraph.Node({selectindex = i, input = {},
                                 annotations = {_debugLabel = label .. '-' .. i}})
      node:add(splitter, true)
      outputs[i] = node
   end
   return unpack(outputs)
end

-- set annotations (name, description, graphAttributes ...); returns the node for chaining
function nnNode:annotate(annotations)
   for k, v in pairs(annotations) do self.data.annotations[k] = v end
   return self
end

function nnNode:graphNodeName()
   local name = self.data.annotations.name
   if name then return name .. ' (' .. self.id .. ')' end
   return 'Node' .. self.id
end

function nnNode:graphNodeAttributes()
   local annotations = self.data.annotations
   annotations.graphAttributes = annotations.graphAttributes or {}
   if not annotations.graphAttributes.tooltip then
      annotations.graphAttributes.tooltip = annotations._debugLabel
   end
   return annotations.graphAttributes
end

-- '', 'NaN', 'inf' or '-inf': a flag shown after the tensor sizes in labels
local function nanFlag(t)
   if t:nElement() == 0 then return '' end
   if t:ne(t):sum() > 0 then return 'NaN' end
   if t:max() == math.huge then return 'inf' end
   if t:min() == -math.huge then return '-inf' end
   return ''
end

local function describe(v)
   if not v then return '' end
   if torch.isTensor(v) then
      local kind = 'Tensor'
      if v:type() ~= torch.Tensor():type() then kind = v:type() end
      return kind .. '[' .. table.concat(v:size():totable(), 'x') .. ']' .. nanFlag(v)
   elseif istable(v) then
      local parts = {}
      for i, x in ipairs(v) do parts[i] = describe(x) end
      return '{' .. table.concat(parts, ',') .. '}'
   end
   return (tostring(v):gsub('\n', '\\l'))
end

-- the text drawn in the node: its data fields (module, input sizes, mapindex ...)
function nnNode:label()
   local lines = {}
   for k, v in pairs(self.data) do
      if k == 'mapindex' then
         if #v > 1 then
            local ids = {}
            for i, data in ipairs(v) do ids[i] = 'Node' .. (data.forwardNodeId or '') end
            lines[#lines + 1] = k .. ' = {' .. table.concat(ids, ',') .. '}'
         end
      elseif k ~= 'forwardNodeId' and k ~= 'annotations' then
         lines[#lines + 1] = k .. ' = ' .. describe(v)
      end
   end
   -- fields in a fixed order, so drawings do not change from run to run
   table.sort(lines)
   local desc = ''
   if self.data.annotations.description then
      desc = 'desc = ' .. self.data.annotations.description .. '\\n'
   end
   return desc .. table.concat(lines, '\\l')
end

-- `node - module` is module(node): chains read left to right, input first
function nnNode:__sub__(other)
   if torch.typename(self) ~= 'nngraph.Node' then
      error("the left side of '-' must be an nngraph.Node or an nn.Module, not a "
         .. (torch.typename(self) or type(self)), 2)
   end
   if not torch.isTypeOf(other, 'nn.Module') then
      error("the right side of '-' must be an nn.Module (node - module gives module(node)), not a "
         .. (torch.typename(other) or type(other)), 2)
   end
   return nngraph._fromOperator(other(self))
end
