-- A terser drawing of a gModule graph: only the nodes holding a module other than nn.Identity,
-- with edges bridged over the nodes left out.
local M = {}

local function kept(node)
   return node.data and node.data.module and torch.typename(node.data.module) ~= 'nn.Identity'
end

-- nodes {id=, orig=} and edges {source=, target=} of the simplified graph
local function simplify(g)
   local nodes, edges = {}, {}
   for _, node in ipairs(g.nodes) do
      nodes[#nodes + 1] = {id = node.id, orig = node}
      for _, child in ipairs(node.children) do
         edges[#edges + 1] = {source = node.id, target = child.id}
      end
   end
   local i = 1
   while i <= #nodes do
      if kept(nodes[i].orig) then
         i = i + 1
      else
         local id = table.remove(nodes, i).id
         -- connect every predecessor of the removed node to every successor
         local from, to, rest = {}, {}, {}
         for _, e in ipairs(edges) do
            if e.source == id then
               to[#to + 1] = e.target
            elseif e.target == id then
               from[#from + 1] = e.source
            else
               rest[#rest + 1] = e
            end
         end
         for _, f in ipairs(from) do
            for _, t in ipairs(to) do rest[#rest + 1] = {source = f, target = t} end
         end
         edges = rest
      end
   end
   -- renumber 1..n
   local renumber = {}
   for k, node in ipairs(nodes) do
      renumber[node.id] = k
      node.id = k
   end
   for _, e in ipairs(edges) do
      e.source, e.target = renumber[e.source], renumber[e.target]
   end
   return nodes, edges
end

function M.todot(g, title)
   local nodes, edges = simplify(g)
   local out = {'digraph G {\n'}
   if title then out[#out + 1] = 'labelloc="t";\nlabel="' .. title .. '";\n' end
   out[#out + 1] = 'node [shape = oval]; '
   local names = {}
   for i, node in ipairs(nodes) do
      local orig = node.orig
      names[i] = 'n' .. orig.id
      out[#out + 1] = '\n' .. names[i] .. '[label="Node' .. orig.id .. '\\n' .. orig:label()
         .. '"];'
   end
   out[#out + 1] = '\n'
   for _, e in ipairs(edges) do
      out[#out + 1] = names[e.source] .. ' -> ' .. names[e.target] .. ';\n'
   end
   out[#out + 1] = '}'
   return table.concat(out)
end

-- save fname.dot and (with graphviz) fname.svg
function M.dot(g, title, fname)
   fname = fname or os.tmpname()
   local f = assert(io.open(fname .. '.dot', 'w'))
   f:write(M.todot(g, title))
   f:close()
   if graph.graphvizAvailable() then
      graph._run(graph._dotProgram, '-Tsvg', '-o', fname .. '.svg', fname .. '.dot')
   else
      io.stderr:write(string.format("nngraph.simple_print.dot: wrote %s.dot; no svg because "
         .. "graphviz's '%s' program was not found\n", fname, graph._dotProgram))
   end
   return fname
end

return M
