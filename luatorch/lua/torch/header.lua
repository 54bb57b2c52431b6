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
-- sequentially in double (TH's accreal). Views (narrow, select, t, transpose, view, sub,
-- slicing) get a header of their own made here, and their Python tensor only when Python
-- first needs it (torch._newView in init.lua). New small tensors (torch.Tensor(n, ...),
-- torch.Tensor(), zeros, ones, clone, the operators, resize of an empty tensor) are made here
-- whole: header, storage header and buffer in one block of Lua memory (torch._allocTensor),
-- which a Python storage adopts when Python first needs the tensor; x:storage() of such a
-- tensor and its element access stay here too.

local ffi = require 'ffi'
local torch = torch
local py = torch._py
local P, H = torch._P, torch._H
local cast = ffi.cast
local type, getmetatable, rawget, rawset = type, getmetatable, rawget, rawset

-- Element-wise work on at most limits.small elements runs in Lua; larger goes to numpy. New
-- tensors of at most limits.alloc elements are made in Lua (torch._allocTensor). The Lua loop
-- costs about 0.3 ns per element, a call into numpy a few microseconds.
-- Measured (AMD EPYC, CPU time per call; scripts/bench_crossover.lua):
--  * in place, add/mul/copy: the Lua loop 2.3-2.4 us against numpy's 2.9-3.1 at 8192
--    elements, 4.5-4.7 against 3.5-4.6 at 16384: limits.small = 8192;
--  * new tensors, clone and x + y: a block of Lua memory 7.8-9.0 us against 19-28 through
--    Python at 4096 elements, 14.5-14.7 against 24-26 at 8192, 59-70 against 30-46 at 16384;
--    but a new tensor Python uses next costs its copy on top (at 4096: 28 us against 22 for
--    a clone made in Python and used there): limits.alloc = 4096;
--  * x:sum() adds in sequence as TH does, which numpy can only do with np.add.accumulate:
--    slower than the Lua loop at every size measured (65536 elements: 35 us against 212).
local limits = torch._limits
limits.small = 8192
limits.alloc = 4096
limits.sum = math.huge

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

-- a number as the tensor type's `real` holds it, as TH's wrappers convert a Lua number
-- argument: Float rounds it to single precision. Arithmetic on Float elements then runs in
-- double and rounds once on the store, which gives single precision's own result for + - * /
-- (double has more than twice float's digits plus two).
local floatSlot = ffi.new('float[1]')
local function toFloat(v)
   floatSlot[0] = v
   return floatSlot[0]
end
local function same(v) return v end
local function realOf(ty) return ty.name == 'Float' and toFloat or same end

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

   -- the storage index of the element x[{i1, ..., in}] names (n numbers, one per dimension,
   -- negative ones counted from the end as Torch's walk does), or nil
   local function elementAt(self, h, key)
      if h == nil or getmetatable(self) ~= mt then return nil end
      local nd = h.dim
      if nd < 1 or #key ~= nd then return nil end
      local pos = h.offset
      for d = 0, nd - 1 do
         local e = key[d + 1]
         if type(e) ~= 'number' or e % 1 ~= 0 then return nil end
         local n = h.size[d]
         local z = e - 1
         if z < 0 then z = z + n + 1 end
         if z < 0 or z >= n then return nil end
         pos = pos + z * h.stride[d]
      end
      local p, len = storageData(self, h, ptrType)
      if p == nil or pos < 0 or pos >= len then return nil end
      return p, pos
   end

   rawset(mt, '__newindex', function(self, k, v)
      if type(v) == 'number' and (lo == nil or (v >= lo and v <= hi and v % 1 == 0)) then
         local tk = type(k)
         local p, pos
         if tk == 'number' then
            p, pos = position(self, H[self], k)
         elseif tk == 'table' and getmetatable(k) == nil then
            p, pos = elementAt(self, H[self], k)
         end
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
   local function small(self, h, limit)
      if h == nil or getmetatable(self) ~= mt then return nil end
      local n = nElement(h)
      if n == 0 or n > (limit or limits.small) then return nil end
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

   if ty.name ~= 'Double' and ty.name ~= 'Float' then return end
   local real = realOf(ty)
   if ty.name == 'Double' then
      slow = {add = slowAdd, mul = slowMul, copy = slowCopy, sum = slowSum, fill = slowFill}
   end

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
                  local v = real(a)
                  for i = i0, i0 + n - 1 do p[i] = p[i] + v end
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
            local v = real(a)
            for i = i0, i0 + n - 1 do p[i] = p[i] * v end
            return self
         end
      end
      return slowMul(self, ...)
   end)

   -- TH's sum: sequential accumulation in double
   rawset(mt, 'sum', function(self, ...)
      if select('#', ...) == 0 then
         local p, i0, n = small(self, H[self], limits.sum)
         if p ~= nil then
            local s = 0
            for i = i0, i0 + n - 1 do s = s + p[i] end
            return s
         end
      end
      return slowSum(self, ...)
   end)
end

---------------------------------------------------------------------------------------------
-- views: narrow, select, t, transpose, view, sub and slicing make a header of their own in Lua
-- (torch._newView); Python builds its tensor object only when it is first needed
---------------------------------------------------------------------------------------------
local newView = torch._newView
local MAXDIM = 8

-- remove dimension d (0-based) of header v, moving the rest down
local function dropDim(v, d)
   local n = v.dim
   for i = d, n - 2 do
      v.size[i], v.stride[i] = v.size[i + 1], v.stride[i + 1]
   end
   v.size[n - 1], v.stride[n - 1] = 0, 0
   v.dim = n - 1
end

local function isInteger(x)
   return type(x) == 'number' and x % 1 == 0
end

local function setViews(mt, ty)
   local ptrType = ffi.typeof(ty.ptr)
   local long = ty.long
   local slowNarrow, slowSelect = rawget(mt, 'narrow'), rawget(mt, 'select')
   local slowT, slowTranspose = rawget(mt, 't'), rawget(mt, 'transpose')
   local slowView, slowSub = rawget(mt, 'view'), rawget(mt, 'sub')
   local slowIndex = rawget(mt, '__index')

   local function narrow(self, ...)
      local h = H[self]
      if h ~= nil and select('#', ...) == 3 then
         local d, first, len = ...
         if isInteger(d) and isInteger(first) and isInteger(len) and d >= 1 and d <= h.dim
               and first >= 1 and len >= 1 and first - 1 + len <= h.size[d - 1] then
            local u, v = newView(self, h)
            if u ~= nil then
               v.offset = v.offset + (first - 1) * v.stride[d - 1]
               v.size[d - 1] = len
               return u
            end
         end
      end
      return slowNarrow(self, ...)
   end
   rawset(mt, 'narrow', narrow)

   local function selectView(self, h, d0, i)
      -- i is 1-based and valid, h.dim > 1
      local u, v = newView(self, h)
      if u == nil then return nil end
      v.offset = v.offset + (i - 1) * v.stride[d0]
      dropDim(v, d0)
      return u
   end

   rawset(mt, 'select', function(self, ...)
      local h = H[self]
      if h ~= nil and select('#', ...) == 2 then
         local d, i = ...
         local nd = h.dim
         -- a vector's select is its element, whatever the dimension given, as x[i] (TH's
         -- get1d): a number
         if nd == 1 and isInteger(i) and i >= 1 and i <= h.size[0] then return self[i] end
         if isInteger(d) and isInteger(i) and d >= 1 and d <= nd and nd > 1 then
            if i >= 1 and i <= h.size[d - 1] then
               local u = selectView(self, h, d - 1, i)
               if u ~= nil then return u end
            end
         end
      end
      return slowSelect(self, ...)
   end)

   local function transpose(self, h, a, b)
      local u, v = newView(self, h)
      if u == nil then return nil end
      v.size[a], v.size[b] = h.size[b], h.size[a]
      v.stride[a], v.stride[b] = h.stride[b], h.stride[a]
      return u
   end

   rawset(mt, 't', function(self, ...)
      local h = H[self]
      if h ~= nil and h.dim == 2 and select('#', ...) == 0 then
         local u = transpose(self, h, 0, 1)
         if u ~= nil then return u end
      end
      return slowT(self, ...)
   end)

   rawset(mt, 'transpose', function(self, ...)
      local h = H[self]
      if h ~= nil and select('#', ...) == 2 then
         local a, b = ...
         local nd = h.dim
         if isInteger(a) and isInteger(b) and a >= 1 and a <= nd and b >= 1 and b <= nd then
            local u = transpose(self, h, a - 1, b - 1)
            if u ~= nil then return u end
         end
      end
      return slowTranspose(self, ...)
   end)

   -- x:view(n1, n2, ...) with positive sizes on a contiguous tensor, one of them possibly -1
   -- (the number of elements left, as TH's inferSize)
   -- (or x:view(sizes) with a LongStorage of them)
   local viewSizes = ffi.new('double[?]', MAXDIM)
   local longStorageMt = torch.getmetatable('torch.LongStorage')
   rawset(mt, 'view', function(self, ...)
      local h = H[self]
      local nd = select('#', ...)
      local storage = nil
      if nd == 1 and getmetatable((...)) == longStorageMt then
         storage = ...
         nd = #storage
      end
      if h ~= nil and nd >= 1 and nd <= MAXDIM and h.dim >= 0 and isContiguous(h) then
         local total, infer = 1, nil
         for k = 1, nd do
            local s
            if storage ~= nil then s = storage[k] else s = select(k, ...) end
            if not isInteger(s) then total = -1 break end
            if s == -1 and infer == nil then
               infer = k
            elseif s < 1 then
               total = -1
               break
            else
               total = total * s
            end
            viewSizes[k - 1] = s
         end
         local n = nElement(h)
         if infer ~= nil and total > 0 and n > 0 and n % total == 0 then
            viewSizes[infer - 1] = n / total
            total = n
         end
         if total == n then
            local u, v = newView(self, h)
            if u ~= nil then
               v.dim = nd
               local st = 1
               for k = nd - 1, 0, -1 do
                  local s = viewSizes[k]
                  v.size[k], v.stride[k] = s, st
                  st = st * s
               end
               for k = nd, MAXDIM - 1 do v.size[k], v.stride[k] = 0, 0 end
               return u
            end
         end
      end
      return slowView(self, ...)
   end)

   -- x:sub(lo1, hi1 [, lo2, hi2 ...]): negative bounds count from the end
   rawset(mt, 'sub', function(self, ...)
      local h = H[self]
      local nargs = select('#', ...)
      if h ~= nil and nargs >= 2 and nargs % 2 == 0 and nargs <= 2 * h.dim then
         local ok = true
         for k = 1, nargs / 2 do
            local lo, hi = select(2 * k - 1, ...)
            local n = h.size[k - 1]
            if not (isInteger(lo) and isInteger(hi)) then ok = false break end
            if lo < 0 then lo = lo + n + 1 end
            if hi < 0 then hi = hi + n + 1 end
            if not (lo >= 1 and lo <= hi and hi <= n) then ok = false break end
         end
         if ok then
            local u, v = newView(self, h)
            if u ~= nil then
               for k = 1, nargs / 2 do
                  local lo, hi = select(2 * k - 1, ...)
                  local n = h.size[k - 1]
                  if lo < 0 then lo = lo + n + 1 end
                  if hi < 0 then hi = hi + n + 1 end
                  v.offset = v.offset + (lo - 1) * v.stride[k - 1]
                  v.size[k - 1] = hi - lo + 1
               end
               return u
            end
         end
      end
      return slowSub(self, ...)
   end)

   -- x[i] on a matrix or more (a select), x[{...}] with numbers and {a, b} ranges (Torch's walk:
   -- a number selects, a table narrows, a number on a vector ends on one element)
   local index = rawget(mt, '__index')
   local function walk(self, h, key)
      local nd = h.dim
      if nd < 1 or #key > nd then return nil end
      local u, v
      local cdim = 0
      for k = 1, nd do
         local e = key[k]
         local te = type(e)
         if te == 'number' then
            if not isInteger(e) then return nil end
            local vh = v or h
            local n = vh.size[cdim]
            local z = e - 1
            if z < 0 then z = z + n + 1 end
            if z < 0 or z >= n then return nil end
            if vh.dim == 1 then
               local p, len = storageData(self, h, ptrType)
               if p == nil then return nil end
               local pos = vh.offset + z * vh.stride[0]
               if pos < 0 or pos >= len then return nil end
               if long then return tonumber(p[pos]) end
               return p[pos]
            end
            if v == nil then
               u, v = newView(self, h)
               if u == nil then return nil end
            end
            v.offset = v.offset + z * v.stride[cdim]
            dropDim(v, cdim)
         elseif te == 'table' and getmetatable(e) == nil then
            local a, b = e[1], e[2]
            local vh = v or h
            local n = vh.size[cdim]
            local first, last = 0, n - 1
            if a ~= nil then
               if not isInteger(a) then return nil end
               first, last = a - 1, a - 1
            end
            if first < 0 then first = first + n + 1 end
            if first < 0 or first >= n then return nil end
            if b ~= nil then
               if not isInteger(b) then return nil end
               last = b - 1
            end
            if last < 0 then last = last + n + 1 end
            if last < 0 or last >= n or last < first then return nil end
            if v == nil then
               u, v = newView(self, h)
               if u == nil then return nil end
            end
            v.offset = v.offset + first * v.stride[cdim]
            v.size[cdim] = last - first + 1
            cdim = cdim + 1
         else
            break
         end
      end
      -- Torch7 answers with a new tensor even when nothing narrowed (x[{}] ~= x)
      if u == nil then u = newView(self, h) end
      return u
   end

   rawset(mt, '__index', function(self, k)
      local v = rawget(mt, k)
      if v ~= nil then return v end
      local tk = type(k)
      if tk == 'number' then
         local h = H[self]
         if h ~= nil and h.dim > 1 and isInteger(k) then
            local n = h.size[0]
            local i = k
            if i < 0 then i = n + i + 1 end
            if i >= 1 and i <= n then
               local u = selectView(self, h, 0, i)
               if u ~= nil then return u end
            end
         end
      elseif tk == 'table' and getmetatable(k) == nil then
         local h = H[self]
         if h ~= nil then
            local r = walk(self, h, k)
            if r ~= nil then return r end
         end
      end
      return index(self, k)
   end)
end

---------------------------------------------------------------------------------------------
-- new tensors: torch.Tensor(n1, n2, ...), torch.Tensor(), zeros, ones, x:clone(), resize,
-- resizeAs and the operators on small contiguous tensors, made in Lua (torch._allocTensor)
---------------------------------------------------------------------------------------------
local allocTensor = torch._allocTensor
local scratch = ffi.new('LTTensorHeader')
local metatableOf = {}

-- a new zeroed contiguous tensor of mt's type with sizes n1, n2, ... (positive integers, at
-- most MAXDIM of them) and its header; nil: Python makes it (other arguments, errors)
local function newOfSizes(mt, ...)
   local nd = select('#', ...)
   if mt == nil or nd < 1 or nd > MAXDIM then return nil end
   for k = 1, nd do
      local s = select(k, ...)
      if not isInteger(s) or s < 1 then return nil end
      scratch.size[k - 1] = s
   end
   scratch.dim = nd
   return allocTensor(mt, scratch, true)
end

local allocEmpty, resizeEmpty = torch._allocEmpty, torch._resizeEmpty

-- a new empty tensor (torch.Tensor(), x.new()) is what a module makes for its buffers on its
-- first call (self.gradInput[i] or input[1].new()): first-use work (torch._firstUse)
local firstUse = torch._firstUse

local slowConstruct = torch._setConstructor(nil)
torch._setConstructor(function(name, ...)
   if select('#', ...) == 0 then
      local mt = metatableOf[name]
      if mt ~= nil then
         local u = firstUse(allocEmpty, mt)
         if u ~= nil then return u end
      end
   else
      local u = newOfSizes(metatableOf[name], ...)
      if u ~= nil then return u end
   end
   return slowConstruct(name, ...)
end)

-- x:resize(n1, ...) and x:resizeAs(y) on a tensor made in Lua that Python has not seen (its
-- header is its block's): as THTensor_resizeNd, contiguous strides on the same storage when it
-- is large enough, a new storage for a tensor without one; anything else (a storage to grow,
-- which other tensors may share) goes to Python
local bornType = ffi.typeof('LTBorn')
local istype = ffi.istype

local DATA_OFFSET = ffi.offsetof(bornType, 'data')

-- resize self (header h, elements of itemSize bytes) to the sizes of header src; false:
-- Python must
local function resizeInLua(self, h, src, itemSize)
   if not istype(bornType, h) then return false end
   local d = src.dim
   local n = src.size[0]
   for i = 1, d - 1 do n = n * src.size[i] end
   local sh = h.storage
   if sh == nil then
      if not resizeEmpty(self, h, src, n) then return false end
      return true
   end
   -- within the block too: Python may have given its storage a larger buffer, which the
   -- block gets back only up to its own size when that storage dies
   local need = h.offset + n
   if sh.data == nil or need > sh.size or need * itemSize > ffi.sizeof(h) - DATA_OFFSET then
      return false
   end
   h.dim = d
   local stride = 1
   for i = d - 1, 0, -1 do
      local sz = src.size[i]
      h.size[i], h.stride[i] = sz, stride
      stride = stride * sz
   end
   for i = d, MAXDIM - 1 do h.size[i], h.stride[i] = 0, 0 end
   return true
end

-- torch.zeros(n1, ...) and torch.ones(n1, ...) of the default type (the metatable behind
-- torch.Tensor's constructor table)
local ptrTypeOf = {}  -- tensor metatable -> its element pointer type
local slowZeros, slowOnes = torch.zeros, torch.ones
function torch.zeros(...)
   local u = newOfSizes(getmetatable(torch.Tensor), ...)
   if u ~= nil then return u end
   return slowZeros(...)
end
function torch.ones(...)
   local mt = getmetatable(torch.Tensor)
   local u, h = newOfSizes(mt, ...)
   if u ~= nil then
      local p, n = storageData(u, h, ptrTypeOf[mt])
      if p ~= nil then
         for i = 0, n - 1 do p[i] = 1 end
         return u
      end
   end
   return slowOnes(...)
end

local function setNew(mt, ty)
   local ptrType = ffi.typeof(ty.ptr)
   local itemSize = ffi.sizeof(ty.ptr:match('^(.-) %*$'))
   metatableOf[ty.name] = mt
   ptrTypeOf[mt] = ptrType
   local slowClone = rawget(mt, 'clone')

   local slowResize, slowResizeAs = rawget(mt, 'resize'), rawget(mt, 'resizeAs')
   rawset(mt, 'resize', function(self, ...)
      local nd = select('#', ...)
      local h = H[self]
      if h ~= nil and nd >= 1 and nd <= MAXDIM and getmetatable(self) == mt then
         local ok = true
         for k = 1, nd do
            local s = select(k, ...)
            if not isInteger(s) or s < 1 then ok = false break end
            scratch.size[k - 1] = s
         end
         if ok then
            scratch.dim = nd
            if resizeInLua(self, h, scratch, itemSize) then return self end
         end
      end
      return slowResize(self, ...)
   end)

   rawset(mt, 'resizeAs', function(self, ...)
      local h = H[self]
      if h ~= nil and select('#', ...) == 1 and getmetatable(self) == mt then
         local y = ...
         local hy = getmetatable(y) == mt and H[y]
         if hy and hy.dim >= 1 and resizeInLua(self, h, hy, itemSize) then return self end
      end
      return slowResizeAs(self, ...)
   end)

   -- a new tensor shaped like h and the pointer to its first element
   local function fresh(h)
      local u, hv = allocTensor(mt, h, true)
      if u == nil then return nil end
      local p = storageData(u, hv, ptrType)
      if p == nil then return nil end
      return u, p
   end

   -- a copy of the n elements of self (header h: contiguous, or any strides on 1 or 2
   -- dimensions) into a new contiguous tensor, in row-major order as TH's copy; nil: Python
   local function copied(self, h, n)
      local d = h.dim
      if d < 1 or n < 1 or n > limits.alloc then return nil end
      local q, j0 = contiguousRun(self, h, ptrType, n)
      if q ~= nil then
         local u, p = fresh(h)
         if u == nil then return nil end
         for i = 0, n - 1 do p[i] = q[j0 + i] end
         return u
      end
      if d > 2 then return nil end
      local len
      q, len = storageData(self, h, ptrType)
      if q == nil then return nil end
      local off, n0, s0 = h.offset, h.size[0], h.stride[0]
      local n1, s1 = 1, 0
      if d == 2 then n1, s1 = h.size[1], h.stride[1] end
      if off < 0 or s0 < 0 or s1 < 0 or off + (n0 - 1) * s0 + (n1 - 1) * s1 >= len then
         return nil
      end
      local u, p = fresh(h)
      if u == nil then return nil end
      local k = 0
      for i = 0, n0 - 1 do
         local row = off + i * s0
         for j = 0, n1 - 1 do
            p[k] = q[row + j * s1]
            k = k + 1
         end
      end
      return u
   end

   rawset(mt, 'clone', function(self, ...)
      local h = H[self]
      -- only for this very type: HalfTensor takes Double's clone
      if h ~= nil and select('#', ...) == 0 and getmetatable(self) == mt then
         local u = copied(self, h, nElement(h))
         if u ~= nil then return u end
      end
      return slowClone(self, ...)
   end)

   -- x:contiguous(): x itself when contiguous (TH's newContiguous), else a copy
   local slowContiguous = rawget(mt, 'contiguous')
   rawset(mt, 'contiguous', function(self, ...)
      local h = H[self]
      if h ~= nil and select('#', ...) == 0 and getmetatable(self) == mt and h.dim >= 1 then
         if isContiguous(h) then return self end
         local u = copied(self, h, nElement(h))
         if u ~= nil then return u end
      end
      return slowContiguous(self, ...)
   end)

   if ty.name ~= 'Double' and ty.name ~= 'Float' then return end
   local real = realOf(ty)

   -- self's contiguous run of n <= limits.alloc elements and a new tensor of its shape; nil
   -- when Python must do it
   local function source(a)
      if getmetatable(a) ~= mt then return nil end
      local h = H[a]
      if h == nil or h.dim < 1 then return nil end
      local n = nElement(h)
      if n > limits.alloc then return nil end
      local q, j0 = contiguousRun(a, h, ptrType, n)
      if q == nil then return nil end
      return q, j0, n, h
   end

   -- The operators as TensorOperator.c defines them, into a new tensor of the tensor operand's
   -- shape: a + b, a - b (csub), v + a (add), v - a (a * -1, then + v), a * v, v * a (mul),
   -- a / v (div), -a (mul by -1: a NaN keeps its sign, as in TH). Element by element, the
   -- same IEEE operation TH does.
   local slowAdd, slowSub = rawget(mt, '__add'), rawget(mt, '__sub')
   local slowMul, slowDiv, slowUnm = rawget(mt, '__mul'), rawget(mt, '__div'), rawget(mt, '__unm')
   if ty.name == 'Double' then  -- for scripts/bench_crossover.lua
      slow.clone, slow.__add = slowClone, slowAdd
   end

   local function tensorTensor(a, b, sign)
      local q, j0, n, ha = source(a)
      if q == nil or getmetatable(b) ~= mt then return nil end
      local hb = H[b]
      if hb == nil or nElement(hb) ~= n then return nil end
      local r, k0 = contiguousRun(b, hb, ptrType, n)
      if r == nil then return nil end
      local u, p = fresh(ha)
      if u == nil then return nil end
      if sign == 1 then
         for i = 0, n - 1 do p[i] = q[j0 + i] + r[k0 + i] end
      else
         for i = 0, n - 1 do p[i] = q[j0 + i] - r[k0 + i] end
      end
      return u
   end

   local function tensorNumber(a, v)
      local q, j0, n, ha = source(a)
      if q == nil then return nil end
      local u, p = fresh(ha)
      if u == nil then return nil end
      for i = 0, n - 1 do p[i] = q[j0 + i] + v end
      return u
   end

   local function scaled(a, v)
      local q, j0, n, ha = source(a)
      if q == nil then return nil end
      local u, p = fresh(ha)
      if u == nil then return nil end
      for i = 0, n - 1 do p[i] = q[j0 + i] * v end
      return u
   end

   rawset(mt, '__add', function(a, b)
      local u
      if type(b) == 'number' then
         u = tensorNumber(a, real(b))
      elseif type(a) == 'number' then
         u = tensorNumber(b, real(a))
      else
         u = tensorTensor(a, b, 1)
      end
      if u ~= nil then return u end
      return slowAdd(a, b)
   end)

   rawset(mt, '__sub', function(a, b)
      local u
      if type(b) == 'number' then
         u = tensorNumber(a, real(-b))
      elseif type(a) == 'number' then
         -- TH: a copy of b times -1, plus a
         local q, j0, n, hb = source(b)
         if q ~= nil then
            local p
            u, p = fresh(hb)
            if u ~= nil then
               local v = real(a)
               for i = 0, n - 1 do p[i] = q[j0 + i] * -1 + v end
            end
         end
      else
         u = tensorTensor(a, b, -1)
      end
      if u ~= nil then return u end
      return slowSub(a, b)
   end)

   rawset(mt, '__mul', function(a, b)
      local u
      if type(b) == 'number' then
         u = scaled(a, real(b))
      elseif type(a) == 'number' then
         u = scaled(b, real(a))
      end
      if u ~= nil then return u end
      return slowMul(a, b)
   end)

   rawset(mt, '__div', function(a, b)
      if type(b) == 'number' then
         local q, j0, n, ha = source(a)
         if q ~= nil then
            local u, p = fresh(ha)
            if u ~= nil then
               local v = real(b)
               for i = 0, n - 1 do p[i] = q[j0 + i] / v end
               return u
            end
         end
      end
      return slowDiv(a, b)
   end)

   rawset(mt, '__unm', function(a, b)
      local u = scaled(a, -1)
      if u ~= nil then return u end
      return slowUnm(a, b)
   end)
end

---------------------------------------------------------------------------------------------
-- storages made in Lua (x:storage() of a tensor made in Lua, torch._blockStorage in init.lua):
-- size and element access from the block's storage header, which Python keeps current once
-- it has adopted the block
---------------------------------------------------------------------------------------------
local SB, blockStorage = torch._SB, torch._blockStorage

local function setStorage(mt, smt, ty)
   local ptrType = ffi.typeof(ty.ptr)
   local lo, hi, long = ty.lo, ty.hi, ty.long
   local slowStorage = rawget(mt, 'storage')
   rawset(mt, 'storage', function(self, ...)
      if select('#', ...) == 0 and getmetatable(self) == mt then
         local h = H[self]
         if h ~= nil then
            local s = blockStorage(self, h)
            if s ~= nil then return s end
         end
      end
      return slowStorage(self, ...)
   end)

   -- the typed data pointer of a storage proxy made in Lua and its size; nil: Python answers
   local function block(self)
      local b = SB[self]
      if b == nil or getmetatable(self) ~= smt then return nil end
      local sh = b.storage
      local p = sh.data
      if p == nil then return nil end
      return cast(ptrType, p), sh.size
   end

   -- luaT compares storages by what they point at: a storage proxy made here and one Python
   -- made for the same storage (after it adopted the block) are equal
   rawset(smt, '__eq', function(a, b)
      local ba, bb = SB[a], SB[b]
      if ba ~= nil and bb ~= nil then return rawequal(ba, bb) end
      return torch.pointer(a) == torch.pointer(b)
   end)

   local slowSize, slowLen = rawget(smt, 'size'), rawget(smt, '__len')
   local slowIndex, slowNewindex = rawget(smt, '__index'), rawget(smt, '__newindex')
   rawset(smt, 'size', function(self, ...)
      if select('#', ...) == 0 then
         local p, n = block(self)
         if p ~= nil then return n end
      end
      return slowSize(self, ...)
   end)

   rawset(smt, '__len', function(self, ...)
      local p, n = block(self)
      if p ~= nil then return n end
      return slowLen(self, ...)
   end)

   rawset(smt, '__index', function(self, k)
      local v = rawget(smt, k)
      if v ~= nil then return v end
      if type(k) == 'number' then
         local p, n = block(self)
         if p ~= nil and k >= 1 and k <= n and k % 1 == 0 then
            if long then return tonumber(p[k - 1]) end
            return p[k - 1]
         end
      end
      return slowIndex(self, k)
   end)

   rawset(smt, '__newindex', function(self, k, v)
      if type(k) == 'number' and type(v) == 'number'
            and (lo == nil or (v >= lo and v <= hi and v % 1 == 0)) then
         local p, n = block(self)
         if p ~= nil and k >= 1 and k <= n and k % 1 == 0 then
            p[k - 1] = v
            return
         end
      end
      return slowNewindex(self, k, v)
   end)
end

-- new storages made in Lua: torch.<type>Storage(n), torch.<type>Storage{v1, v2, ...} and the
-- LongStorage of x:size() and x:stride()
local allocStorage = torch._allocStorage
local storageTypes = {}  -- type name -> {storage metatable, element type}
local longPointer = ffi.typeof('int64_t *')
local longStorageMt = torch.getmetatable('torch.LongStorage')

-- a new LongStorage holding the dim values of array a (a header's size or stride)
local function longStorage(a, dim)
   local s, b = allocStorage(longStorageMt, dim)
   if s == nil then return nil end
   local p = cast(longPointer, b.storage.data)
   for i = 0, dim - 1 do p[i] = a[i] end
   return s
end

local _, slowStorage = torch._setConstructor(nil, nil)
torch._setConstructor(nil, function(name, ...)
   local st = storageTypes[name]
   local nargs = select('#', ...)
   if st ~= nil and nargs == 1 then
      local a = ...
      local smt, ty = st[1], st[2]
      if isInteger(a) and a >= 1 then
         local s = allocStorage(smt, a)
         if s ~= nil then return s end
      elseif type(a) == 'table' and getmetatable(a) == nil then
         local n = #a
         local ok = n >= 1
         for i = 1, n do
            local v = a[i]
            if type(v) ~= 'number' or (ty.lo ~= nil and not (v >= ty.lo and v <= ty.hi
                                                              and v % 1 == 0)) then
               ok = false
               break
            end
         end
         local s, b
         if ok then s, b = allocStorage(smt, n) end
         if s ~= nil then
            local p = cast(ffi.typeof(ty.ptr), b.storage.data)
            for i = 1, n do p[i - 1] = a[i] end
            return s
         end
      end
   end
   return slowStorage(name, ...)
end)

local function setSizes(mt)
   local slowSize, slowStride = rawget(mt, 'size'), rawget(mt, 'stride')
   rawset(mt, 'size', function(self, ...)
      if select('#', ...) == 0 then
         local h = H[self]
         if h ~= nil and h.dim >= 1 then
            local s = longStorage(h.size, h.dim)
            if s ~= nil then return s end
         end
      end
      return slowSize(self, ...)
   end)
   rawset(mt, 'stride', function(self, ...)
      if select('#', ...) == 0 then
         local h = H[self]
         if h ~= nil and h.dim >= 1 then
            local s = longStorage(h.stride, h.dim)
            if s ~= nil then return s end
         end
      end
      return slowStride(self, ...)
   end)
end

for _, ty in ipairs(types) do
   local mt = torch.getmetatable('torch.' .. ty.name .. 'Tensor')
   local smt = torch.getmetatable('torch.' .. ty.name .. 'Storage')
   storageTypes[ty.name] = {smt, ty}
   setStorage(mt, smt, ty)
   setSizes(mt)
   setGeometry(mt)
   setIndexing(mt, ty)
   setElementwise(mt, ty)
   setViews(mt, ty)
   setNew(mt, ty)
end

torch._header = {limits = limits, slow = slow, isContiguous = isContiguous,
                 nElement = nElement, storageData = storageData}
return torch._header
