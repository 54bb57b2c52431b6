-- image: the basics of Torch's image package (torch/image) for tutorials: files (PNG, JPEG
-- through Pillow), scale, crop, flips, colour spaces, Gaussian kernels and display grids.
-- Images are (channels x) height x width tensors; float images hold values in [0, 1].

local torch = require 'torch'
local paths = require 'paths'
local py = torch._py

image = image or {}
local image = image

local bind = torch._bind
local imgLoad, imgSave, imgScale = bind(py.img_load), bind(py.img_save), bind(py.img_scale)
local imgRotate, imgTranslate = bind(py.img_rotate), bind(py.img_translate)

local function typeOf(tensortype)
   if tensortype == nil then return torch.getdefaulttensortype():match('^torch%.(%a+)Tensor$') end
   local t = ({float = 'Float', double = 'Double', byte = 'Byte'})[tensortype]
   if not t then
      error("image.load: tensortype must be 'byte', 'float' or 'double'", 3)
   end
   return t
end

local function isFloating(t)
   local tn = torch.typename(t)
   return tn == 'torch.DoubleTensor' or tn == 'torch.FloatTensor' or tn == 'torch.CudaTensor'
      or tn == 'torch.CudaDoubleTensor'
end

-- load(filename [, depth [, tensortype]]): byte images hold 0..255, float ones 0..1
function image.load(filename, depth, tensortype)
   if type(filename) ~= 'string' then
      error("bad argument #1 to 'image.load' (file name expected)", 2)
   end
   local ttype = typeOf(tensortype)
   local t = imgLoad(filename, nil, ttype)   -- the file's own channels
   if ttype ~= 'Byte' then t:div(255) end
   return image._todepth(t, depth)
end

-- depth 1: grey (a 2D luminance image from RGB(A), the first channel of grey+alpha);
-- depth 3: RGB (grey repeated, alpha dropped); as torch/image converts loaded images
function image._todepth(img, depth)
   if depth == 1 then
      if img:dim() == 3 then
         local c = img:size(1)
         if c == 3 or c == 4 then
            img = image.rgb2y(img:narrow(1, 1, 3))[1]
         elseif c == 2 then
            img = img:narrow(1, 1, 1)
         elseif c ~= 1 then
            error('image loaded has wrong #channels', 3)
         end
      end
   elseif depth == 3 then
      if img:dim() == 2 then img = img:view(1, img:size(1), img:size(2)) end
      local c = img:size(1)
      if c == 4 then
         img = img:narrow(1, 1, 3)
      elseif c == 1 or c == 2 then
         img = img:narrow(1, 1, 1):expand(3, img:size(2), img:size(3)):clone()
      elseif c ~= 3 then
         error('image loaded has wrong #channels', 3)
      end
   elseif depth ~= nil then
      error('image.load: depth must be 1 or 3', 3)
   end
   return img
end
image.loadPNG = image.load
image.loadJPG = image.load

-- save(filename, tensor): float tensors are taken as 0..1, byte tensors as 0..255
function image.save(filename, tensor)
   if type(filename) ~= 'string' then
      error("bad argument #1 to 'image.save' (file name expected)", 2)
   end
   if not torch.isTensor(tensor) then
      error("bad argument #2 to 'image.save' (tensor expected)", 2)
   end
   imgSave(paths.concat(filename), tensor, isFloating(tensor))
end
image.savePNG = image.save
image.saveJPG = function(filename, tensor) return image.save(filename, tensor) end

---------------------------------------------------------------------------------------------
-- geometry
---------------------------------------------------------------------------------------------
local function hw(t)
   return t:size(t:dim() - 1), t:size(t:dim())
end

local function withSize(src, h, w)
   local size = src:size()
   size[src:dim() - 1] = h
   size[src:dim()] = w
   return src.new(size)
end

-- scale(src, width, height [, mode]), scale(src, size [, mode]) (largest side = size),
-- scale(dst, src [, mode]); mode 'bilinear' (default), 'bicubic' or 'simple'
function image.scale(a, b, c, d)
   local dst, src, mode
   if torch.isTensor(b) then
      dst, src, mode = a, b, c
   else
      src = a
      local h, w = hw(src)
      local width, height
      if type(c) == 'number' then
         width, height, mode = b, c, d
      elseif type(b) == 'number' then
         local s = b / math.max(h, w)
         width, height, mode = math.floor(w * s + 0.5), math.floor(h * s + 0.5), c
      elseif type(b) == 'string' then
         local f = tonumber(b:match('^%*(.+)$'))
         if not f then error("image.scale: size string must be '*factor'", 2) end
         width, height, mode = math.floor(w * f + 0.5), math.floor(h * f + 0.5), c
      else
         error('image.scale: expecting (src, width, height [, mode]) or (dst, src [, mode])', 2)
      end
      dst = withSize(src, height, width)
   end
   mode = mode or 'bilinear'
   if mode ~= 'bilinear' and mode ~= 'bicubic' and mode ~= 'simple' then
      error("image.scale: mode must be 'simple', 'bilinear' or 'bicubic'", 2)
   end
   imgScale(dst, src, mode)
   return dst
end

-- crop(src, x1, y1, x2, y2): columns x1..x2-1, rows y1..y2-1 (0-based); crop(src, format, w, h)
-- with format 'c', 'tl', 'tr', 'bl' or 'br'; a first tensor argument is the destination
function image.crop(...)
   local args = {...}
   local dst
   if torch.isTensor(args[1]) and torch.isTensor(args[2]) then dst = table.remove(args, 1) end
   local src = args[1]
   local h, w = hw(src)
   local x1, y1, x2, y2
   if type(args[2]) == 'string' then
      local format, cw, ch = args[2], args[3], args[4]
      if format == 'c' then
         x1, y1 = math.floor((w - cw) / 2), math.floor((h - ch) / 2)
      elseif format == 'tl' then x1, y1 = 0, 0
      elseif format == 'tr' then x1, y1 = w - cw, 0
      elseif format == 'bl' then x1, y1 = 0, h - ch
      elseif format == 'br' then x1, y1 = w - cw, h - ch
      else error("image.crop: format must be 'c', 'tl', 'tr', 'bl' or 'br'", 2) end
      x2, y2 = x1 + cw, y1 + ch
   else
      x1, y1, x2, y2 = args[2], args[3], args[4], args[5]
   end
   if not (x1 and y1 and x2 and y2) then
      error('image.crop: expecting (src, x1, y1, x2, y2) or (src, format, width, height)', 2)
   end
   if x1 < 0 or y1 < 0 or x2 > w or y2 > h or x2 <= x1 or y2 <= y1 then
      error('image.crop: crop area is outside the image', 2)
   end
   local d = src:dim()
   local view = src:narrow(d - 1, y1 + 1, y2 - y1):narrow(d, x1 + 1, x2 - x1)
   dst = dst or withSize(src, y2 - y1, x2 - x1)
   dst:resizeAs(view):copy(view)
   return dst
end

local function flip(dim, a, b)
   local dst, src = a, b
   if b == nil then dst, src = nil, a end
   local d = src:dim() + dim
   local n = src:size(d)
   local idx = torch.LongTensor(n)
   for i = 1, n do idx[i] = n - i + 1 end
   local out = src:index(d, idx)
   if dst then dst:resizeAs(out):copy(out) return dst end
   return out
end

-- hflip([dst,] src): mirror left-right; vflip([dst,] src): upside down
function image.hflip(a, b) return flip(0, a, b) end
function image.vflip(a, b) return flip(-1, a, b) end

-- flip([dst,] src, flip_dim): mirror along dimension flip_dim
function image.flip(a, b, c)
   local dst, src, d = a, b, c
   if c == nil then dst, src, d = nil, a, b end
   if type(d) ~= 'number' then error('image.flip: expecting (dst, src, flip_dim)', 2) end
   return flip(d - src:dim(), dst, src)
end

-- rotate([dst,] src, theta [, mode]): turn about the centre by theta radians; mode 'simple'
-- (nearest pixel, the default) or 'bilinear'; corners that come from outside are 0
function image.rotate(...)
   local n = select('#', ...)
   local args = {...}
   local dst, src, theta, mode
   if n == 4 then
      dst, src, theta, mode = args[1], args[2], args[3], args[4]
   elseif n == 3 and type(args[2]) == 'number' then
      src, theta, mode = args[1], args[2], args[3]
   elseif n == 3 then
      dst, src, theta = args[1], args[2], args[3]
   else
      src, theta = args[1], args[2]
   end
   if not torch.isTensor(src) or type(theta) ~= 'number' then
      error('image.rotate: expecting ([dst,] src, theta [, mode])', 2)
   end
   mode = mode or 'simple'
   if mode ~= 'simple' and mode ~= 'bilinear' then
      error("image.rotate: mode must be 'simple' or 'bilinear'", 2)
   end
   dst = dst or src.new()
   dst:resizeAs(src)
   imgRotate(dst, src, theta, mode)
   return dst
end

-- translate([dst,] src, x, y): shift by x columns and y rows, filling with 0
function image.translate(...)
   local args = {...}
   local dst, src, x, y
   if select('#', ...) == 4 then
      dst, src, x, y = args[1], args[2], args[3], args[4]
   else
      src, x, y = args[1], args[2], args[3]
   end
   if not torch.isTensor(src) or type(x) ~= 'number' or type(y) ~= 'number' then
      error('image.translate: expecting ([dst,] src, x, y)', 2)
   end
   dst = dst or src.new()
   dst:resizeAs(src):zero()
   imgTranslate(dst, src, math.floor(x), math.floor(y))
   return dst
end

-- convolve([dst,] src, kernel [, mode]): 2D convolution of each channel, mode 'valid'
-- (default), 'full' or 'same' (the centre of the full result, as large as src)
function image.convolve(...)
   local args = {...}
   local n = select('#', ...)
   local dst, src, kernel, mode
   if n == 4 then
      dst, src, kernel, mode = args[1], args[2], args[3], args[4]
   elseif n == 3 and type(args[3]) == 'string' then
      src, kernel, mode = args[1], args[2], args[3]
   elseif n == 3 then
      dst, src, kernel = args[1], args[2], args[3]
   else
      src, kernel = args[1], args[2]
   end
   mode = mode or 'valid'
   if mode ~= 'valid' and mode ~= 'full' and mode ~= 'same' then
      error("image.convolve: mode must be 'valid', 'full' or 'same'", 2)
   end
   local flag = mode == 'valid' and 'V' or 'F'
   local res
   if src:dim() == 2 then
      res = torch.conv2(src, kernel, flag)
   elseif src:dim() == 3 and kernel:dim() == 2 then
      local first = torch.conv2(src[1], kernel, flag)
      res = src.new(src:size(1), first:size(1), first:size(2))
      res[1]:copy(first)
      for i = 2, src:size(1) do res[i]:copy(torch.conv2(src[i], kernel, flag)) end
   elseif src:dim() == 3 and kernel:dim() == 3 then
      res = torch.conv3(src, kernel, flag)
   else
      error('image.convolve: expecting a 2D or 3D src and a 2D or 3D kernel', 2)
   end
   if mode == 'same' then
      local cx, cy = res:dim(), res:dim() - 1
      local kx, ky = kernel:size(kernel:dim()), kernel:size(kernel:dim() - 1)
      res = res:narrow(cy, math.ceil(ky / 2), src:size(src:dim() - 1))
               :narrow(cx, math.ceil(kx / 2), src:size(src:dim()))
   end
   if dst then dst:resizeAs(res):copy(res) return dst end
   return res:clone()
end

---------------------------------------------------------------------------------------------
-- colour spaces (ITU-R BT.601, as Torch's image.c)
---------------------------------------------------------------------------------------------
local function rgb(src, fname)
   if src:dim() ~= 3 or src:size(1) ~= 3 then
      error(fname .. ': expecting a 3xHxW RGB image', 3)
   end
   return src[1], src[2], src[3]
end

function image.rgb2y(a, b)
   local dst, src = a, b
   if b == nil then dst, src = nil, a end
   local r, g, bl = rgb(src, 'image.rgb2y')
   local y
   if torch.type(src) == 'torch.ByteTensor' then
      -- computed in floating point and rounded (image.c's byte version)
      y = (r:double() * 0.299 + g:double() * 0.587 + bl:double() * 0.114):add(0.5):floor()
         :clamp(0, 255)
   else
      y = r * 0.299 + g * 0.587 + bl * 0.114
   end
   dst = dst or src.new()
   dst:resize(1, src:size(2), src:size(3))
   dst[1]:copy(y)
   return dst
end

function image.rgb2yuv(a, b)
   local dst, src = a, b
   if b == nil then dst, src = nil, a end
   local r, g, bl = rgb(src, 'image.rgb2yuv')
   dst = dst or src.new()
   dst:resizeAs(src)
   dst[1]:copy(r * 0.299 + g * 0.587 + bl * 0.114)
   dst[2]:copy(r * -0.14713 + g * -0.28886 + bl * 0.436)
   dst[3]:copy(r * 0.615 + g * -0.51499 + bl * -0.10001)
   return dst
end

function image.yuv2rgb(a, b)
   local dst, src = a, b
   if b == nil then dst, src = nil, a end
   local y, u, v = rgb(src, 'image.yuv2rgb')
   dst = dst or src.new()
   dst:resizeAs(src)
   dst[1]:copy(y + v * 1.13983)
   dst[2]:copy(y + u * -0.39465 + v * -0.58060)
   dst[3]:copy(y + u * 2.03211)
   return dst
end

function image.y2rgb(src)
   local y = src:dim() == 3 and src[1] or src
   local dst = src.new(3, y:size(1), y:size(2))
   for i = 1, 3 do dst[i]:copy(y) end
   return dst
end

---------------------------------------------------------------------------------------------
-- kernels
---------------------------------------------------------------------------------------------
local function named(args, names, defaults)
   local out = {}
   local t = args[1]
   local tabled = type(t) == 'table' and not torch.isTensor(t)
   for i, k in ipairs(names) do
      local v
      if tabled then v = t[k] else v = args[i] end
      if v == nil then v = defaults[k] end
      out[k] = v
   end
   return out
end

-- gaussian1D(size [, sigma [, amplitude [, normalize [, mean]]]]) or a table of those names
function image.gaussian1D(...)
   local a = named({...}, {'size', 'sigma', 'amplitude', 'normalize', 'mean', 'tensor'},
      {size = 3, sigma = 0.25, amplitude = 1, normalize = false, mean = 0.5})
   local g = a.tensor or torch.Tensor(a.size)
   local centre = a.mean * a.size + 0.5
   for i = 1, a.size do
      g[i] = a.amplitude * math.exp(-(((i - centre) / (a.sigma * a.size)) ^ 2) / 2)
   end
   if a.normalize then g:div(g:sum()) end
   return g
end

-- gaussian(size [, sigma [, amplitude [, normalize [, width [, height ...]]]]])
function image.gaussian(...)
   local a = named({...}, {'size', 'sigma', 'amplitude', 'normalize', 'width', 'height',
      'sigma_horz', 'sigma_vert', 'mean_horz', 'mean_vert', 'tensor'},
      {size = 3, sigma = 0.25, amplitude = 1, normalize = false, mean_horz = 0.5,
       mean_vert = 0.5})
   local width, height = a.width or a.size, a.height or a.size
   local sh, sv = a.sigma_horz or a.sigma, a.sigma_vert or a.sigma
   local g = a.tensor or torch.Tensor(height, width)
   local cx, cy = a.mean_horz * width + 0.5, a.mean_vert * height + 0.5
   for i = 1, height do
      for j = 1, width do
         g[i][j] = a.amplitude * math.exp(-(((j - cx) / (sh * width)) ^ 2 / 2
            + ((i - cy) / (sv * height)) ^ 2 / 2))
      end
   end
   if a.normalize then g:div(g:sum()) end
   return g
end

---------------------------------------------------------------------------------------------
-- display
---------------------------------------------------------------------------------------------
-- minmax{tensor, min, max, symm, inplace, saturate}: values mapped onto [0, 1]
function image.minmax(args)
   local t = args.tensor
   local min, max = args.min or t:min(), args.max or t:max()
   if args.symm then
      max = math.max(math.abs(min), math.abs(max))
      min = -max
   end
   if not args.inplace then t = t:clone() end
   if max - min > 0 then t:add(-min):div(max - min) else t:zero() end
   if args.saturate ~= false then t:clamp(0, 1) end
   return t
end

-- toDisplayTensor{input, padding, nrow, scaleeach, min, max, symmetric, saturate}: many images
-- laid out on one grid (input: a table of images, a KxHxW or a Kx{1,3}xHxW tensor)
function image.toDisplayTensor(...)
   local a = named({...}, {'input', 'padding', 'nrow', 'scaleeach', 'min', 'max', 'symmetric',
      'saturate'}, {padding = 0, nrow = 6, scaleeach = false, symmetric = false,
      saturate = true})
   local input = a.input
   local packed
   if type(input) == 'table' and not torch.isTensor(input) then
      local first = input[1]
      local nd = first:dim()
      local channels = nd == 2 and 1 or first:size(1)
      packed = torch.Tensor(#input, channels, first:size(nd - 1), first:size(nd))
      for i, img in ipairs(input) do packed[i]:copy(img) end
   elseif torch.isTensor(input) then
      packed = torch.Tensor():resize(input:size()):copy(input)
   else
      error('Unknown or incompatbile type of input: ' .. torch.type(input), 2)
   end
   local function norm(t)
      return image.minmax{tensor = t, inplace = true, min = a.min, max = a.max,
                          symm = a.symmetric, saturate = a.saturate}
   end
   if a.scaleeach then
      for i = 1, packed:size(1) do norm(packed[i]) end
   else
      norm(packed)
   end
   local grid
   local d = packed:dim()
   if d == 2 or (d == 3 and (packed:size(1) == 1 or packed:size(1) == 3)) then
      return packed
   elseif d == 4 or d == 3 then
      local nmaps = packed:size(1)
      local xmaps = math.min(a.nrow, nmaps)
      local ymaps = math.ceil(nmaps / xmaps)
      local height = packed:size(d - 1) + a.padding
      local width = packed:size(d) + a.padding
      if d == 4 then
         grid = torch.Tensor(packed:size(2), height * ymaps, width * xmaps):fill(packed:max())
      else
         grid = torch.Tensor(height * ymaps, width * xmaps):fill(packed:max())
      end
      local gd = grid:dim()
      local k = 1
      for y = 1, ymaps do
         for x = 1, xmaps do
            if k > nmaps then break end
            grid:narrow(gd - 1, (y - 1) * height + 1 + math.floor(a.padding / 2),
                        height - a.padding)
                :narrow(gd, (x - 1) * width + 1 + math.floor(a.padding / 2), width - a.padding)
                :copy(packed[k])
            k = k + 1
         end
      end
      return grid
   end
   error('packed must be a HxW or KxHxW or Kx3xHxW tensor, or a list of tensors', 2)
end

-- display{image, ...} or display(image): no screen here, the picture goes to a PNG file
local displays = 0
function image.display(...)
   local args = {...}
   local t = args[1]
   local img = t
   local opts = {}
   if type(t) == 'table' and not torch.isTensor(t) then img, opts = t.image, t end
   local grid = image.toDisplayTensor{input = img, padding = opts.padding or 0,
      nrow = opts.nrow or 6, scaleeach = opts.scaleeach, min = opts.min, max = opts.max,
      symmetric = opts.symmetric, saturate = opts.saturate}
   displays = displays + 1
   local fname = paths.concat('image_display_' .. displays .. '.png')
   image.save(fname, grid)
   io.write('image.display: no screen here, image drawn in ' .. fname .. '\n')
   return fname
end

require 'image.more'

function image.lena()
   error('image.lena: the test picture is not shipped with luatorch; load your own with '
      .. 'image.load', 2)
end

return image
