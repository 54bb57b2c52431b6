-- The rest of torch/image's documented functions: colour spaces (HSL, HSV, Lab, normalized RGB,
-- jet), warp and affinetransform, local contrast normalization, erosion and dilation, Laplacian
-- and colour-map kernels, Gaussian pyramids, image sizes, JPEG/PNG images held in ByteTensors,
-- rectangles. The per-pixel work is luatorch/packages/image_extra_backend.py.
local torch = require 'torch'
local py = torch._py
local bind = torch._bind
local image = image

local colorspace, warp = bind(py.img_colorspace), bind(py.img_warp)
local drawRect, imgSize = bind(py.img_draw_rect), bind(py.img_size)
local compress, decompress = bind(py.img_compress), bind(py.img_decompress)

local function dstSrc(fname, ...)
   local n = select('#', ...)
   local a, b = ...
   if n == 2 then return a, b end
   if n == 1 then return nil, a end
   error(fname .. ': expecting ([dst,] src)', 3)
end

local function rgbImage(src, fname)
   if not torch.isTensor(src) or src:dim() ~= 3 or src:size(1) ~= 3 then
      error(fname .. ': expecting a 3xHxW image', 3)
   end
end

-- rgb2hsl, hsl2rgb, rgb2hsv, hsv2rgb, rgb2lab, lab2rgb: ([dst,] src), 3xHxW images
for _, name in ipairs{'rgb2hsl', 'hsl2rgb', 'rgb2hsv', 'hsv2rgb', 'rgb2lab', 'lab2rgb'} do
   image[name] = function(...)
      local dst, src = dstSrc('image.' .. name, ...)
      rgbImage(src, 'image.' .. name)
      dst = dst or src.new()
      dst:resizeAs(src)
      colorspace(dst, src, name)
      return dst
   end
end

-- rgb2nrgb([dst,] src): each channel divided by the sum of the three (plus 1e-6)
function image.rgb2nrgb(...)
   local dst, src = dstSrc('image.rgb2nrgb', ...)
   rgbImage(src, 'image.rgb2nrgb')
   dst = dst or src.new()
   dst:resizeAs(src):copy(src)
   local sum = src[1]:clone():add(src[2]):add(src[3]):add(1e-6)
   for i = 1, 3 do dst[i]:cdiv(sum) end
   return dst
end

-- jetColormap(n): n x 3 colours from blue to red
function image.jetColormap(n)
   local map = torch.Tensor(n, 3)
   for i = 1, n do
      local f = 4 * i / n
      map[i][1] = math.max(math.min(f - 1.5, -f + 4.5, 1), 0)
      map[i][2] = math.max(math.min(f - 0.5, -f + 3.5, 1), 0)
      map[i][3] = math.max(math.min(f + 0.5, -f + 2.5, 1), 0)
   end
   return map
end

-- colormap(n): n x 3 distinct colours (hue steps of 39 degrees, saturation in [0.3, 1))
function image.colormap(n)
   local map = torch.Tensor(n, 3)
   local hueAcc, satAcc = 0, 0
   for i = 1, n do
      local hue = math.fmod(hueAcc, 360)
      local sat = math.fmod(satAcc, 0.7) + 0.3
      local light = 0.5
      hueAcc, satAcc = hueAcc + 39, satAcc + 1 / 9
      local c = (1 - math.abs(2 * light - 1)) * sat
      local hp = hue / 60
      local x = c * (1 - math.abs(math.fmod(hp, 2) - 1))
      local rgb
      if hp < 1 then rgb = {c, x, 0}
      elseif hp < 2 then rgb = {x, c, 0}
      elseif hp < 3 then rgb = {0, c, x}
      elseif hp < 4 then rgb = {0, x, c}
      elseif hp < 5 then rgb = {x, 0, c}
      else rgb = {c, 0, x} end
      local m = light - c / 2
      for k = 1, 3 do map[i][k] = rgb[k] + m end
   end
   return map
end

-- y2jet([dst,] src): a map of labels 1..L (HxW or 1xHxW) coloured with jetColormap(L)
function image.y2jet(...)
   local dst, src = dstSrc('image.y2jet', ...)
   if src:dim() == 3 and src:size(1) == 1 then src = src[1] end
   if src:dim() == 1 then src = src:view(1, src:size(1)) end
   local L = src:max()
   local map = image.jetColormap(L)
   if torch.type(src) == 'torch.ByteTensor' then
      map = map:mul(255):round():clamp(0, 255):byte()
   else
      map = map:typeAs(src)
   end
   local idx = src:reshape(src:nElement()):long()
   local colours = map:index(1, idx):t()   -- 3 x N
   dst = dst or src.new()
   dst:resize(3, src:size(1), src:size(2)):copy(colours:reshape(3, src:size(1), src:size(2)))
   return dst
end

---------------------------------------------------------------------------------------------
-- warp and affinetransform
---------------------------------------------------------------------------------------------
local modes = {simple = true, bilinear = true, bicubic = true, lanczos = true}

-- the destination and the rest of warp-style arguments: ([dst,] src, x, [mode, ...])
local function warpArgs(fname, defaults, ...)
   local args = {...}
   local n = select('#', ...)
   local dst
   if n >= 3 and torch.isTensor(args[3]) or (n >= 3 and torch.isTensor(args[1])
         and torch.isTensor(args[2]) and type(args[3]) ~= 'string' and args[3] ~= nil) then
      dst = table.remove(args, 1)
      n = n - 1
   end
   if n < 2 or n > 6 then error(fname .. ': incorrect arguments', 3) end
   local src, x, mode, opt, clamp, pad = args[1], args[2], args[3], args[4], args[5], args[6]
   mode = mode or 'bilinear'
   if opt == nil then opt = defaults.opt end
   clamp = clamp or 'clamp'
   if pad ~= nil and clamp ~= 'pad' then
      error('pad_value can only be specified if clamp_mode = "pad"', 3)
   end
   if not modes[mode] then
      error(fname .. ': Incorrect arguments (mode is not lanczos | bicubic | bilinear | simple)!',
         3)
   end
   if clamp ~= 'clamp' and clamp ~= 'pad' then
      error(fname .. ': Incorrect arguments (clamp_mode is not clamp | pad)!', 3)
   end
   return dst, src, x, mode, opt, clamp, pad or 0
end

-- warp([dst,] src, field [, mode, offset, clamp_mode, pad_value]): each destination pixel
-- samples src at its own (y, x) plus field's (y, x) vector (field is 2xHxW; without offset,
-- field holds absolute positions). mode: 'simple', 'bilinear' (default), 'bicubic', 'lanczos';
-- clamp_mode 'clamp' (default) or 'pad' (samples off the image are pad_value)
function image.warp(...)
   local dst, src, field, mode, offset, clamp, pad = warpArgs('image.warp', {opt = true}, ...)
   local dim2 = src:dim() == 2
   if dim2 then src = src:view(1, src:size(1), src:size(2)) end
   dst = dst or src.new()
   dst:resize(src:size(1), field:size(2), field:size(3))
   warp(dst, src, field, mode, offset, clamp, pad)
   if dim2 then dst = dst[1] end
   return dst
end

-- affinetransform([dst,] src, matrix [, mode, translation, clamp_mode, pad_value]): the 2x2
-- (y, x) matrix applied about the image centre, after the (y, x) translation
function image.affinetransform(...)
   local dst, src, matrix, mode, translation, clamp, pad =
      warpArgs('image.affinetransform', {opt = torch.Tensor{0, 0}}, ...)
   local dim2 = src:dim() == 2
   if dim2 then src = src:reshape(1, src:size(1), src:size(2)) end
   local h, w = src:size(2), src:size(3)
   local grid = torch.Tensor(2, h, w)
   grid[1] = torch.ger(torch.linspace(-1, 1, h), torch.ones(w)) * ((h - 1) / 2) * -1
   grid[2] = torch.ger(torch.ones(h), torch.linspace(-1, 1, w)) * ((w - 1) / 2) * -1
   local moved = torch.mm(matrix:typeAs(torch.Tensor()), grid:reshape(2, h * w))
   local field = grid - moved:reshape(2, h, w)
   translation = torch.Tensor(translation)
   field[1]:add(-translation[1])
   field[2]:add(-translation[2])
   dst = dst or src.new()
   dst:resize(src:size(1), h, w)
   warp(dst, src, field, mode, true, clamp, pad)
   if dim2 then dst = dst[1] end
   return dst
end

-- polar([dst,] src [, interpolation [, mode]]) and logpolar: the image in polar (log-polar)
-- coordinates about its centre: rows are angles, columns radii up to half the smaller side
-- (mode 'valid') or half the diagonal ('full'); interpolation 'simple' or 'bilinear'.
-- As in torch/image, the defaults are swapped (interpolation 'valid'), so name both.
local imgPolar = bind(py.img_polar)
local function polarFunction(fname, log)
   return function(...)
      local args = {...}
      local n = select('#', ...)
      local dst, src, interp, mode
      if n == 4 then
         dst, src, interp, mode = ...
      elseif n == 3 and type(args[2]) == 'string' then
         src, interp, mode = ...
      elseif n == 3 then
         dst, src, interp = ...
      elseif n == 2 and type(args[2]) == 'string' then
         src, interp = ...
      elseif n == 2 then
         dst, src = ...
      elseif n == 1 then
         src = ...
      else
         error(fname .. ': incorrect arguments', 2)
      end
      interp = interp or 'valid'
      mode = mode or 'simple'
      if dst == nil then
         local d = math.max(src:size(2), src:size(3))
         dst = src.new():resize(src:size(1), d, d)
      end
      if interp ~= 'simple' and interp ~= 'bilinear' then
         error('<' .. fname .. '> interpolation must be one of: simple | bilinear', 2)
      end
      if mode ~= 'full' and mode ~= 'valid' then
         error('<' .. fname .. '> mode must be one of: valid | full', 2)
      end
      imgPolar(dst, src, mode == 'full', interp == 'bilinear', log)
      return dst
   end
end
image.polar = polarFunction('image.polar', false)
image.logpolar = polarFunction('image.logpolar', true)

---------------------------------------------------------------------------------------------
-- filters
---------------------------------------------------------------------------------------------
-- lcn(src [, kernel]): local contrast normalization of a grey image (HxW or 1xHxW), as a
-- DoubleTensor the size of the valid convolution
function image.lcn(im, ker)
   ker = ker or image.gaussian({size = 9, sigma = 1.591 / 9, normalize = true})
   im = im:clone():type('torch.DoubleTensor')
   if not (im:dim() == 2 or (im:dim() == 3 and im:size(1) == 1)) then
      error('grayscale image expected', 2)
   end
   if im:dim() == 3 then im = im[1] end
   im:add(-im:mean()):div(im:std())
   local mean = torch.conv2(im, ker)
   local meanSq = torch.conv2(torch.cmul(im, im), ker)
   local std = (meanSq - torch.cmul(mean, mean)):clamp(0, math.huge):sqrt():clamp(1, math.huge)
   local si = math.floor(ker:size(1) / 2) + 1
   local sj = math.floor(ker:size(2) / 2) + 1
   local centre = im:narrow(1, si, std:size(1)):narrow(2, sj, std:size(2)):clone()
   return centre:add(-1, mean):cdiv(std)
end

local function padded(im, kern, value)
   local hp, wp = (kern:size(1) - 1) / 2, (kern:size(2) - 1) / 2
   local p = torch.zeros(im:size(1) + 2 * hp, im:size(2) + 2 * wp):fill(value):typeAs(im)
   p[{{hp + 1, im:size(1) + hp}, {wp + 1, im:size(2) + wp}}]:copy(im)
   return p
end

-- erode(src [, kernel [, pad]]): morphological erosion of a binary HxW image (odd kernel,
-- default 3x3 ones; outside pixels count as pad, default 1)
function image.erode(im, kern, pad)
   if not im then error('image.erode: missing image', 2) end
   kern = kern or torch.ones(3, 3):typeAs(im)
   local conv = padded(im, kern, pad or 1):conv2(kern)
   return conv:eq(kern:sum()):typeAs(im)
end

-- dilate(src [, kernel [, pad]]): morphological dilation (outside pixels are pad, default 0)
function image.dilate(im, kern, pad)
   if not im then error('image.dilate: missing image', 2) end
   kern = kern or torch.ones(3, 3):typeAs(im)
   kern = image.hflip(image.vflip(kern))
   local conv = padded(im, kern, pad or 0):conv2(kern)
   return conv:gt(0):typeAs(im)
end

-- laplacian([size, sigma, amplitude, normalize, width, height, sigma_horz, sigma_vert,
-- mean_horz, mean_vert]) or a table of those: a Laplacian-of-Gaussian kernel
function image.laplacian(...)
   local args = {...}
   local a = type(args[1]) == 'table' and args[1] or {size = args[1], sigma = args[2],
      amplitude = args[3], normalize = args[4], width = args[5], height = args[6],
      sigma_horz = args[7], sigma_vert = args[8], mean_horz = args[9], mean_vert = args[10]}
   local size = a.size or 3
   local sigma = a.sigma or 0.1
   local amplitude = a.amplitude or 1
   local width, height = a.width or size, a.height or size
   local sh, sv = a.sigma_horz or sigma, a.sigma_vert or sigma
   local cx = (a.mean_horz or 0.5) * width + 0.5
   local cy = (a.mean_vert or 0.5) * height + 0.5
   local k = torch.Tensor(height, width)
   for i = 1, height do
      for j = 1, width do
         -- (rows measured against the horizontal centre and columns against the vertical one,
         -- as torch/image computes it)
         local xsq = ((i - cx) / (sh * width)) ^ 2 / 2
         local ysq = ((j - cy) / (sv * height)) ^ 2 / 2
         k[i][j] = (1 - (xsq + ysq)) * amplitude * math.exp(-(xsq + ysq))
      end
   end
   if a.normalize then k:div(k:sum()) end
   return k
end

-- gaussianpyramid([dst,] src, scales): src scaled by each factor in turn (nearest), each level
-- smoothed by a normalized 3x3 Gaussian before the next
function image.gaussianpyramid(...)
   local n = select('#', ...)
   local dst, src, scales
   if n == 3 then
      dst, src, scales = ...
   elseif n == 2 then
      dst = {}
      src, scales = ...
   else
      error('image.gaussianpyramid: expecting ([dst,] src, scales)', 2)
   end
   local d = src:dim()
   if d ~= 2 and d ~= 3 then error('image.gaussianpyramid: src image must be 2D or 3D', 2) end
   for i, s in ipairs(scales) do
      dst[i] = dst[i] or src.new()
      if d == 2 then
         dst[i]:resize(src:size(1) * s, src:size(2) * s)
      else
         dst[i]:resize(src:size(1), src:size(2) * s, src:size(3) * s)
      end
   end
   local k = image.gaussian{width = 3, normalize = true}:typeAs(src)
   local level = src
   for i, s in ipairs(scales) do
      if s == 1 then dst[i]:copy(level) else image.scale(dst[i], level, 'simple') end
      level = image.convolve(dst[i], k, 'same')
   end
   return dst
end

---------------------------------------------------------------------------------------------
-- files and in-memory images
---------------------------------------------------------------------------------------------
-- getSize(filename): a LongTensor {depth, height, width}
function image.getSize(filename)
   if type(filename) ~= 'string' then error('image.getSize: missing file name', 2) end
   local d, h, w = imgSize(filename)
   return torch.LongTensor{d, h, w}
end
image.getJPGsize = image.getSize
image.getPNGsize = image.getSize

local function tensorType(tensortype)
   if tensortype == nil then
      return torch.getdefaulttensortype():match('^torch%.(%a+)Tensor$')
   end
   local t = ({float = 'Float', double = 'Double', byte = 'Byte'})[tensortype]
   if not t then error("tensortype must be 'byte', 'float' or 'double'", 3) end
   return t
end

-- compressJPG(img [, quality]): the JPEG file (quality 75 by default) as a ByteTensor
function image.compressJPG(img, quality)
   if not torch.isTensor(img) then error('image.compressJPG: image tensor expected', 2) end
   return compress(img, 'jpg', quality or 75)
end

function image.compressPNG(img)
   if not torch.isTensor(img) then error('image.compressPNG: image tensor expected', 2) end
   return compress(img, 'png', nil)
end

-- decompressJPG(bytes [, depth [, tensortype]]): the image held in a ByteTensor
local function decompressor(fname)
   return function(data, depth, tensortype)
      if torch.typename(data) ~= 'torch.ByteTensor' then
         error(fname .. ': Input tensor (with compressed image) must be a byte tensor', 2)
      end
      local tt = tensorType(tensortype)
      local t = decompress(data, nil, tt)
      if tt ~= 'Byte' then t:div(255) end
      return image._todepth(t, depth)
   end
end
image.decompressJPG = decompressor('image.decompressJPG')
image.decompressPNG = decompressor('image.decompressPNG')
image.decompress = decompressor('image.decompress')

function image.fabio()
   error('image.fabio: the test picture is not shipped with luatorch; load your own with '
      .. 'image.load', 2)
end

-- drawRect(src, x1, y1, x2, y2 [, {color = {r, g, b}, lineWidth = 1, inplace = false}]):
-- a rectangle outline (0-based corners; colour in 0..255)
function image.drawRect(src, x1, y1, x2, y2, opts)
   opts = opts or {}
   if not (torch.isTensor(src) and src:dim() == 3 and src:size(1) == 3) then
      error('input image has to be a 3D tensor of shape 3 x H x W ', 2)
   end
   local out = opts.inplace and src or src:clone()
   if not (x1 and x2 and y1 and y2) then return out end
   drawRect(out, x1, y1, x2, y2, opts.lineWidth or 1, opts.color or {255, 0, 0})
   return out
end

-- drawText(src, text, x, y [, {color = {r, g, b}, bg = {r, g, b}, size = 1, wrap = true,
-- inplace = false}]): text in 6x8 cells (times size) from (x, y), 0-based; the layout is
-- torch/image's, the glyphs are Pillow's default font (torch/image has its own 5x7 font)
local drawText = bind(py.img_draw_text)
function image.drawText(src, text, x, y, opts)
   opts = opts or {}
   if not (torch.isTensor(src) and src:dim() == 3 and src:size(1) == 3) then
      error('input image has to be a 3D tensor of shape 3 x H x W ', 2)
   end
   local out = opts.inplace and src or src:clone()
   if not text or text:gsub('%s*$', '') == '' then return out end
   local wrap = opts.wrap
   if wrap == nil then wrap = true end
   drawText(out, text, x or 1, y or 1, opts.size or 1, opts.color or {255, 0, 0}, opts.bg, wrap)
   return out
end

return image
