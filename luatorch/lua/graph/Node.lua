-- graph.Node: a vertex holding `data` and an ordered list of children (its outgoing edges).
-- `children` is both a list (in insertion order) and a set (child -> position), so traversals
-- are deterministic and adding the same child twice is a no-op.
local Node = torch.class('graph.Node')

function Node:__init(data)
   self.data = data
   self.id = 0
   self.children = {}
   self.visited = false
   self.marked = false
end

-- add a child, or every child of a plain list of children
function Node:add(child)
   if type(child) == 'table' and not torch.typename(child) then
      for _, c in ipairs(child) do self:add(c) end
      return
   end
   local children = self.children
   if not children[child] then
      children[#children + 1] = child
      children[child] = #children
   end
end

-- depth first walk: pre(node) before the children, post(node) after them; nodes already
-- flagged `visited` (by pre, usually) are skipped
function Node:visit(pre, post)
   if self.visited then return end
   if pre then pre(self) end
   for _, child in ipairs(self.children) do child:visit(pre, post) end
   if post then post(self) end
end

function Node:label()
   return tostring(self.data)
end

-- the graph reachable from this node, edges added breadth first
function Node:graph()
   local g = graph.Graph()
   self:bfs(function(node)
      for _, child in ipairs(node.children) do g:add(graph.Edge(node, child)) end
   end)
   return g
end

-- post-order depth first traversal; leaves the `visited` flags set
function Node:dfs_dirty(func)
   local order = {}
   self:visit(function(node) node.visited = true end,
              function(node)
                 func(node)
                 order[#order + 1] = node
              end)
   return order
end

function Node:dfs(func)
   for _, node in ipairs(self:dfs_dirty(func)) do node.visited = false end
end

-- breadth first traversal; leaves the `marked` flags set
function Node:bfs_dirty(func)
   local order, queue, head = {}, {self}, 1
   self.marked = true
   while head <= #queue do
      local node = queue[head]
      head = head + 1
      order[#order + 1] = node
      func(node)
      for _, child in ipairs(node.children) do
         if not child.marked then
            child.marked = true
            queue[#queue + 1] = child
         end
      end
   end
   return order
end

function Node:bfs(func)
   for _, node in ipairs(self:bfs_dirty(func)) do node.marked = false end
end

-- true when a cycle is reachable from this node (a node met again while still on the path)
function Node:hasCycle()
   local onPath, done, found = {}, {}, false
   local function walk(node)
      if found or done[node] then return end
      if onPath[node] then
         found = true
         return
      end
      onPath[node] = true
      for _, child in ipairs(node.children) do walk(child) end
      onPath[node] = nil
      done[node] = true
   end
   walk(self)
   return found
end
