-- torch: TH's convolution loops (lib/TH/generic/THTensorConv.c) in LuaJIT, on raw pointers.
--
-- torch.conv2, xcorr2, conv3, xcorr3 and THNN's connection-table convolutions
-- (nn.SpatialConvolutionMap, nn.SpatialFullConvolutionMap) are all made of TH's 2D and 3D
-- pointer functions: a valid correlation or convolution added into an output plane, a full
-- one spread into a larger plane, and the kernel gradient (the correlation of an image with a
-- gradient plane). Each is followed here as TH runs it, loop for loop, so the order of the
-- additions and their rounding are TH's:
--  * the scalar branches compute in the tensor's `real`: doubles as they are, floats rounded
--    to single precision after every operation (a float product or sum computed in double and
--    rounded once is the float operation's own result);
--  * where TH calls THVector_(cadd) (unit column stride, rows of 4 or more), the machines
--    Torch7 runs on use AVX2's fused multiply-add: C's fma (fmaf for floats) here.
-- Called from Lua these loops cost what TH's C costs, where numpy would pay a call per kernel
-- offset (nn's tests run a small convolution tens of thousands of times). Anything unusual
-- (other tensor types, errors, a result that is not contiguous) goes to the Python function
-- by a tail call, which does the work or raises Torch's error.

local ffi = require 'ffi'
local torch = torch
local H = torch._H
local header = torch._header
local floor = math.floor
local getmetatable, rawget, rawset, select = getmetatable, rawget, rawset, select

local M = {}
torch._conv = M
if header == nil then return M end

for _, d in ipairs({'double fma(double, double, double);', 'float fmaf(float, float, float);',
                   'double pow(double, double);', 'float powf(float, float);'}) do
   pcall(ffi.cdef, d)  -- other files declare some of them too
end
local C = ffi.C

-- the loops for one type: real(v) rounds v to the type, fma is C's for the type
local function loops(real, fma)
   local K = {}

   -- validXCorr2Dptr (ks = 1: the kernel read forwards from k[ko]) and validConv2Dptr
   -- (ks = -1, ko at the kernel's last element): r[ro...] += alpha * the valid correlation of
   -- the ir x ic image at t[to] with the kr x kc kernel, at strides sr, sc
   function K.valid2(r, ro, alpha, t, to, ir, ic, k, ko, ks, kr, kc, sr, sc)
      local orows = floor((ir - kr) / sr) + 1
      local ocols = floor((ic - kc) / sc) + 1
      if sc ~= 1 or ocols < 4 then
         for yy = 0, orows - 1 do
            for xx = 0, ocols - 1 do
               local pi = to + yy * sr * ic + xx * sc
               local pw = ko
               local sum = 0
               for _ = 1, kr do
                  for kx = 0, kc - 1 do
                     sum = real(sum + real(t[pi + kx] * k[pw + ks * kx]))
                  end
                  pi = pi + ic
                  pw = pw + ks * kc
               end
               r[ro] = real(r[ro] + real(alpha * sum))
               ro = ro + 1
            end
         end
      else
         -- each output row: one cadd of an input row per kernel offset
         for yy = 0, orows - 1 do
            local pi = to + yy * sr * ic
            local pw = ko
            for _ = 1, kr do
               for kx = 0, kc - 1 do
                  local c = real(alpha * k[pw + ks * kx])
                  local ps = pi + kx
                  for x = 0, ocols - 1 do r[ro + x] = fma(t[ps + x], c, r[ro + x]) end
               end
               pi = pi + ic
               pw = pw + ks * kc
            end
            ro = ro + ocols
         end
      end
   end

   -- fullConv2Dptr (ks = 1) and fullXCorr2Dptr (ks = -1): every input pixel at t[to] spread
   -- with the kernel into the ((ir - 1) * sr + kr) x ((ic - 1) * sc + kc) plane at r[ro]
   function K.full2(r, ro, alpha, t, to, ir, ic, k, ko, ks, kr, kc, sr, sc)
      local ocols = (ic - 1) * sc + kc
      if sc ~= 1 or ic < 4 then
         -- TH walks the input pixels and adds z * w to each output pixel the kernel covers:
         -- an output pixel receives its terms input row by input row and, within a row, by
         -- increasing input column, that is decreasing kernel column. Walking the columns of
         -- a row innermost, kernel columns in decreasing order, keeps those orders (and each
         -- pixel's additions) while the inner loop runs over a whole input row.
         for yy = 0, ir - 1 do
            local base = ro + yy * sr * ocols
            local pw = ko
            for _ = 1, kr do
               for kx = kc - 1, 0, -1 do
                  local w = k[pw + ks * kx]
                  local po = base + kx
                  for xx = 0, ic - 1 do
                     local z = real(t[to + xx] * alpha)
                     local i = po + xx * sc
                     r[i] = real(r[i] + real(z * w))
                  end
               end
               base = base + ocols
               pw = pw + ks * kc
            end
            to = to + ic
         end
      else
         -- each input row: one cadd into an output row per kernel offset
         for yy = 0, ir - 1 do
            local po = ro + yy * sr * ocols
            local pw = ko
            for _ = 1, kr do
               for kx = 0, kc - 1 do
                  local c = real(alpha * k[pw + ks * kx])
                  local ps = po + kx
                  for x = 0, ic - 1 do r[ps + x] = fma(t[to + x], c, r[ps + x]) end
               end
               po = po + ocols
               pw = pw + ks * kc
            end
            to = to + ic
         end
      end
   end

   -- validXCorr2DRevptr: r[ro...] ((ir - (kr - 1) * sr) x (ic - (kc - 1) * sc)) += alpha *
   -- the image at t[to] correlated with the kr x kc gradient plane at k[ko] at strides sr, sc
   function K.rev2(r, ro, alpha, t, to, ir, ic, k, ko, kr, kc, sr, sc)
      local orows = ir - (kr - 1) * sr
      local ocols = ic - (kc - 1) * sc
      -- each element of r receives one term per gradient position, in order: summed here
      -- element by element in a register, gradient positions innermost
      if sc ~= 1 or kc < 4 then
         for a = 0, orows - 1 do
            for b = 0, ocols - 1 do
               local i = ro + a * ocols + b
               local acc = r[i]
               for yy = 0, kr - 1 do
                  local pi, pk = to + (yy * sr + a) * ic + b, ko + yy * kc
                  for xx = 0, kc - 1 do
                     acc = real(acc + real(real(k[pk + xx] * alpha) * t[pi + xx * sc]))
                  end
               end
               r[i] = acc
            end
         end
      else
         for a = 0, orows - 1 do
            for b = 0, ocols - 1 do
               local i = ro + a * ocols + b
               local acc = r[i]
               for yy = 0, kr - 1 do
                  local pi, pk = to + (yy * sr + a) * ic + b, ko + yy * kc
                  for xx = 0, kc - 1 do
                     acc = fma(t[pi + xx], real(k[pk + xx] * alpha), acc)
                  end
               end
               r[i] = acc
            end
         end
      end
   end

   -- validXCorr3Dptr (ks = 1) and validConv3Dptr (ks = -1): one sum per output voxel, over
   -- the kernel in order, added times alpha
   function K.valid3(r, ro, alpha, t, to, it, ir, ic, k, ko, ks, kt, kr, kc, st, sr, sc)
      local odepth = floor((it - kt) / st) + 1
      local orows = floor((ir - kr) / sr) + 1
      local ocols = floor((ic - kc) / sc) + 1
      for zz = 0, odepth - 1 do
         for yy = 0, orows - 1 do
            for xx = 0, ocols - 1 do
               local pi = to + zz * st * ir * ic + yy * sr * ic + xx * sc
               local pw = ko
               local sum = 0
               for _ = 1, kt do
                  for _ = 1, kr do
                     for kx = 0, kc - 1 do
                        sum = real(sum + real(t[pi + kx] * k[pw + ks * kx]))
                     end
                     pi = pi + ic
                     pw = pw + ks * kc
                  end
                  pi = pi + (ir - kr) * ic
               end
               r[ro] = real(r[ro] + real(sum * alpha))
               ro = ro + 1
            end
         end
      end
   end

   -- fullConv3Dptr (ks = 1) and fullXCorr3Dptr (ks = -1): every input voxel spread with the
   -- kernel into the output volume
   function K.full3(r, ro, alpha, t, to, it, ir, ic, k, ko, ks, kt, kr, kc, st, sr, sc)
      local orows = (ir - 1) * sr + kr
      local ocols = (ic - 1) * sc + kc
      for zz = 0, it - 1 do
         for yy = 0, ir - 1 do
            for xx = 0, ic - 1 do
               local po = ro + zz * st * orows * ocols + yy * sr * ocols + xx * sc
               local pw = ko
               for _ = 1, kt do
                  for _ = 1, kr do
                     local z = real(t[to] * alpha)
                     for kx = 0, kc - 1 do
                        r[po + kx] = real(r[po + kx] + real(z * k[pw + ks * kx]))
                     end
                     po = po + ocols
                     pw = pw + ks * kc
                  end
                  po = po + (orows - kr) * ocols
               end
               to = to + 1
            end
         end
      end
   end

   return K
end

local floatSlot = ffi.new('float[1]')
local function toFloat(v)
   floatSlot[0] = v
   return floatSlot[0]
end
local function same(v) return v end

-- by tensor metatable: the loops, the pointer type, the type's `real` conversion and C's fma
-- and pow for the type
local kinds = {}
M.kinds = kinds
for name, kind in pairs({
   Double = {ptr = ffi.typeof('double *'), real = same, fma = C.fma, pow = C.pow},
   Float = {ptr = ffi.typeof('float *'), real = toFloat, fma = C.fmaf, pow = C.powf},
}) do
   kind.loops = loops(kind.real, kind.fma)
   kinds[torch.getmetatable('torch.' .. name .. 'Tensor')] = kind
end

local storageData, isContiguous, nElement = header.storageData, header.isContiguous,
                                            header.nElement

-- the typed pointer to the storage of contiguous tensor t and the index of its first element;
-- nil when t is not contiguous or not all inside its storage
function M.data(t, ptrType)
   local h = H[t]
   if h == nil or h.dim < 1 or not isContiguous(h) then return nil end
   local p, len = storageData(t, h, ptrType)
   if p == nil then return nil end
   local off = h.offset
   if off < 0 or off + nElement(h) > len then return nil end
   return p, off
end
local data = M.data

-- the typed pointer to t's storage and the index of t's first element, when every element of t
-- lies inside the storage and no stride is negative; nil otherwise
function M.elements(t, ptrType)
   local h = H[t]
   if h == nil or h.dim < 1 then return nil end
   local off = h.offset
   if off < 0 then return nil end
   local last = off
   for d = 0, h.dim - 1 do
      local size, stride = h.size[d], h.stride[d]
      if stride < 0 then return nil end
      if size > 0 then last = last + (size - 1) * stride end
   end
   local p, len = storageData(t, h, ptrType)
   if p == nil or last >= len then return nil end
   return p, off
end

-- t itself when contiguous, else a contiguous copy (TH's newContiguous)
function M.contiguous(t)
   local h = H[t]
   if h ~= nil and h.dim >= 1 and isContiguous(h) then return t end
   return t:contiguous()
end
local contiguous = M.contiguous

-- the connection table of THNN's connection-table convolutions (n rows of {input plane,
-- output plane}, 1-based, in a contiguous Double or Float tensor) as two Lua lists of 0-based
-- planes; nil when it is not that or names a plane out of range (Python raises the error)
function M.connections(connTable, n, nIn, nOut)
   local h = H[connTable]
   local kind = kinds[getmetatable(connTable)]
   if h == nil or kind == nil or h.dim ~= 2 or h.size[0] ~= n or h.size[1] ~= 2 then
      return nil
   end
   local p, o = data(connTable, kind.ptr)
   if p == nil then return nil end
   local from, to = {}, {}
   for c = 1, n do
      -- TH's (int) conversion truncates
      local i = p[o + 2 * c - 2]
      local j = p[o + 2 * c - 1]
      i = (i >= 0 and floor(i) or -floor(-i)) - 1
      j = (j >= 0 and floor(j) or -floor(-j)) - 1
      if not (i >= 0 and i < nIn and j >= 0 and j < nOut) then return nil end
      from[c], to[c] = i, j
   end
   return from, to
end

---------------------------------------------------------------------------------------------
-- torch.conv2, xcorr2, conv3, xcorr3 ([res,] x, k [, 'V' | 'F']): TH's conv2Dmul (x and k
-- images), conv2Dcmul (a stack of images, one kernel each) and conv2Dmv (a stack of images, a
-- kernel per output and input plane; the input planes added in turn into each output plane),
-- and the 3D ones
---------------------------------------------------------------------------------------------
local function convolution(nd, flip)
   local last = nd - 1
   return function(slow, ...)
      local res, x, k, vf
      local n = select('#', ...)
      local a1, a2, a3, a4 = ...
      if n >= 3 and torch.isTensor(a3) then
         res, x, k, vf = a1, a2, a3, a4
         if n > 4 then return slow(...) end
      else
         x, k, vf = a1, a2, a3
         if n > 3 then return slow(...) end
      end
      local mt = getmetatable(x)
      local kind = kinds[mt]
      if kind == nil or getmetatable(k) ~= mt or (res ~= nil and getmetatable(res) ~= mt) then
         return slow(...)
      end
      local full
      if vf == nil or vf == 'V' then
         full = false
      elseif vf == 'F' then
         full = true
      else
         return slow(...)
      end
      local hx, hk = H[x], H[k]
      if hx == nil or hk == nil then return slow(...) end
      local xd, kd = hx.dim, hk.dim
      -- planes: nil for one image and kernel; the kernel's leading sizes otherwise
      local form
      if xd == nd and kd == nd then
         form = 'mul'
      elseif xd == nd + 1 and kd == nd + 1 and hx.size[0] == hk.size[0] then
         form = 'cmul'
      elseif xd == nd + 1 and kd == nd + 2 and hk.size[1] == hx.size[0] then
         form = 'mv'
      else
         return slow(...)
      end
      -- image and kernel sizes (the last nd), the output's
      local xs, ks, os = {}, {}, {}
      for d = 0, last do
         local xsz, ksz = hx.size[xd - nd + d], hk.size[kd - nd + d]
         if xsz < 1 or ksz < 1 or (not full and xsz < ksz) then return slow(...) end
         xs[d], ks[d] = xsz, ksz
         os[d] = full and xsz + ksz - 1 or xsz - ksz + 1
      end
      if res ~= nil then
         local hr = H[res]
         if hr == nil or hr.storage == hx.storage or hr.storage == hk.storage then
            return slow(...)
         end
      end
      x, k = contiguous(x), contiguous(k)
      local xp, xo = data(x, kind.ptr)
      local kp, ko = data(k, kind.ptr)
      if xp == nil or kp == nil then return slow(...) end
      local planesOut, planesIn = 1, 1
      if form == 'cmul' then
         planesOut = hk.size[0]
      elseif form == 'mv' then
         planesOut, planesIn = hk.size[0], hk.size[1]
      end
      res = res or x.new()
      if form == 'mul' then
         if nd == 2 then res:resize(os[0], os[1]) else res:resize(os[0], os[1], os[2]) end
      elseif nd == 2 then
         res:resize(planesOut, os[0], os[1])
      else
         res:resize(planesOut, os[0], os[1], os[2])
      end
      res:zero()
      local rp, ro = data(res, kind.ptr)
      if rp == nil then return slow(...) end
      local L = kind.loops
      local xn, kn, on = 1, 1, 1
      for d = 0, last do xn, kn, on = xn * xs[d], kn * ks[d], on * os[d] end
      -- the kernel read backwards from its last element: the valid conv and the full xcorr
      -- (TH's full "conv" spreads the kernel as it is)
      local backwards = flip ~= full
      local step = backwards and -1 or 1
      local first = backwards and kn - 1 or 0
      for p = 0, planesOut - 1 do
         for q = 0, planesIn - 1 do
            local r0 = ro + p * on
            local t0 = xo + (form == 'cmul' and p or q) * xn
            local k0 = ko + (p * planesIn + q) * kn + first
            if nd == 2 then
               local f = full and L.full2 or L.valid2
               f(rp, r0, 1, xp, t0, xs[0], xs[1], kp, k0, step, ks[0], ks[1], 1, 1)
            else
               local f = full and L.full3 or L.valid3
               f(rp, r0, 1, xp, t0, xs[0], xs[1], xs[2], kp, k0, step, ks[0], ks[1], ks[2],
                 1, 1, 1)
            end
         end
      end
      return res
   end
end

for name, spec in pairs({conv2 = {2, true}, xcorr2 = {2, false}, conv3 = {3, true},
                         xcorr3 = {3, false}}) do
   local fast = convolution(spec[1], spec[2])
   local slowFunction = torch[name]
   if slowFunction ~= nil then
      torch[name] = function(...) return fast(slowFunction, ...) end
   end
   for mt in pairs(kinds) do
      local slowMethod = rawget(mt, name)
      if slowMethod ~= nil then
         rawset(mt, name, function(...) return fast(slowMethod, ...) end)
      end
   end
end

return M
