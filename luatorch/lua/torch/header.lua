-- torch: fast paths that answer from the tensor header instead of calling Python.
--
-- Every tensor proxy has a header (torch._H[proxy], a LTTensorHeader* into memory Python owns,
-- see tensor/header.py) that Python rewrites whenever the tensor's geometry or its storage's
-- buffer changes. Geometry queries, element access and small element-wise loops read it here
-- and never leave LuaJIT. Anything unusual (more than 8 dimensions, a storage without a
-- writable buffer, an index out of range, a value an integer type cannot hold, mixed types,
-- overlapping operands, large tensors) goes to the Python method it replaces, by a tail call so
-- that errors still point at the user's line.
--
-- Results are TH's, bit for bit: loops run in TH's element order and sums accumulate
-- sequentially in double (TH's accreal). Views (narrow, select, ...) and new tensors are
-- still made by Python: a Lua-made version is the next step (see scripts/bench_crossover.lua
-- for the element count where Lua loops stop paying).

local ffi = require 'ffi'
local torch = torch
local py = torch._py
local P, H = torch._P, torch._H
local cast = ffi.cast
local type, getmetatable, rawget, rawset = type, getmetatable, rawget, rawset

-- Element-wise work on at most this many elements runs in Lua; larger goes to numpy.
-- Chosen from measurements (scripts/bench_crossover.lua): the Lua loop costs about 1 ns per
-- element, a call into numpy several microseconds.
local limits = {small = 4096}

local headerData = py.header_data
local raise = torch._raise

-- the typed data pointer of h's storage and the storage's size in elements; nil when Python
-- must do the work (no storage, or a buffer Lua must not write)
local function storageData(self, h, ptrType)
   local sh = h.storage
   if sh == nil then return nil end
   local p = sh.data
   if p == nil then
      local ok, r = pcall(headerData, P[self])
      if not ok then raise(r, 2) end  -- an interrupt, say: as any binding's error
      if r == 0 then return nil end
      p = sh.data
   end
   return cast(ptrType, p), sh.size
end

-- contiguous as TH's isContiguous: size-1 dimensions do not count
local function isContiguous(h)
   local d = h.dim
   -- loop-free for vectors and matrices: a loop here would stop the JIT's traces
   if d == 1 then return h.stride[0] == 1 or h.size[0] == 1 end
   if d == 2 then
      local s0, s1 = h.size[0], h.size[1]
      local t1 = s1 == 1 and 1 or h.stride[1]
      if t1 ~= 1 then return false end
      return s0 == 1 or h.stride[0] == s1
   end
   local expected = 1
   for d = h.dim - 1, 0, -1 do
      local s = h.size[d]
      if s ~= 1 then
         if h.stride[d] ~= expected then return false end
         expected = expected * s
      end
   end
   return true
end

local function nElement(h)
   local d = h.dim
   if d == 1 then return h.size[0] end
   if d == 2 then return h.size[0] * h.size[1] end
   if d == 0 then return 0 end
   local n = 1
   for i = 0, d - 1 do n = n * h.size[i] end
   return n
end

-- a contiguous run [first, first + n) inside its storage: pointer and first index, else nil
local function contiguousRun(self, h, ptrType, n)
   if h.dim < 0 or not isContiguous(h) then return nil end
   local p, len = storageData(self, h, ptrType)
   if p == nil then return nil end
   local first = h.offset
   if first < 0 or first + n > len then return nil end
   return p, first
end

-- two operands may share a buffer only exactly (x:add(x)); a shifted overlap goes to Python
local function sameOrDisjoint(h1, h2)
   return h1.storage ~= h2.storage or h1.offset == h2.offset
end

local types = {
   {name = 'Double', ptr = 'double *'},
   {name = 'Float', ptr = 'float *'},
   {name = 'Long', ptr = 'int64_t *', lo = -2^63, hi = 2^63 - 1024, long = true},
   {name = 'Int', ptr = 'int32_t *', lo = -2^31, hi = 2^31 - 1},
   {name = 'Short', ptr = 'int16_t *', lo = -2^15, hi = 2^15 - 1},
   {name = 'Char', ptr = 'int8_t *', lo = -2^7, hi = 2^7 - 1},
   {name = 'Byte', ptr = 'uint8_t *', lo = 0, hi = 255},
}

---------------------------------------------------------------------------------------------
-- geometry: the same for every type
---------------------------------------------------------------------------------------------
local function setGeometry(mt)
   local slowDim, slowSize, slowStride = rawget(mt, 'dim'), rawget(mt, 'size'), rawget(mt, 'stride')
   local slowNElement, slowContiguous = rawget(mt, 'nElement'), rawget(mt, 'isContiguous')
   local slowOffset = rawget(mt, 'storageOffset')

   local function dim(self, ...)
      local h = H[self]
      if h ~= nil and select('#', ...) == 0 then
         local d = h.dim
         if d >= 0 then return d end
      end
      return slowDim(self, ...)
   end
   rawset(mt, 'dim', dim)
   rawset(mt, 'nDimension', dim)

   rawset(mt, 'size', function(self, ...)
      local h = H[self]
      if h ~= nil and select('#', ...) == 1 then
         local d = ...
         if type(d) == 'number' and d >= 1 and d <= h.dim and d % 1 == 0 then
            return h.size[d - 1]
         end
      end
      return slowSize(self, ...)
   end)

   rawset(mt, 'stride', function(self, ...)
      local h = H[self]
      if h ~= nil and select('#', ...) == 1 then
         local d = ...
         if type(d) == 'number' and d >= 1 and d <= h.dim and d % 1 == 0 then
            return h.stride[d - 1]
         end
      end
      return slowStride(self, ...)
   end)

   local function numel(self, ...)
      local h = H[self]
      if h ~= nil and h.dim >= 0 and select('#', ...) == 0 then return nElement(h) end
      return slowNElement(self, ...)
   end
   rawset(mt, 'nElement', numel)
   rawset(mt, 'numel', numel)

   rawset(mt, 'isContiguous', function(self, ...)
      local h = H[self]
      if h ~= nil and h.dim >= 0 and select('#', ...) == 0 then return isContiguous(h) end
      return slowContiguous(self, ...)
   end)

   rawset(mt, 'storageOffset', function(self, ...)
      local h = H[self]
      if h ~= nil and h.dim >= 0 and select('#', ...) == 0 then return h.offset + 1 end
      return slowOffset(self, ...)
   end)
end

---------------------------------------------------------------------------------------------
-- element access x[i], x[i] = v on vectors
---------------------------------------------------------------------------------------------
local function setIndexing(mt, ty)
   local ptrType = ffi.typeof(ty.ptr)
   local slowIndex, slowNewindex = rawget(mt, '__index'), rawget(mt, '__newindex')
   local lo, hi, long = ty.lo, ty.hi, ty.long

   -- the storage index of element i of vector h, or nil (then Python answers or raises)
   local function position(self, h, i)
      if h == nil or h.dim ~= 1 or getmetatable(self) ~= mt then return nil end
      local n = h.size[0]
      if i < 0 then i = i + n + 1 end
      if i < 1 or i > n or i % 1 ~= 0 then return nil end
      local p, len = storageData(self, h, ptrType)
      if p == nil then return nil end
      local pos = h.offset + (i - 1) * h.stride[0]
      if pos < 0 or pos >= len then return nil end
      return p, pos
   end

   rawset(mt, '__index', function(self, k)
      local v = rawget(mt, k)
      if v ~= nil then return v end
      if type(k) == 'number' then
         local p, pos = position(self, H[self], k)
         if p ~= nil then
            if long then return tonumber(p[pos]) end
            return p[pos]
         end
      end
      return slowIndex(self, k)
   end)

   rawset(mt, '__newindex', function(self, k, v)
      if type(k) == 'number' and type(v) == 'number'
            and (lo == nil or (v >= lo and v <= hi and v % 1 == 0)) then
         local p, pos = position(self, H[self], k)
         if p ~= nil then
            p[pos] = v
            return
         end
      end
      return slowNewindex(self, k, v)
   end)
end

---------------------------------------------------------------------------------------------
-- small element-wise work, in place (DoubleTensor: the same IEEE operations as numpy's)
---------------------------------------------------------------------------------------------
local slow  -- DoubleTensor's Python methods, for scripts/bench_crossover.lua
local function setElementwise(mt, ty)
   local ptrType = ffi.typeof(ty.ptr)
   local slowAdd, slowMul = rawget(mt, 'add'), rawget(mt, 'mul')
   local slowFill, slowZero = rawget(mt, 'fill'), rawget(mt, 'zero')
   local slowCopy, slowSum = rawget(mt, 'copy'), rawget(mt, 'sum')

   -- self's contiguous run when it has n <= SMALL elements. Only for tensors of this very
   -- type: another metatable may have copied these methods (HalfTensor takes Double's), and
   -- the pointer type must be the tensor's own.
   local function small(self, h)
      if h == nil or getmetatable(self) ~= mt then return nil end
      local n = nElement(h)
      if n == 0 or n > limits.small then return nil end
      local p, first = contiguousRun(self, h, ptrType, n)
      if p == nil then return nil end
      return p, first, n
   end

   -- operand y of the same type and element count, contiguous and not overlapping self's
   local function operand(y, hx, n)
      if getmetatable(y) ~= mt then return nil end
      local hy = H[y]
      if hy == nil or nElement(hy) ~= n or not sameOrDisjoint(hx, hy) then return nil end
      return contiguousRun(y, hy, ptrType, n)
   end

   rawset(mt, 'copy', function(self, ...)
      if select('#', ...) == 1 then
         local h = H[self]
         local p, i0, n = small(self, h)
         if p ~= nil then
            local q, j0 = operand((...), h, n)
            if q ~= nil then
               for i = 0, n - 1 do p[i0 + i] = q[j0 + i] end
               return self
            end
         end
      end
      return slowCopy(self, ...)
   end)

   rawset(mt, 'fill', function(self, ...)
      local v = ...
      if type(v) == 'number' and select('#', ...) == 1
            and (ty.lo == nil or (v >= ty.lo and v <= ty.hi and v % 1 == 0)) then
         local p, i0, n = small(self, H[self])
         if p ~= nil then
            for i = i0, i0 + n - 1 do p[i] = v end
            return self
         end
      end
      return slowFill(self, ...)
   end)

   rawset(mt, 'zero', function(self, ...)
      if select('#', ...) == 0 then
         local p, i0, n = small(self, H[self])
         if p ~= nil then
            for i = i0, i0 + n - 1 do p[i] = 0 end
            return self
         end
      end
      return slowZero(self, ...)
   end)

   if ty.name ~= 'Double' then return end
   slow = {add = slowAdd, mul = slowMul, copy = slowCopy, sum = slowSum, fill = slowFill}

   -- x:add(v), x:add(y), x:add(1, y): x + v, x + y element by element. x:add(v, y) with v ~= 1
   -- is TH's cadd, a BLAS axpy (fused multiply-adds): Python does it with the same bits.
   rawset(mt, 'add', function(self, ...)
      local nargs = select('#', ...)
      if nargs == 1 or nargs == 2 then
         local a, b = ...
         local h = H[self]
         local p, i0, n = small(self, h)
         if p ~= nil then
            if type(a) == 'number' then
               if b == nil then
                  for i = i0, i0 + n - 1 do p[i] = p[i] + a end
                  return self
               end
               local q, j0
               if a == 1 then q, j0 = operand(b, h, n) end
               if q ~= nil then
                  for i = 0, n - 1 do p[i0 + i] = p[i0 + i] + q[j0 + i] end
                  return self
               end
            elseif b == nil then
               local q, j0 = operand(a, h, n)
               if q ~= nil then
                  for i = 0, n - 1 do p[i0 + i] = p[i0 + i] + q[j0 + i] end
                  return self
               end
            end
         end
      end
      return slowAdd(self, ...)
   end)

   rawset(mt, 'mul', function(self, ...)
      local a = ...
      if type(a) == 'number' and select('#', ...) == 1 then
         local p, i0, n = small(self, H[self])
         if p ~= nil then
            for i = i0, i0 + n - 1 do p[i] = p[i] * a end
            return self
         end
      end
      return slowMul(self, ...)
   end)

   -- TH's sum: sequential accumulation in double
   rawset(mt, 'sum', function(self, ...)
      if select('#', ...) == 0 then
         local p, i0, n = small(self, H[self])
         if p ~= nil then
            local s = 0
            for i = i0, i0 + n - 1 do s = s + p[i] end
            return s
         end
      end
      return slowSum(self, ...)
   end)
end

for _, ty in ipairs(types) do
   local mt = torch.getmetatable('torch.' .. ty.name .. 'Tensor')
   setGeometry(mt)
   setIndexing(mt, ty)
   setElementwise(mt, ty)
end

torch._header = {limits = limits, slow = slow, isContiguous = isContiguous,
                 nElement = nElement, storageData = storageData}
return torch._header
