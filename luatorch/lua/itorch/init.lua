-- itorch: rich output in Jupyter notebooks, as iTorch gave it to Torch users.
-- itorch.image(tensor or table of tensors or file name), itorch.html(str [, window_id]),
-- itorch.svg, itorch.audio, itorch.video, itorch.Plot (require 'itorch.Plot').
-- The Torch Jupyter kernel (python -m luatorch.kernel) makes `itorch` a global; Python puts the
-- functions that publish display messages in package.loaded['itorch._backend'].

local torch = require 'torch'

local itorch = {}

local function backend()
   return package.loaded['itorch._backend']
end
itorch._backend = backend

-- the backend when there is a notebook to show things in, else a clean error at the user's line
local function notebook(fname)
   local b = backend()
   if b == nil or not b.notebook() then
      error(fname .. ': no notebook here (rich output needs the Torch Jupyter kernel: '
         .. 'python -m luatorch.kernel install, then pick "Torch (luatorch)")', 3)
   end
   return b
end

local function call(fname, f, ...)
   -- Python errors (TorchError) become Lua errors at the caller of the itorch function
   local ok, res = pcall(torch._bind(f), ...)
   if not ok then error((tostring(res):gsub('^[^:]*:%d+: ', '')), 3) end
   return res
end

-- Example: require 'image'; itorch.image(image.scale(img, 16, 16))
function itorch.image(img, opts)
   local b = notebook('itorch.image')
   if type(img) == 'string' then
      if img:sub(-4):lower() == '.svg' then return itorch.svg(img) end
      call('itorch.image', b.image_file, img)
      return
   end
   if not (torch.isTensor(img) or torch.type(img) == 'table') then
      error('unhandled type in itorch.image:' .. torch.type(img), 2)
   end
   local image = require 'image'
   local o = {padding = 2}
   for k, v in pairs(opts or {}) do o[k] = v end
   o.input = img
   local ok, disp = pcall(image.toDisplayTensor, o)
   if not ok then error((tostring(disp):gsub('^[^:]*:%d+: ', '')), 2) end
   call('itorch.image', b.image, disp)
end

-- A window: what itorch.html returns, to replace that output later. It prints and concatenates
-- as its id (iTorch returned the id string), and the kernel does not auto-print it.
local Window = {__itorch_handle = true}
Window.__index = Window
Window.__tostring = function(w) return w.id end
Window.__concat = function(a, b) return tostring(a) .. tostring(b) end

local function window(id)
   return setmetatable({id = id}, Window)
end

local function windowId(w)
   if getmetatable(w) == Window then return w.id end
   if w ~= nil then return tostring(w) end
end

-- [window_id] = itorch.html(htmlstring, [window_id]): a window id replaces earlier HTML
function itorch.html(html, window_id)
   local b = notebook('itorch.html')
   if type(html) ~= 'string' then error('itorch.html: expecting a string', 2) end
   return window(call('itorch.html', b.html, html, windowId(window_id)))
end

function itorch.svg(filename)
   local b = notebook('itorch.svg')
   local f = io.open(filename)
   if f then
      local str = f:read('*all')
      f:close()
      return window(call('itorch.svg', b.html, str))
   end
   return window(call('itorch.svg', b.html, filename))  -- not a file: the SVG text itself
end

function itorch.audio(fname)
   return window(call('itorch.audio', notebook('itorch.audio').media, 'audio', fname))
end

function itorch.video(fname)
   return window(call('itorch.video', notebook('itorch.video').media, 'video', fname))
end

function itorch.lena()
   itorch.image(require('image').lena())
end

-- itorch.Plot() as well as require 'itorch.Plot'
setmetatable(itorch, {__index = function(t, k)
   if k == 'Plot' then
      local Plot = require 'itorch.Plot'
      rawset(t, 'Plot', Plot)
      return Plot
   end
end})

-- in a notebook, image.display shows its picture inline instead of writing a file
local b = backend()
if b ~= nil and b.notebook() then
   local image = require 'image'
   function image.display(...)
      local args = {...}
      local t = args[1]
      local img, opts = t, {}
      if type(t) == 'table' and not torch.isTensor(t) and t.image ~= nil then
         img, opts = t.image, t
      end
      local o = {padding = opts.padding or 0, nrow = opts.nrow, scaleeach = opts.scaleeach,
                 min = opts.min, max = opts.max, symmetric = opts.symmetric,
                 saturate = opts.saturate}
      itorch.image(img, o)
   end
end

return itorch
