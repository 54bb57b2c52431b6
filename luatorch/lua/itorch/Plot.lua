-- itorch.Plot: iTorch's chainable plots, drawn by matplotlib into PNG (iTorch used Bokeh).
--   Plot():circle(x, y, 'red', 'hi'):line(x, y, 'blue', 'fit'):title('t'):legend(true):draw()
--   plot:histogram(torch.randn(10000)):draw();  plot:save('out.html')  (or .png .svg .pdf)
-- draw() shows the plot in the notebook (outside a notebook it does nothing, as in iTorch);
-- redraw() replaces the plot drawn last.

local torch = require 'torch'

local Plot = {}
Plot.__index = Plot
Plot.__typename = 'itorch.Plot'
Plot.__itorch_handle = true  -- the kernel does not auto-print plots: draw() shows them
Plot.__tostring = function(self) return 'itorch.Plot' end

setmetatable(Plot, {__call = function(self, ...) return Plot.new(...) end})

function Plot.new()
   return setmetatable({_data = {}}, Plot)
end

-- a 1D tensor or a table of N numbers, as a fresh DoubleTensor
local function tensorValidate(x, level)
   if torch.isTensor(x) and x:dim() == 1 then
      return torch.DoubleTensor(x:size()):copy(x)
   elseif torch.type(x) == 'table' then
      return torch.DoubleTensor(x)
   elseif torch.isTensor(x) and x:nElement() == 0 then
      return torch.DoubleTensor()
   end
   error('input needs to be a 1D tensor/table of N elements', level + 1)
end

local function add(self, d)
   self._data = self._data or {}
   table.insert(self._data, d)
   return self
end

local function simpleGlyph(kind)
   return function(self, x, y, color, legend, arbitrary_data)
      x, y = tensorValidate(x, 2), tensorValidate(y, 2)
      if x:nElement() ~= y:nElement() then
         error('x and y have to have same number of elements', 2)
      end
      if color ~= nil and type(color) ~= 'string' and type(color) ~= 'table' then
         error('color must be a string or a table', 2)
      end
      if arbitrary_data ~= nil and type(arbitrary_data) ~= 'table' then
         error('arbitrary_data must be a table', 2)
      end
      return add(self, {kind = kind, x = x, y = y, color = color or 'red',
                        legend = legend or 'unnamed'})
   end
end

Plot.circle = simpleGlyph('circle')
Plot.line = simpleGlyph('line')
Plot.triangle = simpleGlyph('triangle')

local function fourPoints(kind)
   return function(self, x0, y0, x1, y1, color, legend)
      x0, y0 = tensorValidate(x0, 2), tensorValidate(y0, 2)
      x1, y1 = tensorValidate(x1, 2), tensorValidate(y1, 2)
      local n = x0:nElement()
      if y0:nElement() ~= n or x1:nElement() ~= n or y1:nElement() ~= n then
         error('x0, y0, x1 and y1 should have same number of elements', 2)
      end
      return add(self, {kind = kind, x = x0, y = y0, x1 = x1, y1 = y1, color = color or 'red',
                        legend = legend or 'unnamed'})
   end
end

Plot.segment = fourPoints('segment')
Plot.quad = fourPoints('quad')

function Plot:quiver(U, V, color, legend)
   if not (torch.isTensor(U) and torch.isTensor(V) and U:dim() == 2 and V:dim() == 2
           and U:isSameSizeAs(V)) then
      error('U and V should be 2D and of same size', 2)
   end
   return add(self, {kind = 'quiver', x = torch.DoubleTensor(U:size()):copy(U),
                     y = torch.DoubleTensor(V:size()):copy(V), color = color or 'red',
                     legend = legend or 'unnamed'})
end

function Plot:text(x, y, text, angle, text_color)
   x, y = tensorValidate(x, 2), tensorValidate(y, 2)
   if type(text) ~= 'table' then error('text must be a table of strings', 2) end
   return add(self, {kind = 'text', x = x, y = y, text = text, color = text_color or 'black'})
end

function Plot:histogram(x, nBins, min, max, color, legend)
   if not torch.isTensor(x) then error('histogram: expecting a tensor', 2) end
   min = min or x:min()
   max = max or x:max()
   nBins = nBins or 100
   if min ~= min or max ~= max then
      print('input has nans, please remove nans. min: ' .. min .. ' max: ' .. max)
      return
   end
   local hist = torch.histc(torch.DoubleTensor(x:size()):copy(x), nBins, min, max)
   nBins = hist:size(1)
   local x0 = torch.linspace(min, max, nBins)
   local x1 = x0 + (max - min) / nBins
   return self:quad(x0, torch.zeros(nBins), x1, hist, color, legend)
end
Plot.hist = Plot.histogram

-- groups of points coloured by label
function Plot:gscatter(x, y, labels, legend)
   if legend == nil then legend = true end
   if labels == nil then legend = false end
   x, y = tensorValidate(x, 2), tensorValidate(y, 2)
   labels = labels and tensorValidate(labels, 2) or torch.DoubleTensor(x:nElement()):zero()
   if x:nElement() ~= y:nElement() or x:nElement() ~= labels:nElement() then
      error('x, y and labels should have same number of elements', 2)
   end
   local classes, order = {}, {}
   for n = 1, labels:nElement() do
      local l = labels[n]
      if classes[l] == nil then
         classes[l] = {}
         order[#order + 1] = l
      end
      table.insert(classes[l], n)
   end
   local colors = {'red', 'blue', 'green', 'yellow', 'black', 'brown', 'orange', 'pink',
                   'magenta', 'purple'}
   for k, l in ipairs(order) do
      local idx = classes[l]
      local xs, ys = torch.DoubleTensor(#idx), torch.DoubleTensor(#idx)
      for i, n in ipairs(idx) do xs[i], ys[i] = x[n], y[n] end
      self:circle(xs, ys, colors[1 + (k - 1) % #colors], 'Class ' .. l)
   end
   self:legend(legend)
   return self
end

function Plot:title(t) if t then self._title = t end return self end
function Plot:xaxis(t) if t then self._xaxis = t end return self end
function Plot:yaxis(t) if t then self._yaxis = t end return self end
function Plot:legend(bool) if bool then self._legend = bool end return self end

-- Bokeh's hover tool has no meaning in a PNG: accepted and ignored
function Plot:hover_tool(tooltips)
   if type(tooltips) ~= 'table' then error('tooltips must be a table', 2) end
   return self
end

-- hand the plot to the Python renderer
local function send(self, b)
   local bind = torch._bind
   bind(b.plot_begin)({title = self._title, xaxis = self._xaxis, yaxis = self._yaxis,
                       legend = self._legend and true or false})
   local addGlyph = bind(b.plot_add)
   for _, d in ipairs(self._data or {}) do
      if d.kind == 'segment' or d.kind == 'quad' then
         addGlyph(d.kind, d.color, d.legend, d.x, d.y, d.x1, d.y1)
      elseif d.kind == 'text' then
         addGlyph(d.kind, d.color, nil, d.x, d.y, d.text)
      else
         addGlyph(d.kind, d.color, d.legend, d.x, d.y)
      end
   end
end

local function run(level, f, ...)
   local ok, res = pcall(f, ...)
   if not ok then error((tostring(res):gsub('^[^:]*:%d+: ', '')), level + 1) end
   return res
end

-- show the plot in the notebook (nothing happens outside one); window_id replaces that window
function Plot:draw(window_id)
   local b = package.loaded['itorch._backend']
   if b == nil or not b.notebook() then return self end
   run(2, function()
      send(self, b)
      self._winid = torch._bind(b.plot_draw)(window_id, window_id ~= nil)
   end)
   return self
end

function Plot:redraw()
   if self._winid == nil then return self:draw() end
   return self:draw(self._winid)
end

local function needBackend(fname)
   local b = package.loaded['itorch._backend']
   if b == nil then
      error(fname .. ': needs luatorch.kernel.display.install(runtime) (done by the Torch '
         .. 'Jupyter kernel)', 3)
   end
   return b
end

-- save(filename): .html (a page with the picture), .png, .svg or .pdf
function Plot:save(filename)
   if type(filename) ~= 'string' or filename == '' then
      error('filename has to be provided and should not be a directory', 2)
   end
   local b = needBackend('itorch.Plot:save')
   run(2, function()
      send(self, b)
      torch._bind(b.plot_save)(filename)
   end)
   return self
end

function Plot:toHTML()
   local b = needBackend('itorch.Plot:toHTML')
   return run(2, function()
      send(self, b)
      return torch._bind(b.plot_tohtml)()
   end)
end
Plot.tohtml = Plot.toHTML

return Plot
