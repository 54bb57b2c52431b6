-- graph: directed graphs of graph.Node objects (Torch's `graph` package, used by nngraph).
require 'torch'

graph = graph or {}

require 'graph.Node'
require 'graph.Edge'
require 'graph.AnnotatedNode'

local Graph = torch.class('graph.Graph')

-- a new node (or edge) of the same class as `obj`, as Torch's `obj.new(...)`
local function newLike(obj, ...)
   return torch.getconstructortable(torch.typename(obj))(...)
end

function Graph:__init()
   self.nodes = {}
   self.edges = {}
end

-- add an edge (or a list of edges); its end nodes join the node list, which numbers them (id)
function Graph:add(edge)
   if type(edge) ~= 'table' then
      error('graph.Edge or {graph.Edges} expected')
   end
   if not torch.typename(edge) then
      for _, e in ipairs(edge) do self:add(e) end
      return
   end
   local edges, nodes = self.edges, self.nodes
   if not edges[edge] then
      edges[#edges + 1] = edge
      edges[edge] = #edges
   end
   for _, node in ipairs({edge.from, edge.to}) do
      if not nodes[node] then
         nodes[#nodes + 1] = node
         nodes[node] = #nodes
      end
   end
   edge.from:add(edge.to)
   edge.from.id = nodes[edge.from]
   edge.to.id = nodes[edge.to]
end

-- new nodes and edges over the same data
function Graph:clone()
   local g = graph.Graph()
   local copies = {}
   for i, node in ipairs(self.nodes) do copies[i] = newLike(node, node.data) end
   for _, e in ipairs(self.edges) do
      g:add(newLike(e, copies[self.nodes[e.from]], copies[self.nodes[e.to]]))
   end
   return g
end

-- the graph with every edge reversed (new nodes sharing the data), and the map old -> new node
function Graph:reverse()
   local rg, map = graph.Graph(), {}
   for _, e in ipairs(self.edges) do
      map[e.from] = map[e.from] or newLike(e.from, e.from.data)
      map[e.to] = map[e.to] or newLike(e.to, e.to.data)
      rg:add(newLike(e, map[e.to], map[e.from]))
   end
   return rg, map
end

function Graph:hasCycle()
   local roots = self:roots()
   if #roots == 0 then return true end
   for _, root in ipairs(roots) do
      if root:hasCycle() then return true end
   end
   return false
end

-- nodes ordered so that every node comes after all the nodes with edges into it
-- (a post-order walk of the reversed graph); also returns that reversed graph and its roots
function Graph:topsort()
   local rg, map = self:reverse()
   local back = {}
   for old, new in pairs(map) do back[new] = old end
   local roots = rg:roots()
   if #roots == 0 then error('Graph has cycles') end
   local start = roots[1]
   if #roots > 1 then
      -- a node outside the graph (back[start] is nil) joining the roots
      start = graph.Node('dummy_root')
      for _, root in ipairs(roots) do start:add(root) end
   end
   local sorted = {}
   start:dfs(function(node) sorted[#sorted + 1] = back[node] end)
   if #sorted ~= #self.nodes then error('Graph has cycles') end
   return sorted, rg, roots
end

-- nodes whose degree is zero on the `inward` end of every edge, in node order
local function ends(self, inward, outward)
   local found = {}
   for _, edge in ipairs(self.edges) do found[edge[outward]] = true end
   for _, edge in ipairs(self.edges) do found[edge[inward]] = nil end
   local list = {}
   for node in pairs(found) do list[#list + 1] = node end
   local nodes = self.nodes
   table.sort(list, function(a, b) return nodes[a] < nodes[b] end)
   return list
end

-- nodes with no incoming edge
function Graph:roots()
   return ends(self, 'to', 'from')
end

-- nodes with no outgoing edge
function Graph:leaves()
   return ends(self, 'from', 'to')
end

-- quote a string for the dot language when it is not a plain identifier
function graph._dotEscape(str)
   if str:find('[^a-zA-Z]') then
      str = '"' .. str:gsub('\n', '\\n'):gsub('"', '\\"') .. '"'
   end
   return str
end

-- ' k1=v1 k2=v2' with the keys sorted
local function attributeString(attributes)
   local keys = {}
   for k in pairs(attributes) do keys[#keys + 1] = k end
   table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
   local parts = {}
   for i, k in ipairs(keys) do
      parts[i] = tostring(k) .. '=' .. graph._dotEscape(tostring(attributes[k]))
   end
   return ' ' .. table.concat(parts, ' ')
end

local function nodeName(node)
   if node.graphNodeName then return node:graphNodeName() end
   return 'Node' .. node.id
end

-- the dot text of a graph. Torch's layout: `n<id>[label="..." attr=...];`. The canonical layout
-- (what graphviz itself writes back, attributes sorted with the label among them, comma
-- separated) is used for the .dot files graph.dot saves when graphviz cannot rewrite them.
function graph._todot(g, title, canonical)
   local out = {'digraph G {\n'}
   if title then
      out[#out + 1] = 'labelloc="t";\nlabel="' .. title .. '";\n'
   end
   out[#out + 1] = 'node [shape = oval]; '
   for _, node in ipairs(g.nodes) do
      local label = graph._dotEscape(nodeName(node) .. '\n' .. node:label())
      local attributes = node.graphNodeAttributes and node:graphNodeAttributes() or {}
      if canonical then
         local all = {}
         for k, v in pairs(attributes) do all[tostring(k)] = graph._dotEscape(tostring(v)) end
         all.label = label
         local keys = {}
         for k in pairs(all) do keys[#keys + 1] = k end
         table.sort(keys)
         for i, k in ipairs(keys) do keys[i] = k .. '=' .. all[k] end
         out[#out + 1] = '\nn' .. node.id .. ' [' .. table.concat(keys, ', ') .. '];'
      else
         local extra = node.graphNodeAttributes and attributeString(attributes) or ''
         out[#out + 1] = '\nn' .. node.id .. '[label=' .. label .. extra .. '];'
      end
   end
   out[#out + 1] = '\n'
   for _, edge in ipairs(g.edges) do
      out[#out + 1] = 'n' .. edge.from.id .. ' -> n' .. edge.to.id .. ';\n'
   end
   out[#out + 1] = '}'
   return table.concat(out)
end

-- the graph in graphviz's dot language
function Graph:todot(title)
   return graph._todot(self, title, false)
end

require 'graph.graphviz'

return graph
