-- display: szym/display's API (display.image, images, plot, text, audio, configure). Instead of
-- posting to a display server, every pane goes to a local HTML page (display.html in the
-- current directory, or display.configure{file = ...}), rewritten at each call; in a luatorch
-- notebook the panes show in the notebook. Each call returns its window id; passing it back as
-- opts.win replaces that pane, as with the server.
local torch = require 'torch'
require 'image'
local py = torch._py
local bind = torch._bind

local M = {url = 'http://localhost:8000/events', file = 'display.html'}

local b64tensor, b64file = bind(py.display_b64_tensor), bind(py.display_b64_file)

local panes, order = {}, {}   -- window id -> HTML; ids in creation order
local count = 0

local function uid()
   count = count + 1
   return 'pane_' .. os.time() .. '_' .. count
end

local function escape(s)
   return (tostring(s):gsub('[&<>"]', {['&'] = '&amp;', ['<'] = '&lt;', ['>'] = '&gt;',
      ['"'] = '&quot;'}))
end

local PAGE = [[<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>display</title>
<style>
body { font-family: sans-serif; background: #eee; margin: 8px; }
.pane { display: inline-block; vertical-align: top; background: #fff; margin: 4px;
        border: 1px solid #aaa; }
.title { background: #ccc; padding: 2px 6px; font-size: 12px; }
.body { padding: 4px; position: relative; }
.label { position: absolute; color: #fff; background: rgba(0,0,0,.5); font-size: 10px; }
img { image-rendering: pixelated; }
</style></head><body>
%s
</body></html>
]]

local function notebook()
   local backend = package.loaded['itorch._backend']
   if backend and backend.notebook() then return backend end
   return nil
end

local function pane(win, title, body)
   win = win or uid()
   local html = string.format('<div class="pane" id="%s"><div class="title">%s</div>'
      .. '<div class="body">%s</div></div>', escape(win), escape(title or win), body)
   local nb = notebook()
   if nb then
      nb.html(html, win)
      return win
   end
   if not panes[win] then order[#order + 1] = win end
   panes[win] = html
   local parts = {}
   for i, id in ipairs(order) do parts[i] = panes[id] end
   local f, err = io.open(M.file, 'w')
   if not f then error('display: cannot write ' .. M.file .. ' (' .. tostring(err) .. ')', 3) end
   f:write(string.format(PAGE, table.concat(parts, '\n')))
   f:close()
   return win
end

-- configure{hostname =, port =} as the server client (kept in display.url), file = the page
function M.configure(config)
   config = config or {}
   M.url = 'http://' .. (config.hostname or '127.0.0.1') .. ':' .. (config.port or 8000)
      .. '/events'
   if config.file then M.file = config.file end
end

-- the page panes go to
function M.page() return M.file end

local function normalize(img, opts)
   local min = opts.min or img:min()
   local max = opts.max or img:max()
   img = torch.FloatTensor(img:size()):copy(img)
   if max > min then img:add(-min):mul(1 / (max - min)) else img:zero() end
   return img
end

-- image(tensor [, {win, title, width, min, max}]): normalized to [0, 1]; a 4D tensor, a 3D one
-- of more than 3 planes, or a table is a list of images (see images)
function M.image(img, opts)
   opts = opts or {}
   if type(img) == 'table' and not torch.isTensor(img) then return M.images(img, opts) end
   if not torch.isTensor(img) then error('display.image: tensor or table of tensors expected', 2) end
   if img:dim() == 4 or (img:dim() == 3 and img:size(1) > 3) then
      local list = {}
      for i = 1, img:size(1) do list[i] = img[i] end
      return M.images(list, opts)
   end
   img = normalize(img, opts)
   local png = image.compressPNG(img)
   local h, w = img:size(img:dim() - 1), img:size(img:dim())
   local width = opts.width or w
   local body = {string.format('<img src="data:image/png;base64,%s" width="%d" height="%d">',
      b64tensor(png), width, math.floor(h * width / w + 0.5))}
   for _, l in ipairs(opts._labels or {}) do
      body[#body + 1] = string.format('<span class="label" style="left:%.2f%%;top:%.2f%%">%s'
         .. '</span>', l[1] * 100, l[2] * 100, escape(l[3]))
   end
   return pane(opts.win, opts.title, table.concat(body))
end

-- images(list [, {labels, nperrow, normalize, ...}]): one canvas, grey 0.5 between images
function M.images(images, opts)
   opts = opts or {}
   local labels = opts.labels or {}
   local nperrow = opts.nperrow or math.ceil(math.sqrt(#images))
   local list = {}
   local maxsize = {1, 0, 0}
   for i, img in ipairs(images) do
      if opts.normalize then img = normalize(img, opts) end
      if img:dim() == 2 then img = img:view(1, img:size(1), img:size(2)) end
      list[i] = img
      maxsize[1] = math.max(maxsize[1], img:size(1))
      maxsize[2] = math.max(maxsize[2], img:size(2))
      maxsize[3] = math.max(maxsize[3], img:size(3))
   end
   local rows = math.ceil(#list / nperrow)
   local canvas = torch.FloatTensor(maxsize[1], maxsize[2] * rows, maxsize[3] * nperrow):fill(0.5)
   local marks = {}
   for i, img in ipairs(list) do
      local row, col = math.floor((i - 1) / nperrow), (i - 1) % nperrow
      if img:size(1) < maxsize[1] then img = img:expand(maxsize[1], img:size(2), img:size(3)) end
      canvas:narrow(2, maxsize[2] * row + 1, img:size(2))
         :narrow(3, maxsize[3] * col + 1, img:size(3)):copy(img)
      if labels[i] then marks[#marks + 1] = {col / nperrow, row / rows, labels[i]} end
   end
   local o = {}
   for k, v in pairs(opts) do o[k] = v end
   o._labels = marks
   return M.image(canvas, o)
end

-- an SVG line chart: the first column is x, each other one a series
local COLOURS = {'#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'}
local function chart(rows, opts)
   local W, H, L, R, T, B = 480, 300, 56, 16, 12, 40
   local xmin, xmax, ymin, ymax = math.huge, -math.huge, math.huge, -math.huge
   local nseries = 0
   for _, r in ipairs(rows) do
      xmin, xmax = math.min(xmin, r[1]), math.max(xmax, r[1])
      for j = 2, #r do
         if r[j] == r[j] then ymin, ymax = math.min(ymin, r[j]), math.max(ymax, r[j]) end
      end
      nseries = math.max(nseries, #r - 1)
   end
   if #rows == 0 then xmin, xmax, ymin, ymax = 0, 1, 0, 1 end
   if xmax == xmin then xmax = xmin + 1 end
   if ymax == ymin then ymax = ymin + 1 end
   local function px(x) return L + (x - xmin) / (xmax - xmin) * (W - L - R) end
   local function py_(y) return H - B - (y - ymin) / (ymax - ymin) * (H - T - B) end
   local out = {string.format('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d">',
      W, H)}
   out[#out + 1] = string.format('<rect x="%d" y="%d" width="%d" height="%d" fill="none" '
      .. 'stroke="#888"/>', L, T, W - L - R, H - T - B)
   for k = 0, 4 do
      local x, y = xmin + (xmax - xmin) * k / 4, ymin + (ymax - ymin) * k / 4
      out[#out + 1] = string.format('<text x="%.1f" y="%d" font-size="10" text-anchor="middle">'
         .. '%.4g</text>', px(x), H - B + 14, x)
      out[#out + 1] = string.format('<text x="%d" y="%.1f" font-size="10" text-anchor="end">'
         .. '%.4g</text>', L - 4, py_(y) + 3, y)
   end
   local labels = opts.labels or {}
   for s = 1, nseries do
      local pts = {}
      for _, r in ipairs(rows) do
         local y = r[s + 1]
         if y ~= nil and y == y then pts[#pts + 1] = string.format('%.2f,%.2f', px(r[1]), py_(y)) end
      end
      local colour = COLOURS[(s - 1) % #COLOURS + 1]
      out[#out + 1] = string.format('<polyline fill="none" stroke="%s" points="%s"/>', colour,
         table.concat(pts, ' '))
      out[#out + 1] = string.format('<text x="%d" y="%d" font-size="11" fill="%s">%s</text>',
         L + 6, T + 12 * s, colour, escape(labels[s + 1] or ('series ' .. s)))
   end
   if opts.xlabel then
      out[#out + 1] = string.format('<text x="%d" y="%d" font-size="11" text-anchor="middle">%s'
         .. '</text>', (L + W - R) / 2, H - 6, escape(opts.xlabel))
   end
   if opts.ylabel then
      out[#out + 1] = string.format('<text x="12" y="%d" font-size="11" text-anchor="middle" '
         .. 'transform="rotate(-90 12 %d)">%s</text>', (T + H - B) / 2, (T + H - B) / 2,
         escape(opts.ylabel))
   end
   out[#out + 1] = '</svg>'
   return table.concat(out, '\n')
end

-- plot(data [, {labels, title, xlabel, ylabel, win}]): data is an N x K tensor or a table of
-- rows {x, y1, y2, ...}; the first column is x
function M.plot(data, opts)
   opts = opts or {}
   local rows = {}
   if torch.isTensor(data) then
      if data:dim() ~= 2 then error('display.plot: 2D tensor or table of rows expected', 2) end
      for i = 1, data:size(1) do
         local row = {}
         for j = 1, data:size(2) do row[j] = data[i][j] end
         rows[i] = row
      end
   elseif type(data) == 'table' then
      rows = data
   else
      error('display.plot: 2D tensor or table of rows expected', 2)
   end
   local o = {}
   for k, v in pairs(opts) do o[k] = v end
   if o.labels then o.xlabel = o.xlabel or o.labels[1] end
   return pane(opts.win, opts.title, chart(rows, o))
end

function M.text(text, opts)
   opts = opts or {}
   return pane(opts.win, opts.title, '<pre>' .. escape(text) .. '</pre>')
end

-- audio(file [, opts]): an mp3, wav, ogg or aac file as an audio player
function M.audio(data, opts)
   opts = opts or {}
   if type(data) ~= 'string' then
      print('Warning: audio package could not be loaded. Skipping audio.')
      return
   end
   local ext = data:match('%.(%w+)$') or ''
   if not (ext == 'mp3' or ext == 'wav' or ext == 'ogg' or ext == 'aac') then
      print('Warning: mp3, wav, ogg, aac files supported. But found extension: ' .. ext)
      return
   end
   return pane(opts.win, opts.title, string.format(
      '<audio controls src="data:audio/%s;base64,%s"></audio>', ext, b64file(data)))
end

return M
