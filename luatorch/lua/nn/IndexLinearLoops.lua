-- nn.IndexLinear's kernels without max-normalization, as LuaJIT loops over the tensors' own
-- buffers, in THNN's order of operations (THNN/generic/IndexLinear.c): one pass over the keys,
-- each key's weight row read or updated in place. numpy would gather a (keys x outputs) copy
-- of the rows for every call and could not add repeated keys one after another.
--
-- Rows of more than 49 outputs go through BLAS's axpy, as THNN does (torch._blas.withAxpy);
-- THVector_(cadd) is a fused multiply-add per element, as its AVX2 form runs. Float arithmetic
-- rounds after each operation as C's `real` does (a product or sum of two floats computed in
-- double and rounded once is the float result). tests/same_bits/sparse.lua compares every
-- element with Torch7's.
--
-- Each function returns false without touching anything when Lua cannot do the work (another
-- tensor type, a tensor that is not contiguous, a key outside the weight, BLAS busy on another
-- thread): the module then calls the Python kernel, which also raises the errors.
local ffi = require 'ffi'
pcall(ffi.cdef, 'double fma(double, double, double);')
pcall(ffi.cdef, 'float fmaf(float, float, float);')
local C = ffi.C
local H, header = torch._H, torch._header
local tonumber = tonumber

-- beyond this many outputs THNN updates a row with BLAS's axpy
local AXPY_ABOVE = 49

local longPtr = ffi.typeof('int64_t *')

-- the first element of contiguous tensor t as a pointer of type ptr and its element count,
-- when all its elements lie in a storage Lua may write; else nil
local function data(t, ptr)
   if header == nil or not torch.isTensor(t) then return nil end
   local h = H[t]
   if h == nil or h.dim < 1 or not header.isContiguous(h) then return nil end
   local p, len = header.storageData(t, h, ptr)
   local n = header.nElement(h)
   if p == nil or h.offset < 0 or h.offset + n > len then return nil end
   return p + h.offset, n
end

-- keys + offset all rows of a weight with nRows rows
local function keysInside(pk, nKeys, offset, nRows)
   for i = 0, nKeys - 1 do
      local r = tonumber(pk[i]) + offset
      if r < 0 or r >= nRows then return false end
   end
   return true
end

-- sizes (nonnegative) covering at most nKeys keys
local function sizesInside(ps, nSizes, nKeys)
   local total = 0
   for j = 0, nSizes - 1 do
      local s = tonumber(ps[j])
      if s < 0 then return false end
      total = total + s
   end
   return total <= nKeys
end

local function make(real)
   local ptr = ffi.typeof(real .. ' *')
   local slot = ffi.new(real .. '[1]')
   local round = function(v) return v end
   local fma = C.fma
   if real == 'float' then
      round = function(v)
         slot[0] = v
         return slot[0]
      end
      fma = C.fmaf
   end
   local typename = real == 'float' and 'torch.FloatTensor' or 'torch.DoubleTensor'
   local K = {}

   -- THVector_(cadd)(z, x, y, c, n): z = x + y * c, fused (its AVX2 loop, and the compiler
   -- contracts the scalar tail too)
   local function cadd(z, x, y, c, n)
      for i = 0, n - 1 do z[i] = fma(y[i], c, x[i]) end
   end

   -- pointers to the tensors of one call: keys, weight (rows, row length), bias (outputs),
   -- and with values and sizes the samples; nil when Lua cannot do it
   local function operands(keys, offset, weight, bias, values, sizes)
      if torch.type(weight) ~= typename or torch.type(bias) ~= typename
            or torch.type(keys) ~= 'torch.LongTensor' then
         return nil
      end
      if weight:dim() ~= 2 or bias:dim() ~= 1 or weight:size(2) ~= bias:size(1) then
         return nil
      end
      local pk, nKeys = data(keys, longPtr)
      local pw = data(weight, ptr)
      local pb = data(bias, ptr)
      if pk == nil or pw == nil or pb == nil or not keysInside(pk, nKeys, offset, weight:size(1))
      then
         return nil
      end
      local o = {pk = pk, nKeys = nKeys, offset = offset, pw = pw, stride = weight:size(2),
                 pb = pb, outDim = bias:size(1)}
      if values ~= nil then
         if torch.type(values) ~= typename or torch.type(sizes) ~= 'torch.LongTensor' then
            return nil
         end
         local pv, nValues = data(values, ptr)
         local ps, batch = data(sizes, longPtr)
         if pv == nil or ps == nil or nValues ~= nKeys or not sizesInside(ps, batch, nKeys) then
            return nil
         end
         o.pv, o.ps, o.batch = pv, ps, batch
      end
      return o
   end

   -- output (batch x outDim) = bias + sum over each sample's keys of value * weight row
   local function outputBody(axpy, o, po)
      local pk, pv, ps, pw, pb = o.pk, o.pv, o.ps, o.pw, o.pb
      local D, ws, off = o.outDim, o.stride, o.offset
      local at = 0
      if D == 1 then
         for j = 0, o.batch - 1 do po[j] = pb[0] end
         for j = 0, o.batch - 1 do
            local val = 0
            for _ = 1, tonumber(ps[j]) do
               val = round(val + round(pw[ws * (tonumber(pk[at]) + off)] * pv[at]))
               at = at + 1
            end
            po[j] = po[j] + val
         end
         return
      end
      for j = 0, o.batch - 1 do
         local orow = po + j * D
         for k = 0, D - 1 do orow[k] = pb[k] end
         for _ = 1, tonumber(ps[j]) do
            -- (indices, not a pointer per row: a new pointer per key costs more than the row)
            local w0 = ws * (tonumber(pk[at]) + off)
            local val = pv[at]
            if axpy then
               axpy(D, val, pw + w0, orow)
            else
               for k = 0, D - 1 do orow[k] = orow[k] + round(pw[w0 + k] * val) end
            end
            at = at + 1
         end
      end
   end

   -- calls body(axpy or false, ...) directly, or under BLAS's mutex when rows are long
   local function run(D, body, ...)
      if D <= AXPY_ABOVE then
         body(false, ...)
         return true
      end
      local blas = torch._blas
      if blas == nil or blas.withAxpy == nil then return false end
      return blas.withAxpy(real, body, ...)
   end

   function K.updateOutput(keys, offset, values, sizes, output, weight, bias)
      local o = operands(keys, offset, weight, bias, values, sizes)
      if o == nil or torch.type(output) ~= typename then return false end
      output:resize(o.batch, o.outDim)
      local po = data(output, ptr)
      if po == nil then return false end
      return run(o.outDim, outputBody, o, po)
   end

   -- gradWeight (one dense row per key) = value * scale * gradOutput of its sample; gradBias
   -- += scale * gradOutput, sample after sample
   function K.accGradParameters(keys, offset, values, sizes, gradOutput, gradWeight, gradBias,
                                weight, bias, scale)
      local o = operands(keys, offset, weight, bias, values, sizes)
      if o == nil or torch.type(gradWeight) ~= typename or torch.type(gradBias) ~= typename
            or torch.type(gradOutput) ~= typename then
         return false
      end
      local D = o.outDim
      local pg, nGrad = data(gradOutput, ptr)
      local pgb, nBias = data(gradBias, ptr)
      if pg == nil or pgb == nil or nGrad ~= o.batch * D or nBias ~= D then return false end
      gradWeight:resize(o.nKeys, D)
      local pgw = data(gradWeight, ptr)
      if pgw == nil then return false end
      local pv, ps = o.pv, o.ps
      scale = round(scale)
      local at = 0
      for j = 0, o.batch - 1 do
         local grow = pg + j * D
         if D == 1 then
            local val = round(grow[0] * scale)
            for _ = 1, tonumber(ps[j]) do
               pgw[at] = val * pv[at]
               at = at + 1
            end
            pgb[0] = pgb[0] + val
         else
            cadd(pgb, pgb, grow, scale, D)
            for _ = 1, tonumber(ps[j]) do
               local val = round(pv[at] * scale)
               local g0 = at * D
               for k = 0, D - 1 do pgw[g0 + k] = val * grow[k] end
               at = at + 1
            end
         end
      end
      return true
   end

   local function updateBody(axpy, o, pgw, pgb, lr, wd)
      local pk, pw = o.pk, o.pw
      local D, ws, off = o.outDim, o.stride, o.offset
      cadd(o.pb, o.pb, pgb, -lr, D)  -- the bias first, as THNN
      for j = 0, o.nKeys - 1 do
         local w0 = ws * (tonumber(pk[j]) + off)
         local g0 = j * D
         if D == 1 then
            if wd ~= 0 then
               pw[w0] = pw[w0] - round(round(pgw[g0] * lr) + round(wd * pw[w0]))
            else
               pw[w0] = pw[w0] - round(pgw[g0] * lr)
            end
         else
            if wd ~= 0 then
               for k = 0, D - 1 do pw[w0 + k] = pw[w0 + k] - round(pw[w0 + k] * wd) end
            end
            if axpy then
               axpy(D, -lr, pgw + g0, pw + w0)
            else
               for k = 0, D - 1 do pw[w0 + k] = pw[w0 + k] - round(pgw[g0 + k] * lr) end
            end
         end
      end
   end

   -- bias -= lr * gradBias, then each key's row -= lr * its gradient row (after its weight
   -- decay)
   function K.updateParameters(gradWeight, gradBias, weight, bias, keys, offset, weightDecay,
                               learningRate)
      local o = operands(keys, offset, weight, bias)
      if o == nil or torch.type(gradWeight) ~= typename or torch.type(gradBias) ~= typename then
         return false
      end
      local D = o.outDim
      local pgw, nGrad = data(gradWeight, ptr)
      local pgb, nBias = data(gradBias, ptr)
      if pgw == nil or pgb == nil or nGrad ~= o.nKeys * D or nBias ~= D then return false end
      return run(D, updateBody, o, pgw, pgb, round(learningRate), round(weightDecay))
   end

   local function accUpdateBody(axpy, o, pg, scale, wd)
      local pk, pv, ps, pw, pb = o.pk, o.pv, o.ps, o.pw, o.pb
      local D, ws, off = o.outDim, o.stride, o.offset
      local at = 0
      for j = 0, o.batch - 1 do
         local grow = pg + j * D
         if D == 1 then
            local val = round(grow[0] * scale)
            if wd ~= 0 then
               pb[0] = pb[0] - val
               for _ = 1, tonumber(ps[j]) do
                  local i = ws * (tonumber(pk[at]) + off)
                  pw[i] = pw[i] - round(round(val * pv[at]) + round(pw[i] * wd))
                  at = at + 1
               end
            else
               for _ = 1, tonumber(ps[j]) do
                  local i = ws * (tonumber(pk[at]) + off)
                  pw[i] = pw[i] - round(val * pv[at])
                  at = at + 1
               end
               pb[0] = pb[0] - val
            end
         else
            cadd(pb, pb, grow, -scale, D)
            for _ = 1, tonumber(ps[j]) do
               local val = round(pv[at] * scale)
               local w0 = ws * (tonumber(pk[at]) + off)
               if wd ~= 0 then
                  if axpy then
                     axpy(D, -wd, pw + w0, pw + w0)
                  else
                     for k = 0, D - 1 do pw[w0 + k] = pw[w0 + k] - round(wd * pw[w0 + k]) end
                  end
               end
               if axpy then
                  axpy(D, -val, grow, pw + w0)
               else
                  for k = 0, D - 1 do pw[w0 + k] = pw[w0 + k] - round(val * grow[k]) end
               end
               at = at + 1
            end
         end
      end
   end

   -- weight and bias -= scale * their gradients, sample after sample (backwardUpdate)
   function K.accUpdateGradParameters(keys, offset, values, sizes, gradOutput, weight, bias,
                                      weightDecay, scale)
      local o = operands(keys, offset, weight, bias, values, sizes)
      if o == nil or torch.type(gradOutput) ~= typename then return false end
      local pg, nGrad = data(gradOutput, ptr)
      if pg == nil or nGrad ~= o.batch * o.outDim then return false end
      return run(o.outDim, accUpdateBody, o, pg, round(scale), round(weightDecay))
   end

   return K
end

-- the kernels for a weight of each type
return {['torch.DoubleTensor'] = make('double'), ['torch.FloatTensor'] = make('float')}
