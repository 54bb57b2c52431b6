--[[ Logger: logs values during training to a text file and plots them.

   logger = optim.Logger('accuracy.log')      -- or optim.Logger() for stdout
   logger:setNames{'training acc.', 'test acc.'}
   logger:add{trainAcc, testAcc}              -- or add{['training acc.'] = trainAcc, ...}
   logger:style{'+-', '+-'}
   logger:plot()                              -- writes accuracy.log.png

The text file is Torch's: names then one row per add, each field followed by a tab, numbers
as %11.4e. Torch drew plots with gnuplot (a window, and an .eps file next to the log);
luatorch draws them with matplotlib into a PNG next to the log (self.pngfile, 640x480).
Styles: '.' dots, '+' points, '-' lines, '+-' points and lines, '~' smoothed lines,
'|' boxes. display(false) keeps the old meaning of not showing a window (luatorch never
opens one); setlogscale(true) gives a logarithmic y axis.
]]
local Logger = torch.class('optim.Logger')

local function dirname(path)
   local dir = path:match('^(.*)/[^/]*$')
   if dir == nil then return '.' end
   if dir == '' then return '/' end
   return dir
end

local plotPNG = torch._bind(torch._py.optim_plot)

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
function Logger:plot(...)
   local plots = {}
   local function plotsymbol(name, list)
      if list and #list > 1 then
         local ys = {}
         for i = 1, #list do ys[i] = tonumber(list[i]) or 0/0 end
         for _, style in ipairs(self.styles[name]) do
            plots[#plots + 1] = {name = tostring(self.names[name]), y = ys, style = style}
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
   if #plots == 0 or not self.pngfile then
      return
   end
   if not torch._py.optim_can_plot() then
      -- as Torch without gnuplot: warn once, do not fail the training script
      if not self.warned then
         print('<Logger> warning: cannot plot with this version of Torch '
               .. '(install matplotlib to plot)')
         self.warned = true
      end
      return
   end
   plotPNG(self.pngfile, '<Logger::' .. self.name .. '>', plots, self.logscale and true or false)
end
