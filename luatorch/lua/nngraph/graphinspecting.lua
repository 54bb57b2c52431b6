-- Debugging helpers: nngraph.setDebug (draw the graph with the failing node in red when a
-- gModule errors), nngraph.annotateNodes (name nodes after local variables), nngraph.display.

-- the node being evaluated when an error was raised: the `node` argument of the innermost
-- gModule `neteval` function on the stack (this relies on those names in gmodule.lua)
local function findCurrentNode()
   for level = 2, math.huge do
      local info = debug.getinfo(level, 'n')
      if info == nil then return nil end
      if info.name == 'neteval' then
         local name, node = debug.getlocal(level, 1)
         if name == 'node' then return node end
      end
   end
end

-- run func; on error call onError(failedNode, ...) and raise the error again, with a traceback
local function runChecked(func, onError, ...)
   local failedNode
   local function handler(message)
      message = tostring(message)
      if not message:find('stack traceback:\n', 1, true) then
         message = debug.traceback(message, 2)
      end
      failedNode = findCurrentNode()
      return message
   end
   local results = {xpcall(func, handler)}
   if results[1] then return unpack(results, 2) end
   onError(failedNode, ...)
   error(results[2], 0)
end

-- the dot text of a graph, with the failed node filled in red
local function customToDot(g, title, failedNode)
   local str = g:todot(title)
   if not failedNode then return str end
   for _, node in ipairs(g.nodes) do
      if node.data == failedNode.data then
         str = str:gsub('}%s*$', '')
         return str .. string.format('n%s[style=filled, fillcolor=red];\n}', node.id)
      end
   end
   return str
end

local function fileExists(name)
   local f = io.open(name, 'r')
   if f then f:close() end
   return f ~= nil
end

-- write prefix.dot and, when graphviz is installed, prefix.svg
local function saveSvg(prefix, dotStr)
   local dotPath, svgPath = prefix .. '.dot', prefix .. '.svg'
   local f = assert(io.open(dotPath, 'w'))
   f:write(dotStr)
   f:close()
   if graph.graphvizAvailable() then
      io.stderr:write(string.format('saving %s\n', svgPath))
      graph._run(graph._dotProgram, '-Tsvg', '-o', svgPath, dotPath)
   else
      io.stderr:write(string.format("saving %s (no %s: graphviz's '%s' program was not found)\n",
                                    dotPath, svgPath, graph._dotProgram))
   end
end

local function onError(failedNode, gmodule)
   local nInputs = gmodule.nInputs or #gmodule.innode.children
   local prefix = gmodule.name or string.format('nngraph_%sin_%sout', nInputs,
                                                #gmodule.outnode.children)
   if fileExists(prefix .. '.svg') or fileExists(prefix .. '.dot') then
      prefix = prefix .. '_' .. os.tmpname():match('([^/\\]+)$')
   end
   saveSvg(prefix, customToDot(gmodule.fg, prefix, failedNode))
end

local origFuncs = {
   runForwardFunction = nn.gModule.runForwardFunction,
   updateGradInput = nn.gModule.updateGradInput,
   accGradParameters = nn.gModule.accGradParameters,
}

-- with debugging on, an error inside a gModule saves <name>.dot/.svg (name: gmodule.name, or
-- nngraph_<n>in_<m>out) showing the graph with the failing node in red
function nngraph.setDebug(enable)
   for name, orig in pairs(origFuncs) do
      if enable then
         nn.gModule[name] = function(...)
            local args = {...}
            local n = select('#', ...)
            return runChecked(function() return orig(unpack(args, 1, n)) end, onError, args[1])
         end
      else
         nn.gModule[name] = orig
      end
   end
end

-- name the nodes held in local variables of the function stackLevel levels up (default: the
-- caller) after those variables; names already given are kept
function nngraph.annotateNodes(stackLevel)
   stackLevel = stackLevel or 1
   for index = 1, math.huge do
      local name, value = debug.getlocal(stackLevel + 1, index)
      if not name then break end
      if torch.typename(value) == 'nngraph.Node' and not value.data.annotations.name then
         value:annotate({name = name})
      end
   end
end

-- draw a gModule's forward graph to an svg file and open it with the desktop's viewer
function nngraph.display(gmodule)
   local fname = os.tmpname()
   graph.dot(gmodule.fg, fname, fname)
   local svg = fname .. '.svg'
   if not fileExists(svg) then return end
   local opener = jit and jit.os == 'OSX' and 'open' or 'xdg-open'
   if graph.graphvizAvailable(opener) then
      torch._py.os_spawn({opener, svg})
   else
      io.stderr:write(string.format('nngraph.display: the graph is in %s\n', svg))
   end
   return svg
end
