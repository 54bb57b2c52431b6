-- gnuplot: Torch's plotting API (torch/gnuplot) drawn with matplotlib into image files.
-- There is no screen: a figure made with gnuplot.figure() goes to gnuplot_figure_<n>.png in
-- the current directory (a one-line notice says where); pngfigure/epsfigure/svgfigure/
-- pdffigure name the file. Every change redraws the figure's file, lazily: the file shows the
-- latest state once control returns to Python (end of the script, REPL line or notebook cell),
-- at plotflush/figprint, or every few seconds in a long loop (luatorch/packages/gnuplot_backend.py).
-- Where a front end has a screen of its own (the notebook kernel), LUATORCH_GNUPLOT_SCREEN names a
-- folder for those figures: they are drawn there without a notice and the front end shows them.

local torch = require 'torch'
local paths = require 'paths'
local py = torch._py

gnuplot = gnuplot or {}
local gnuplot = gnuplot

local bind = torch._bind
local gpBegin, gpAddLine = bind(py.gp_begin), bind(py.gp_add_line)
local gpAddImage, gpAddSurface, gpFinish = bind(py.gp_add_image), bind(py.gp_add_surface),
   bind(py.gp_finish)
local gpRequest = bind(py.gp_request)

local screenDir = os.getenv('LUATORCH_GNUPLOT_SCREEN')
if screenDir == '' then screenDir = nil end

local figures = {}   -- n -> {opts = {...}, items = {...}, fname, format, notified}
local current = nil

local function getfigure(n)
   if n == nil then
      n = 1
      while figures[n] do n = n + 1 end
   end
   if figures[n] == nil then figures[n] = {opts = {}, items = {}} end
   current = n
   return figures[n]
end

local function currentFigure()
   if current == nil or figures[current] == nil then gnuplot.figure() end
   return figures[current]
end

-- the file a figure is drawn in: its own, or gnuplot_figure_<n>.png for a "screen" figure
local function target(fig, n)
   if fig.fname then return fig.fname, fig.format end
   return paths.concat(screenDir or '.', 'gnuplot_figure_' .. n .. '.png'), 'png'
end

-- draw the figure into a file now (nothing to draw: nothing written)
local function render(fig, fname, format)
   if #fig.items == 0 then return end
   gpBegin(fig.opts)
   for _, it in ipairs(fig.items) do
      if it.kind == 'line' then
         gpAddLine(it.name, it.x, it.y, it.style)
      elseif it.kind == 'image' then
         gpAddImage(it.x, it.palette)
      else
         gpAddSurface(it.name, it.x, it.y, it.z)
      end
   end
   gpFinish(fname, format)
end

-- ask for the figure's file to show its latest state: drawn at once when `now`, otherwise
-- lazily (see luatorch/packages/gnuplot_backend.py), so a loop that replots every step stays cheap. A figure
-- already waiting for its file needs no new request for a while: the pending picture draws
-- whatever the figure holds when it runs.
local function request(fig, n, now)
   if #fig.items == 0 then return end
   local fname, format = target(fig, n)
   if not now and fig.pending == fname and os.time() - fig.pendingSince < 2 then return end
   if not fig.fname and not fig.notified and not screenDir then
      fig.notified = true
      io.write('gnuplot: no screen here, figure ' .. n .. ' drawn in ' .. fname .. '\n')
   end
   fig.pending, fig.pendingSince = fname, os.time()
   gpRequest(fname, function()
      fig.pending = nil
      render(fig, fname, format)
   end, now and true or false)
end

-- draw, with errors reported at the user's line: level counts from draw's caller's caller
local function draw(fig, n, level, now)
   local ok, err = pcall(request, fig, n, now)
   if not ok then error((tostring(err):gsub('^[^:]*:%d+: ', '')), level + 1) end
end

-- while > 0, changes are collected and the current figure is redrawn once at the end
local held, heldChange = 0, false

-- redraw the current figure (level: 2 when called straight from a gnuplot.* function)
local function refresh(level)
   if held > 0 then
      heldChange = true
      return
   end
   draw(currentFigure(), current, (level or 2) + 1)
end

-- (luatorch) run fn(...) making several changes to the current figure, then redraw it once
function gnuplot._batch(fn, ...)
   held = held + 1
   local ok, err = pcall(fn, ...)
   held = held - 1
   if not ok then error(err, 0) end
   if held == 0 and heldChange then
      heldChange = false
      refresh(2)
   end
end

---------------------------------------------------------------------------------------------
-- figures and files
---------------------------------------------------------------------------------------------
function gnuplot.figure(n, config)
   getfigure(n)
   return current
end

local function filefigure(fname, format, n)
   if type(fname) ~= 'string' then
      error("bad argument #1 (file name expected, got " .. type(fname) .. ')', 3)
   end
   local fig = getfigure(n)
   fig.fname = paths.concat(fname)
   fig.format = format
   return current
end

function gnuplot.pngfigure(fname, n) return filefigure(fname, 'png', n) end
function gnuplot.epsfigure(fname, n) return filefigure(fname, 'eps', n) end
function gnuplot.svgfigure(fname, n) return filefigure(fname, 'svg', n) end
function gnuplot.pdffigure(fname, n) return filefigure(fname, 'pdf', n) end

-- figprint(fname): the current figure into another file (eps, png or pdf)
function gnuplot.figprint(fname)
   local suffix = fname:match('.+%.(.+)')
   if suffix ~= 'eps' and suffix ~= 'png' and suffix ~= 'pdf' and suffix ~= 'svg' then
      error('only eps and png and pdf for figprint', 2)
   end
   local fig = currentFigure()
   local saved, savedfmt, notified = fig.fname, fig.format, fig.notified
   fig.fname, fig.format = paths.concat(fname), suffix
   draw(fig, current, 2, true)
   fig.fname, fig.format, fig.notified = saved, savedfmt, notified
end

function gnuplot.plotflush(n)
   n = n or current
   if not n or figures[n] == nil then
      print('no figure ' .. tostring(n))
      return
   end
   draw(figures[n], n, 2, true)
end

function gnuplot.close(n)
   n = n or current
   local fig = n and figures[n]
   if fig == nil then return end
   draw(fig, n, 2)
   figures[n] = nil
   if current == n then current = nil end
end

function gnuplot.closeall()
   for n in pairs(figures) do gnuplot.close(n) end
   figures = {}
   current = nil
end

-- no gnuplot program runs here: terminals and executables have nothing to choose
function gnuplot.setgnuplotexe() end
function gnuplot.setterm() end

function gnuplot.raw(str)
   io.stderr:write('gnuplot.raw ignored (figures are drawn by matplotlib): ' .. tostring(str)
      .. '\n')
end

---------------------------------------------------------------------------------------------
-- decorations: each redraws the figure
---------------------------------------------------------------------------------------------
local function setopt(k, v)
   currentFigure().opts[k] = v
   refresh(3)
end

function gnuplot.title(label) setopt('title', tostring(label)) end
function gnuplot.xlabel(label) setopt('xlabel', tostring(label)) end
function gnuplot.ylabel(label) setopt('ylabel', tostring(label)) end
function gnuplot.zlabel(label) setopt('zlabel', tostring(label)) end
function gnuplot.grid(toggle) setopt('grid', toggle and true or false) end
function gnuplot.logscale(toggle) setopt('logscale', toggle and true or false) end

function gnuplot.movelegend(hloc, vloc)
   if hloc ~= 'left' and hloc ~= 'right' and hloc ~= 'center' then
      error('horizontal location is unknown : plot.movelegend expects 2 strings as location '
         .. '{left|right|center}{bottom|top|middle}', 2)
   end
   if vloc ~= 'bottom' and vloc ~= 'top' and vloc ~= 'middle' then
      error('horizontal location is unknown : plot.movelegend expects 2 strings as location '
         .. '{left|right|center}{bottom|top|middle}', 2)
   end
   local fig = currentFigure()
   fig.opts.hloc, fig.opts.vloc = hloc, vloc
   refresh()
end

function gnuplot.axis(axis)
   local fig = currentFigure()
   if axis == 'auto' or axis == 'fill' then
      fig.opts.axis = nil
   elseif axis == 'image' or axis == 'equal' then
      fig.opts.axis = 'equal'
   elseif type(axis) == 'table' then
      if #axis ~= 4 then print('axis should have 4 componets {xmin,xmax,ymin,ymax}'); return end
      fig.opts.axis = {axis[1], axis[2], axis[3], axis[4]}
   end
   refresh()
end

---------------------------------------------------------------------------------------------
-- plots
---------------------------------------------------------------------------------------------
local function istensor(v)
   return torch.isTensor(v)
end

local usageLine = 'expecting [string,] tensor [,tensor] [,string]'

-- one series: [legend,] x [,y] [,format] as gnuplot.lua reads it
local function getvars(t)
   local legend, x, y, format
   if #t == 0 then error('empty argument list', 3) end
   if type(t[1]) == 'string' then legend = t[1]
   elseif istensor(t[1]) then x = t[1]
   else error(usageLine, 3) end
   if #t >= 2 then
      if x and type(t[2]) == 'string' then format = t[2]
      elseif x and istensor(t[2]) then y = t[2]
      elseif legend and istensor(t[2]) then x = t[2]
      else error(usageLine, 3) end
   end
   if #t >= 3 then
      if legend and x and istensor(t[3]) then y = t[3]
      elseif legend and x and type(t[3]) == 'string' then format = t[3]
      elseif x and y and type(t[3]) == 'string' then format = t[3]
      else error(usageLine, 3) end
   end
   if #t == 4 then
      if legend and x and y and type(t[4]) == 'string' then format = t[4]
      else error(usageLine, 3) end
   end
   if #t > 4 then error(usageLine, 3) end
   if not x then error(usageLine, 3) end
   if not y then
      if x:dim() == 2 and x:size(2) == 2 then
         y = x:select(2, 2)
         x = x:select(2, 1)
      elseif x:dim() == 2 and x:size(2) == 4 and format == 'v' then
         y = x:index(2, torch.LongTensor{2, 4})
         x = x:index(2, torch.LongTensor{1, 3})
      elseif x:dim() == 2 and x:size(2) > 1 then
         y = x:narrow(2, 2, x:size(2) - 1)
         x = x:select(2, 1)
      else
         y = x
         x = torch.range(1, y:size(1))
      end
   end
   if (x:dim() ~= 1 and x:dim() ~= 2) or y:size(1) ~= x:size(1) then
      error('x and y dims are wrong :  x = ' .. x:nDimension() .. 'D y = ' .. y:nDimension()
         .. 'D', 3)
   end
   return legend or '', x, y, format or ''
end

local function collect(args, nargs, reader)
   if nargs == 0 then error('no inputs, expecting at least a vector', 3) end
   local list = {}
   if type(args[1]) == 'table' and not istensor(args[1]) then
      if type(args[1][1]) == 'table' and not istensor(args[1][1]) then args = args[1] end
      for _, v in ipairs(args) do list[#list + 1] = {reader(v)} end
   else
      list[1] = {reader(args)}
   end
   return list
end

function gnuplot.plot(...)
   local list = collect({...}, select('#', ...), getvars)
   local fig = currentFigure()
   fig.items = {}
   for _, s in ipairs(list) do
      -- copies: the picture is drawn later, the script may change its tensors meanwhile
      fig.items[#fig.items + 1] = {kind = 'line', name = s[1], x = s[2]:clone(), y = s[3]:clone(),
                                   style = s[4]}
   end
   refresh()
end

function gnuplot.bar(...)
   local args = {...}
   args[#args + 1] = '|'
   return gnuplot.plot(args)
end

-- histc(tensor [, bins [, min [, max]]]): counts and bin centres as gnuplot's hist.lua returns
function gnuplot.histc(tensor, bins, min, max)
   bins = bins or 100
   min = min or tensor:min()
   max = max or tensor:max()
   if min == max then min, max = min - 1, max + 1 end
   local raw = torch.histc(tensor:double(), bins, min, max)
   local h = {raw = raw, bins = bins, min = min, max = max}
   local width = (max - min) / bins
   h.binwidth = width
   for i = 1, bins do
      h[i] = {val = min + (i - 0.5) * width, nb = raw[i]}
   end
   return h
end

function gnuplot.hist(tensor, bins, min, max)
   local h = gnuplot.histc(tensor, bins, min, max)
   local centres = torch.Tensor(#h)
   for i = 1, #h do centres[i] = h[i].val end
   gnuplot.bar(centres, h.raw)
   return h
end

-- imagesc(matrix [, palette]): the matrix as a picture ('gray' or 'color')
function gnuplot.imagesc(x, palette)
   if x == nil then error('no inputs, expecting at least a matrix', 2) end
   if not istensor(x) then error('expecting tensor [,string]', 2) end
   if palette ~= nil and type(palette) ~= 'string' then error('expecting tensor [,string]', 2) end
   if x:nDimension() ~= 2 then
      error('x is expected to be matrices x = ' .. x:nDimension() .. 'D', 2)
   end
   local fig = currentFigure()
   fig.items = {{kind = 'image', x = x:clone(), palette = palette or 'gray'}}
   refresh()
end

local function getsplotvars(t)
   local legend, x, y, z
   if type(t[1]) == 'string' then
      legend, x, y, z = t[1], t[2], t[3], t[4]
      if y == nil then z, x = x, nil end
   else
      x, y, z = t[1], t[2], t[3]
      if y == nil then z, x = x, nil end
   end
   if not istensor(z) then error('expecting [string,] tensor [,tensor] [,tensor]', 3) end
   if x == nil then
      x = torch.Tensor(z:size())
      y = torch.Tensor(z:size())
      for i = 1, x:size(1) do x:select(1, i):fill(i) end
      for i = 1, y:size(2) do y:select(2, i):fill(i) end
   end
   if x:nDimension() ~= 2 or y:nDimension() ~= 2 or z:nDimension() ~= 2 then
      error('x and y and z are expected to be matrices x = ' .. x:nDimension() .. 'D y = '
         .. y:nDimension() .. 'D z = ' .. z:nDimension() .. 'D', 3)
   end
   return legend or '', x, y, z
end

function gnuplot.splot(...)
   local list = collect({...}, select('#', ...), getsplotvars)
   local fig = currentFigure()
   fig.items = {}
   for _, s in ipairs(list) do
      fig.items[#fig.items + 1] = {kind = 'surface', name = s[1], x = s[2]:clone(),
                                   y = s[3]:clone(), z = s[4]:clone()}
   end
   refresh()
end

return gnuplot
