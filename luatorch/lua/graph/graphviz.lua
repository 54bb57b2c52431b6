-- Rendering graphs with graphviz's `dot` program (Torch's graph used libgvc through the FFI;
-- running the `dot` binary gives the same files without linking to the library).

-- name of the graphviz layout program; tests may point it elsewhere
graph._dotProgram = graph._dotProgram or 'dot'

local py = torch._py

-- whether the graphviz program `name` (default 'dot') can be run
function graph.graphvizAvailable(name)
   return py.os_which(name or graph._dotProgram)
end

-- Run a program with an argument list, never through a shell: file and graph names come from
-- data (a loaded gModule's name). Returns the exit status and what the program printed.
local run = torch._bind(py.os_run)
function graph._run(...)
   return run({...})
end

local function requireGraphviz()
   if not graph.graphvizAvailable() then
      error(string.format("graphviz's '%s' program was not found: install graphviz "
         .. "(e.g. apt-get install graphviz, brew install graphviz)", graph._dotProgram), 3)
   end
end

local function writeFile(name, text)
   local f, err = io.open(name, 'w')
   if not f then error(string.format('cannot write %s: %s', name, tostring(err)), 3) end
   f:write(text)
   f:close()
end

-- run the layout program on a dot file; `format` is a graphviz output format (svg, dot, png...)
local function render(algorithm, format, dotFile, outFile)
   os.remove(outFile)
   local status, messages = graph._run(graph._dotProgram, '-K' .. algorithm, '-T' .. format,
                                       '-o', outFile, dotFile)
   local f = io.open(outFile, 'r')
   local size = f and f:seek('end') or 0
   if f then f:close() end
   if status ~= 0 or size == 0 then
      error(string.format('graphviz render failed: %s', messages), 3)
   end
end

-- lay out g with `algorithm` (default 'dot') and write it to fname, in the format its
-- extension names (g.svg, g.png, g.dot ...)
function graph.graphvizFile(g, algorithm, fname)
   requireGraphviz()
   algorithm = algorithm or 'dot'
   local format = fname:match('%.(%w+)$')
   if not format then error('graphvizFile: the file name needs an extension (.svg, .dot ...)', 2) end
   local source = os.tmpname()
   writeFile(source, g:todot())
   local ok, err = pcall(render, algorithm, format, source, fname)
   os.remove(source)
   if not ok then error(err, 2) end
end

--[[ Lay out a graph and return the positions of its nodes: a torch.Tensor(n, 2) whose row i
holds the (x, y) of the node with id i, both in [0, 1]. ]]
function graph.graphvizLayout(g, algorithm)
   requireGraphviz()
   local source, plain = os.tmpname(), os.tmpname()
   writeFile(source, g:todot())
   local ok, err = pcall(render, algorithm or 'dot', 'plain', source, plain)
   os.remove(source)
   if not ok then
      os.remove(plain)
      error(err, 2)
   end
   local positions = torch.zeros(#g.nodes, 2)
   local width, height = 1, 1
   for line in io.lines(plain) do
      local w, h = line:match('^graph %S+ (%S+) (%S+)')
      if w then
         width, height = tonumber(w), tonumber(h)
      end
      local id, x, y = line:match('^node n(%d+) (%S+) (%S+)')
      if id then
         id = tonumber(id)
         positions[id][1] = width > 0 and tonumber(x) / width or 0
         positions[id][2] = height > 0 and tonumber(y) / height or 0
      end
   end
   os.remove(plain)
   return positions
end

--[[ Save a graph as fname.dot and fname.svg (the svg needs graphviz's `dot` program; without
it only the .dot file is written and a message says so). `title` labels the drawing. Without
fname, Torch showed a Qt window: here the files go to a temporary name, which is printed and
returned. ]]
function graph.dot(g, title, fname)
   local show = fname == nil
   fname = fname or os.tmpname()
   local dotFile, svgFile = fname .. '.dot', fname .. '.svg'
   local source = graph._todot(g, title, true)
   if graph.graphvizAvailable() then
      -- the .dot file as graphviz writes it back, with the layout, as Torch's graph did
      local tmp = os.tmpname()
      writeFile(tmp, source)
      local ok, err = pcall(function()
         render('dot', 'dot', tmp, dotFile)
         render('dot', 'svg', tmp, svgFile)
      end)
      os.remove(tmp)
      if not ok then error(err, 2) end
      if show then
         io.stderr:write(string.format('graph.dot: no Qt display here; the graph is in %s\n',
                                       svgFile))
      end
      return svgFile
   end
   writeFile(dotFile, source)
   io.stderr:write(string.format("graph.dot: wrote %s; no %s because graphviz's '%s' program "
      .. 'was not found (install graphviz to render graphs)\n', dotFile, svgFile,
      graph._dotProgram))
   return dotFile
end
