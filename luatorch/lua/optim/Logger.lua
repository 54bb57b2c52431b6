--[[ Logger: logs values during training to a text file and plots them.

   logger = optim.Logger('accuracy.log')      -- or optim.Logger() for stdout
   logger:setNames{'training acc.', 'test acc.'}
   logger:add{trainAcc, testAcc}              -- or add{['training acc.'] = trainAcc, ...}
   logger:style{'+-', '+-'}
   logger:plot()                              -- accuracy.log.png and accuracy.log.eps

The text file is Torch's: names then one row per add, each field followed by a tab, numbers
as %11.4e. plot() draws through gnuplot as Torch's did: Torch showed a window and wrote an .eps
file next to the log; luatorch writes the .eps file and, for the window, a PNG next to the log
(self.pngfile, 640x480).
Styles: '.' dots, '+' points, '-' lines, '+-' points and lines, '~' smoothed lines,
'|' boxes. display(false) shows no window (no PNG; the .eps file is still written);
setlogscale(true) gives logarithmic axes (gnuplot's `set logscale`).
]]
require 'xlua'

local Logger = torch.class('optim.Logger')

local function dirname(path)
   local dir = path:match('^(.*)/[^/]*$')
   if dir == nil then return '.' end
   if dir == '' then return '/' end
   return dir
end


local function logError(message)
   error('<Logger> ' .. message, 3)
end

function Logger:__init(filename, timestamp)
   if filename then
      self.name = filename
      torch._py.optim_mkdir(dirname(filename))
      if timestamp then
         -- a unique log file per run
         filename = filename .. '-' .. os.date("%Y_%m_%d_%X")
      end
      local f, err = io.open(filename, 'w')
      if not f then
         error('<Logger> cannot open ' .. filename .. ' for writing: ' .. tostring(err), 2)
      end
      self.file = f
      self.epsfile = self.name .. '.eps'
      self.pngfile = self.name .. '.png'
   else
      self.file = io.stdout
      self.name = 'stdout'
      print('<Logger> warning: no path provided, logging to std out')
   end
   self.empty = true
   self.symbols = {}
   self.styles = {}
   self.names = {}
   self.idx = {}
   self.figure = nil
   self.showPlot = true
   self.plotRawCmd = nil
   self.defaultStyle = '+'
   self.logscale = false
end

function Logger:setNames(names)
   self.names = names
   self.empty = false
   self.nsymbols = #names
   for k, key in pairs(names) do
      self.file:write(key .. '\t')
      self.symbols[k] = {}
      self.styles[k] = {self.defaultStyle}
      self.idx[key] = k
   end
   self.file:write('\n')
   self.file:flush()
   return self
end

function Logger:add(symbols)
   -- the first add without setNames writes the keys as the header
   if self.empty then
      self.empty = false
      self.nsymbols = #symbols
      for k in pairs(symbols) do
         self.file:write(k .. '\t')
         self.symbols[k] = {}
         self.styles[k] = {self.defaultStyle}
         self.names[k] = k
      end
      self.idx = self.names
      self.file:write('\n')
   end
   for _, val in pairs(symbols) do
      if type(val) == 'number' then
         self.file:write(string.format('%11.4e', val) .. '\t')
      elseif type(val) == 'string' then
         self.file:write(val .. '\t')
      else
         logError('can only log numbers and strings')
      end
   end
   self.file:write('\n')
   self.file:flush()
   for k, val in pairs(symbols) do
      table.insert(self.symbols[k], val)
   end
end

function Logger:style(symbols)
   for name, style in pairs(symbols) do
      if type(style) == 'string' then
         self.styles[name] = {style}
      elseif type(style) == 'table' then
         self.styles[name] = style
      else
         logError('style should be a string or a table of strings')
      end
   end
   return self
end

function Logger:setlogscale(value)
   self.logscale = value
end

function Logger:display(value)
   self.showPlot = value
end

-- plot(): every symbol with more than one value; plot(name, ...): those symbols only.
-- Drawn through gnuplot as Torch's Logger does (xlua.require: the same warnings when it is
-- missing). Torch showed a gnuplot window and wrote <name>.eps; with no screen, luatorch's
-- window is <name>.png (gnuplot_figure_<n>.png for a Logger without a file). Drawing is lazy
-- (see gnuplot): calling plot() every iteration costs little.
function Logger:plot(...)
   if not xlua.require('gnuplot') then
      if not self.warned then
         print('<Logger> warning: cannot plot with this version of Torch')
         self.warned = true
      end
      return
   end
   if not torch._py.optim_can_plot() then
      -- gnuplot is here but cannot draw (no matplotlib): warn once as above
      if not self.warned then
         print('<Logger> warning: cannot plot with this version of Torch '
               .. '(install matplotlib to plot)')
         self.warned = true
      end
      return
   end
   local plots = {}
   -- each symbol's values in a tensor that grows with the log: one new value per add, not a
   -- new tensor of the whole history per plot
   self.plotBuffers = self.plotBuffers or {}
   local function values(name, list)
      local b = self.plotBuffers[name]
      if not b or b.n > #list then
         b = {data = torch.Tensor(math.max(16, #list)), n = 0}
         self.plotBuffers[name] = b
      end
      if b.data:size(1) < #list then
         local bigger = torch.Tensor(2 * #list)
         bigger:narrow(1, 1, b.n):copy(b.data:narrow(1, 1, b.n))
         b.data = bigger
      end
      for i = b.n + 1, #list do b.data[i] = tonumber(list[i]) or 0/0 end
      b.n = #list
      return b.data:narrow(1, 1, b.n)
   end
   local function plotsymbol(name, list)
      if list and #list > 1 then
         local plot_y = values(name, list)
         for _, style in ipairs(self.styles[name]) do
            plots[#plots + 1] = {tostring(self.names[name]), plot_y, style}
         end
      end
   end
   local args = {...}
   if not args[1] then
      for name, list in pairs(self.symbols) do
         plotsymbol(name, list)
      end
   else
      for _, name in ipairs(args) do
         plotsymbol(self.idx[name], self.symbols[self.idx[name]])
      end
   end
   if #plots == 0 then return end
   local function draw()
      gnuplot._batch(function()
         if self.logscale then gnuplot.logscale('on') end
         gnuplot.plot(plots)
         if self.plotRawCmd then gnuplot.raw(self.plotRawCmd) end
         gnuplot.grid('on')
         gnuplot.title('<Logger::' .. self.name .. '>')
      end)
   end
   if self.showPlot then
      if self.pngfile then
         self.figure = gnuplot.pngfigure(self.pngfile, self.figure)
      else
         self.figure = gnuplot.figure(self.figure)
      end
      draw()
   end
   if self.epsfile then
      local epsfig = gnuplot.epsfigure(self.epsfile)
      draw()
      gnuplot.close(epsfig)
   end
end
