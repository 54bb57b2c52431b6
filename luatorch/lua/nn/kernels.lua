-- nn: THNN kernels run in LuaJIT on small Double and Float tensors.
--
-- A module's kernel call into Python costs tens of microseconds in argument passing, numpy
-- temporaries and calls back for C's exp; at the sizes of an LSTM step (a few thousand
-- elements) that is more than the work. These kernels do the work here, on the tensors'
-- memory through their headers (torch/header.lua, torch/apply.lua), with THNN's formulas in
-- THNN's order:
--  * Sigmoid: TH_sigmoid, 1 / (1 + exp(-x)) (Float: 1.0f / (1.0f + expf(-x)) in float);
--    gradient gradOutput * (1 - z) * z in double, stored as real;
--  * Tanh: the C library's tanh (tanhf for Float; vtanh's for Double); gradient gradOutput * (1 - z*z), z*z in
--    real, the rest in double;
--  * LogSoftMax over the last dimension of a vector or matrix: the row's maximum (THMax from
--    -THInf), then logsum += exp(x - max) in double (x - max in real), max + log(logsum), and
--    x - logsum stored as real; gradient gradOutput - exp(output) * sum(gradOutput), sums in
--    double;
--  * ClassNLLCriterion on a vector or a batch: the loss accumulated in real (output -= x * w)
--    in row order, total weight likewise, divided once when sizeAverage; the gradient's
--    entries -w (or -1), divided by the total weight in real.
-- Anything else goes to the Python kernel, which does the work or raises Torch's error: other
-- types or mixed types, more elements than LIMIT, strides the apply plan cannot follow,
-- targets out of range, LogSoftMax on 3 or 4 dimensions.
local ffi = require 'ffi'
local apply = torch._apply
local H, header = torch._H, torch._header
local nElement, storageData = header.nElement, header.storageData
local isContiguous = header.isContiguous
local plan, state, loop = apply.plan, apply.state, apply.loop
local C = ffi.C
local getmetatable, type, tonumber = getmetatable, type, tonumber

-- Up to this many elements the Lua loops run (they call C's exp and tanh once per element, as
-- the Python kernels do through numexpr or the same LuaJIT loop below its own crossover
-- libm.NUMEXPR_MIN): past it numexpr's threads take the transcendental work.
local LIMIT = 32768

local longMt = torch.getmetatable('torch.LongTensor')
local longPointer = ffi.typeof('int64_t *')

-- per tensor type: the pointer type, rounding to real, and each kernel's loops
local kinds = {}
for _, name in ipairs({'Double', 'Float'}) do
   local mt = torch.getmetatable('torch.' .. name .. 'Tensor')
   local ty = apply.types[mt]
   local R = ty.round
   local float = name == 'Float'
   local env = {exp = C.exp, expf = C.expf, tanh = C.tanh, tanhf = C.tanhf, R = R}
   kinds[mt] = {
      ptr = ty.ptr,
      round = R,
      -- -THInf: the largest finite negative real
      lowest = float and -3.4028234663852886e38 or -1.7976931348623157e308,
      sigmoid = loop(2, float and '$1 = 1 / R(1 + expf(-$2))'
                              or '$1 = 1 / (1 + exp(-$2))', env),
      sigmoidGrad = loop(3, 'local z = $3; $1 = $2 * (1 - z) * z', env),
      tanh = loop(2, float and '$1 = tanhf($2)' or '$1 = tanh($2)', env),
      tanhGrad = loop(3, float and 'local z = $3; $1 = $2 * (1 - R(z * z))'
                               or 'local z = $3; $1 = $2 * (1 - z * z)', env),
   }
end

-- the kind of tensors a and b when both are of one type this file handles, else nil
local function kindOf(a, b)
   local mt = getmetatable(a)
   if b ~= nil and getmetatable(b) ~= mt then return nil end
   return kinds[mt]
end

-- a tensor of 1 <= n <= LIMIT elements with a header
local function small(t)
   local h = H[t]
   if h == nil or h.dim < 1 then return nil end
   local n = nElement(h)
   if n < 1 or n > LIMIT then return nil end
   return h
end

local function sameSizes(h1, h2)
   if h1.dim ~= h2.dim then return false end
   for d = 0, h1.dim - 1 do
      if h1.size[d] ~= h2.size[d] then return false end
   end
   return true
end

---------------------------------------------------------------------------------------------
-- Sigmoid and Tanh
---------------------------------------------------------------------------------------------
-- A Double Sigmoid of a contiguous output runs vsigmoid (scripts/native/vexp.c: -x, glibc's exp
-- by vexp four lanes at a time, then 1 / (1 + e): TH_sigmoid's operations, the same bits; vexp
-- is checked against this process's C library before first use, tensor/vexp.py). A Double
-- Tanh likewise takes the C library's tanh from vtanh (tensor/vtanh.py). The 32 x 128 gates of
-- an LSTM step: about 1 ns an exp against 4-5 through the C library one by one. An input of
-- other strides (an LSTM's gates are slices of its 32 x 512 preactivations) is first copied
-- into the output by the apply plan.
local doubleKind = kinds[torch.getmetatable('torch.DoubleTensor')]
local doublePointer = ffi.typeof('double *')
doubleKind.copy = loop(2, '$1 = $2', {})
local VEXP_LEAST = 64
local vexp = {}  -- fn, consts, cexp: set on first use (fn false: unavailable)
local vtanh = {}  -- fn, ctanh: likewise

local function vexpReady()
   if vexp.fn == nil then
      vexp.fn = false
      local ok, f, consts, cexp, sigmoid = pcall(torch._py.vexp_fn)
      if ok and type(f) == 'number' and f ~= 0 then
         local ct = 'void (*)(long, double *, const double *, const void *, void *)'
         vexp.fn, vexp.sigmoid = ffi.cast(ct, f), ffi.cast(ct, sigmoid)
         vexp.consts, vexp.cexp = ffi.cast('const void *', consts), ffi.cast('void *', cexp)
      end
   end
   return vexp.fn
end

local function vtanhReady()
   if vtanh.fn == nil then
      vtanh.fn = false
      local ok, f, ctanh = pcall(torch._py.vtanh_fn)
      if ok and type(f) == 'number' and f ~= 0 then
         vtanh.fn = ffi.cast('void (*)(long, double *, const double *, const void *, void *)', f)
         vtanh.ctanh = ffi.cast('void *', ctanh)
      end
   end
   return vtanh.fn
end

-- output = sigmoid or tanh of input (which) for Double tensors of n elements (headers ho, hi):
-- output contiguous; input contiguous (the same memory or apart), a matrix of contiguous rows
-- apart from it (an LSTM's gates are such slices of its 32 x 512 preactivations: a call a row),
-- or of other strides (apart: the plan checks; copied into the output first); false: nothing
-- done
local function vectorised(which, output, ho, input, hi, n)
   if n < VEXP_LEAST or not isContiguous(ho) then return false end
   local sigmoid = which == 'sigmoid'
   if not (sigmoid and vexpReady() or not sigmoid and vtanhReady()) then return false end
   local po, lo = storageData(output, ho, doublePointer)
   if po == nil then return false end
   local oo = ho.offset
   if oo < 0 or oo + n > lo then return false end
   po = po + oo
   local f, consts, cf
   if sigmoid then
      f, consts, cf = vexp.sigmoid, vexp.consts, vexp.cexp
   else
      f, consts, cf = vtanh.fn, nil, vtanh.ctanh
   end
   if isContiguous(hi) then
      local px, lx = storageData(input, hi, doublePointer)
      if px == nil then return false end
      local oi = hi.offset
      if oi < 0 or oi + n > lx then return false end
      px = px + oi
      if po ~= px and po + n > px and px + n > po then return false end  -- partly overlapping
      f(n, po, px, consts, cf)
      return true
   end
   if hi.dim == 2 and hi.stride[1] == 1 and hi.stride[0] >= hi.size[1] and hi.size[1] >= 4
         and ho.storage ~= hi.storage then
      local px, lx = storageData(input, hi, doublePointer)
      if px == nil then return false end
      local rows, cols, step, oi = hi.size[0], hi.size[1], hi.stride[0], hi.offset
      if oi < 0 or oi + (rows - 1) * step + cols > lx then return false end
      px = px + oi
      for r = 0, rows - 1 do f(cols, po + r * cols, px + r * step, consts, cf) end
      return true
   end
   local p1, p2 = plan(doublePointer, LIMIT, output, input)
   if p1 == nil then return false end
   doubleKind.copy(state, p1, p2)
   f(n, po, po, consts, cf)
   return true
end

-- output = f(input), output resized as input; false: Python's kernel
local function unary(which)
   local vector = which == 'sigmoid' or which == 'tanh'
   return function(input, output)
      local k = kindOf(input, output)
      if k == nil then return false end
      local hi = small(input)
      if hi == nil then return false end
      output:resizeAs(input)
      if vector and k == doubleKind then
         local ho = H[output]
         if ho ~= nil and vectorised(which, output, ho, input, hi, nElement(hi)) then
            return true
         end
      end
      local p1, p2 = plan(k.ptr, LIMIT, output, input)
      if p1 == nil then return false end
      k[which](state, p1, p2)
      return true
   end
end

-- gradInput from gradOutput and output, gradInput resized as output; sameShape: THNN checks
-- the shapes (Tanh), else only the element counts (Sigmoid)
local function gradient(which, sameShape)
   return function(input, gradOutput, gradInput, output)
      local k = kindOf(output, gradOutput)
      if k == nil or getmetatable(gradInput) ~= getmetatable(output) then return false end
      local ho, hg = small(output), small(gradOutput)
      if ho == nil or hg == nil or (sameShape and not sameSizes(ho, hg)) then return false end
      gradInput:resizeAs(output)
      local p1, p2, p3 = plan(k.ptr, LIMIT, gradInput, gradOutput, output)
      if p1 == nil then return false end
      k[which](state, p1, p2, p3)
      return true
   end
end

---------------------------------------------------------------------------------------------
-- LogSoftMax over the last dimension of a vector or a matrix
---------------------------------------------------------------------------------------------
-- frames, their length, and the strides between frames and between elements of header h
local function frames(h)
   if h.dim == 1 then return 1, h.size[0], 0, h.stride[0] end
   if h.dim == 2 then return h.size[0], h.size[1], h.stride[0], h.stride[1] end
   return nil
end

-- pointer and first element of t when its elements (frames of header h) lie in its storage
local function within(t, h, ptrType, nframe, dim, sf, sd)
   local p, len = storageData(t, h, ptrType)
   if p == nil or sf < 0 or sd < 0 then return nil end
   local off = h.offset
   if off < 0 or off + (nframe - 1) * sf + (dim - 1) * sd >= len then return nil end
   return p, off
end

-- the largest of a row's dim values from p[base] by sd (THNN's loop: a NaN wins), starting
-- from lowest
local function rowMax(p, base, sd, dim, lowest)
   local maxInput = lowest
   for d = 0, dim - 1 do
      local x = p[base + d * sd]
      if not (maxInput > x) then maxInput = x end
   end
   return maxInput
end
local rowMaxes = {}  -- logSoftMax's vexp path: each row's max, kept across its exp call

local function logSoftMax(input, output)
   local k = kindOf(input, output)
   local h = k and small(input)
   if h == nil then return false end
   local nframe, dim, sf, sd = frames(h)
   if nframe == nil then return false end
   output:resizeAs(input)
   local ho = H[output]
   local ptr, R, lowest = k.ptr, k.round, k.lowest
   local q, qoff = within(output, ho, ptr, nframe, dim, dim, 1)
   local p, off = within(input, H[input], ptr, nframe, dim, sf, sd)
   if q == nil or p == nil or ho.storage == h.storage then return false end
   -- Double, 64+ elements: each row's x - max written to the output, their exps by vexp in
   -- one call, then each row's sum in the same order
   if k == doubleKind and nframe * dim >= VEXP_LEAST and vexpReady() then
      for t = 0, nframe - 1 do
         local base, obase = off + t * sf, qoff + t * dim
         local maxInput = rowMax(p, base, sd, dim, lowest)
         rowMaxes[t] = maxInput
         for d = 0, dim - 1 do q[obase + d] = p[base + d * sd] - maxInput end
      end
      vexp.fn(nframe * dim, q + qoff, q + qoff, vexp.consts, vexp.cexp)
      for t = 0, nframe - 1 do
         local base, obase = off + t * sf, qoff + t * dim
         local maxInput = rowMaxes[t]
         local logsum = 0
         for d = 0, dim - 1 do logsum = logsum + q[obase + d] end
         logsum = maxInput + C.log(logsum)
         for d = 0, dim - 1 do q[obase + d] = p[base + d * sd] - logsum end
      end
      return true
   end
   for t = 0, nframe - 1 do
      local base, obase = off + t * sf, qoff + t * dim
      local maxInput = rowMax(p, base, sd, dim, lowest)
      local logsum = 0
      for d = 0, dim - 1 do logsum = logsum + C.exp(R(p[base + d * sd] - maxInput)) end
      logsum = maxInput + C.log(logsum)
      for d = 0, dim - 1 do q[obase + d] = p[base + d * sd] - logsum end
   end
   return true
end

local function logSoftMaxGrad(input, gradOutput, gradInput, output)
   local k = kindOf(output, gradOutput)
   if k == nil or getmetatable(gradInput) ~= getmetatable(output) then return false end
   local ho, hg, hi = small(output), small(gradOutput), H[input]
   if ho == nil or hg == nil or hi == nil or not sameSizes(hi, hg)
         or not sameSizes(ho, hg) then
      return false
   end
   local nframe, dim, sf, sd = frames(ho)
   if nframe == nil then return false end
   gradInput:resizeAs(output)
   local hr = H[gradInput]
   local ptr = k.ptr
   local r, roff = within(gradInput, hr, ptr, nframe, dim, dim, 1)
   local p, off = within(output, ho, ptr, nframe, dim, sf, sd)
   local _, _, gf, gd = frames(hg)
   local g, goff = within(gradOutput, hg, ptr, nframe, dim, gf, gd)
   if r == nil or p == nil or g == nil or hr.storage == ho.storage
         or hr.storage == hg.storage then
      return false
   end
   -- Double, contiguous output of 64+ elements: exp(output) by vexp into gradInput first
   if k == doubleKind and sd == 1 and (sf == dim or nframe == 1) and nframe * dim >= VEXP_LEAST
         and vexpReady() then
      vexp.fn(nframe * dim, r + roff, p + off, vexp.consts, vexp.cexp)
      for t = 0, nframe - 1 do
         local gbase, rbase = goff + t * gf, roff + t * dim
         local sum = 0
         for d = 0, dim - 1 do sum = sum + g[gbase + d * gd] end
         for d = 0, dim - 1 do r[rbase + d] = g[gbase + d * gd] - r[rbase + d] * sum end
      end
      return true
   end
   for t = 0, nframe - 1 do
      local base, gbase, rbase = off + t * sf, goff + t * gf, roff + t * dim
      local sum = 0
      for d = 0, dim - 1 do sum = sum + g[gbase + d * gd] end
      for d = 0, dim - 1 do
         r[rbase + d] = g[gbase + d * gd] - C.exp(p[base + d * sd]) * sum
      end
   end
   return true
end

---------------------------------------------------------------------------------------------
-- ClassNLLCriterion
---------------------------------------------------------------------------------------------
-- the targets (a LongTensor vector), the class weights (nil or a vector of n classes of the
-- input's type), the total weight tensor (one element of the input's type): their pointers
-- and strides, or nil
local function nllOperands(k, input, target, weights, totalWeight)
   local hi, ht, hw = small(input), H[target], H[totalWeight]
   if hi == nil or hi.dim > 2 or getmetatable(target) ~= longMt or ht == nil or ht.dim ~= 1
         or getmetatable(totalWeight) ~= getmetatable(input) or hw == nil or hw.dim ~= 1
         or hw.size[0] ~= 1 then
      return nil
   end
   local nframe, ncls, sf, sd = frames(hi)
   local nt = ht.size[0]
   if nt < 1 or (hi.dim == 2 and nt ~= nframe) then return nil end
   local tp, toff = within(target, ht, longPointer, 1, nt, 0, ht.stride[0])
   local wp, woff, ws = nil, 0, 0
   if weights ~= nil then
      local hc = H[weights]
      if getmetatable(weights) ~= getmetatable(input) or hc == nil or hc.dim ~= 1
            or hc.size[0] ~= ncls then
         return nil
      end
      ws = hc.stride[0]
      wp, woff = within(weights, hc, k.ptr, 1, ncls, 0, ws)
      if wp == nil then return nil end
   end
   local twp, twoff = within(totalWeight, hw, k.ptr, 1, 1, 0, 1)
   if tp == nil or twp == nil then return nil end
   return hi, nframe, ncls, sf, sd, tp, toff, ht.stride[0], wp, woff, ws, twp, twoff
end

-- the rows' classes are all ignored or in range (else THNN's assertion: Python raises it)
local function targetsValid(tp, toff, ts, rows, ncls, ignoreIndex)
   for i = 0, rows - 1 do
      local c = tonumber(tp[toff + i * ts])
      if c ~= ignoreIndex and (c < 1 or c > ncls) then return false end
   end
   return true
end

-- the loss (a number), or nil when Python must compute it
local function nllForward(input, target, sizeAverage, weights, totalWeight, ignoreIndex)
   local k = kindOf(input)
   if k == nil or type(ignoreIndex) ~= 'number' then return nil end
   local hi, nframe, ncls, sf, sd, tp, toff, ts, wp, woff, ws, twp, twoff =
      nllOperands(k, input, target, weights, totalWeight)
   if hi == nil then return nil end
   local rows = hi.dim == 1 and 1 or nframe
   if not targetsValid(tp, toff, ts, rows, ncls, ignoreIndex) then return nil end
   local p, off = within(input, hi, k.ptr, nframe, ncls, sf, sd)
   if p == nil then return nil end
   local R = k.round
   local output, total = 0, 0
   if hi.dim == 1 then
      local c = tonumber(tp[toff])
      if c ~= ignoreIndex then
         total = wp and wp[woff + (c - 1) * ws] or 1
         output = R(-p[off + (c - 1) * sd] * total)
      end
   else
      for i = 0, nframe - 1 do
         local c = tonumber(tp[toff + i * ts])
         if c ~= ignoreIndex then
            local w = wp and wp[woff + (c - 1) * ws] or 1
            total = R(total + w)
            output = R(output - R(p[off + i * sf + (c - 1) * sd] * w))
         end
      end
   end
   if sizeAverage and total ~= 0 then output = R(output / total) end
   twp[twoff] = total
   return output
end

local function nllBackward(input, target, gradInput, sizeAverage, weights, totalWeight,
                           ignoreIndex)
   local k = kindOf(input, gradInput)
   if k == nil or type(ignoreIndex) ~= 'number' then return false end
   local hi, nframe, ncls, _, _, tp, toff, ts, wp, woff, ws, twp, twoff =
      nllOperands(k, input, target, weights, totalWeight)
   if hi == nil then return false end
   local rows = hi.dim == 1 and 1 or nframe
   if not targetsValid(tp, toff, ts, rows, ncls, ignoreIndex) then return false end
   local total = twp[twoff]
   gradInput:resizeAs(input)
   local hg = H[gradInput]
   local g, goff = within(gradInput, hg, k.ptr, nframe, ncls, ncls, 1)
   if g == nil or not header.isContiguous(hg) then return false end
   -- read again: resizeAs may have called Python, which may move a block's values
   tp, toff = within(target, H[target], longPointer, 1, rows, 0, ts)
   twp, twoff = within(totalWeight, H[totalWeight], k.ptr, 1, 1, 0, 1)
   if wp ~= nil then wp, woff = within(weights, H[weights], k.ptr, 1, ncls, 0, ws) end
   if tp == nil or twp == nil or (weights ~= nil and wp == nil) then return false end
   for i = goff, goff + nframe * ncls - 1 do g[i] = 0 end
   if not (total > 0) then return true end
   local R = k.round
   if hi.dim == 1 then
      local c = tonumber(tp[toff])
      if c ~= ignoreIndex then
         g[goff + c - 1] = (not sizeAverage and wp) and -wp[woff + (c - 1) * ws] or -1
      end
      return true
   end
   for i = 0, nframe - 1 do
      local c = tonumber(tp[toff + i * ts])
      if c ~= ignoreIndex then
         local v = -(wp and wp[woff + (c - 1) * ws] or 1)
         if sizeAverage and total ~= 0 then v = R(v / total) end
         g[goff + i * ncls + c - 1] = v
      end
   end
   return true
end

---------------------------------------------------------------------------------------------
-- each THNN function tries its Lua kernel first
---------------------------------------------------------------------------------------------
-- lua[name](...): the kernel's work done here (true; ClassNLLCriterion's forward returns the
-- loss), or nothing done (false or nil)
local lua = {
   Sigmoid_updateOutput = unary('sigmoid'),
   Sigmoid_updateGradInput = gradient('sigmoidGrad', false),
   Tanh_updateOutput = unary('tanh'),
   Tanh_updateGradInput = gradient('tanhGrad', true),
   LogSoftMax_updateOutput = logSoftMax,
   LogSoftMax_updateGradInput = logSoftMaxGrad,
   ClassNLLCriterion_updateOutput = nllForward,
   ClassNLLCriterion_updateGradInput = nllBackward,
}

local function install(THNN)
   for name, kernel in pairs(lua) do
      local slow = THNN[name]
      if name == 'ClassNLLCriterion_updateOutput' then
         THNN[name] = function(...)
            local loss = kernel(...)
            if loss ~= nil then return loss end
            return slow(...)
         end
      else
         THNN[name] = function(...)
            if kernel(...) then return end
            return slow(...)
         end
      end
   end
   return THNN
end

return {lua = lua, install = install, LIMIT = LIMIT}
