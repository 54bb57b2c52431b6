-- torch: element-wise loops over small strided tensors in LuaJIT (TH's TH_TENSOR_APPLY).
--
-- torch/header.lua runs small element-wise loops when every operand is contiguous. A view that
-- is not (x:select(2, i) of a matrix, a column block, a transpose) went to Python, whose call
-- costs more than the work at these sizes. Here each operand is seen as at most three nested
-- (size, stride) levels, after merging the dimensions that are contiguous with each other;
-- the loop runs over those levels and the operands' elements pair up in row-major order, as
-- in TH's apply macros. The element-wise results do not depend on the order, only on each
-- element's own operations, which are TH's.
--
-- Used here by copy and cmul on tensors of one type, and by nn's Lua kernels (nn/kernels.lua)
-- through torch._apply. Anything else goes on to the method this one replaces (header.lua's
-- contiguous loops, then Python): more than limits.small elements, more than three levels,
-- negative strides, operands whose levels differ, an output overlapping an input other than
-- exactly, elements outside the storage.

local ffi = require 'ffi'
local bit = require 'bit'
local torch = torch
local H = torch._H
local header = torch._header
local limits = header.limits
local nElement, isContiguous, storageData = header.nElement, header.isContiguous,
   header.storageData
local getmetatable, rawget, rawset, select, type = getmetatable, rawget, rawset, select, type

ffi.cdef[[
typedef struct { int32_t n[3]; int32_t off[3]; int32_t st[3][3]; } LTApplyPlan;
]]

-- A plan for up to three operands: the common level sizes n[0..2] (outermost first) and, for
-- operand k, its first element off[k] and strides st[k][0..2]. One per runtime: plans are made
-- and used without a call in between that could make another. 32-bit integers, so that the
-- loops' index arithmetic compiles to integer instructions (elements past 2^31 - 1 of a
-- storage go to the slower paths).
local plan = ffi.new('LTApplyPlan')
local INT_MAX = 2^31 - 1

-- the levels of header h, outermost first: n0, s0, n1, s1, n2, s2 (missing outer levels have
-- size 1); nil when there are more than three or a stride is negative
local function levels(h)
   local n2, s2, n1, s1, n0, s0 = 1, 0, 1, 0, 1, 0
   local filled = 0                -- levels done, innermost first
   local cn, cs = 1, 0             -- the level being built
   for d = h.dim - 1, 0, -1 do
      local sz, st = h.size[d], h.stride[d]
      if sz ~= 1 then
         if st < 0 then return nil end
         if cn == 1 then
            cn, cs = sz, st
         elseif st == cn * cs then
            cn = cn * sz
         else
            if filled == 0 then n2, s2 = cn, cs
            elseif filled == 1 then n1, s1 = cn, cs
            else return nil end
            filled = filled + 1
            cn, cs = sz, st
         end
      end
   end
   if filled == 0 then n2, s2 = cn, cs
   elseif filled == 1 then n1, s1 = cn, cs
   else n0, s0 = cn, cs end
   return n0, s0, n1, s1, n2, s2
end

-- operand k's pointer when its elements at plan row k lie inside its storage; nil otherwise
local function inside(t, h, k, ptrType)
   local p, len = storageData(t, h, ptrType)
   if p == nil then return nil end
   local off = h.offset
   local last = off + (plan.n[0] - 1) * plan.st[k][0] + (plan.n[1] - 1) * plan.st[k][1]
                + (plan.n[2] - 1) * plan.st[k][2]
   if off < 0 or last >= len or last > INT_MAX then return nil end
   return p
end

-- row k of the plan for operand h: contiguous (strides from the common sizes), or its own
-- levels, which must be the common ones
local function fill(h, k, contiguous)
   if h.offset > INT_MAX then return false end
   plan.off[k] = h.offset
   if contiguous then
      local n1, n2 = plan.n[1], plan.n[2]
      plan.st[k][0], plan.st[k][1], plan.st[k][2] = n1 * n2, n2, 1
      return true
   end
   local n0, s0, n1, s1, n2, s2 = levels(h)
   if n0 == nil or n0 ~= plan.n[0] or n1 ~= plan.n[1] or n2 ~= plan.n[2]
         or s0 > INT_MAX or s1 > INT_MAX or s2 > INT_MAX then
      return false
   end
   plan.st[k][0], plan.st[k][1], plan.st[k][2] = s0, s1, s2
   return true
end

-- output h1 may share its storage with input h only exactly (same first element and strides)
local function apart(h1, h)
   if h1.storage ~= h.storage then return true end
   if h1.offset ~= h.offset or h1.dim ~= h.dim then return false end
   for d = 0, h1.dim - 1 do
      if h1.size[d] ~= h.size[d] or (h1.size[d] ~= 1 and h1.stride[d] ~= h.stride[d]) then
         return false
      end
   end
   return true
end

-- torch._apply.plan(ptrType, limit, t1, t2 [, t3]): the plan for output t1 and inputs t2, t3,
-- all of n elements (1 <= n <= limit, of the type ptrType points to: the caller checks the
-- tensors' type) and their data pointers; nil when the loop cannot run here
local function makePlan(ptrType, limit, t1, t2, t3)
   local h1, h2, h3 = H[t1], H[t2], nil
   if h1 == nil or h2 == nil or h1.dim < 1 or h2.dim < 1 then return nil end
   local n = nElement(h1)
   if n < 1 or n > limit or nElement(h2) ~= n or not apart(h1, h2) then return nil end
   if t3 ~= nil then
      h3 = H[t3]
      if h3 == nil or h3.dim < 1 or nElement(h3) ~= n or not apart(h1, h3) then return nil end
   end
   local c1, c2, c3 = isContiguous(h1), isContiguous(h2), h3 == nil or isContiguous(h3)
   if c1 and c2 and c3 then
      plan.n[0], plan.n[1], plan.n[2] = 1, 1, n
   else
      -- the common sizes are those of the first operand that is not contiguous
      local n0, _, n1, _, n2 = levels(not c1 and h1 or not c2 and h2 or h3)
      if n0 == nil then return nil end
      plan.n[0], plan.n[1], plan.n[2] = n0, n1, n2
   end
   if not (fill(h1, 0, c1) and fill(h2, 1, c2) and (h3 == nil or fill(h3, 2, c3))) then
      return nil
   end
   local p1 = inside(t1, h1, 0, ptrType)
   local p2 = p1 and inside(t2, h2, 1, ptrType)
   if p2 == nil then return nil end
   if h3 == nil then return p1, p2 end
   local p3 = inside(t3, h3, 2, ptrType)
   if p3 == nil then return nil end
   return p1, p2, p3
end

-- torch._apply.loop(arity, body, env): a function(plan, p1, p2, p3) running body for every
-- element; the body names the elements $1, $2, $3 and may use the fields of env as locals.
-- Each call makes a new function, hence a trace of its own for each kernel and type. When
-- every innermost stride is 1 (contiguous rows) the inner loop indexes each row's first element
-- plus the loop counter, which LuaJIT compiles to plain integer addressing (faster than the
-- general index arithmetic).
local function loop(arity, body, env)
   local names, values = {}, {}
   for k, v in pairs(env or {}) do
      names[#names + 1] = k
      values[#values + 1] = v
   end
   local ops = {}
   for k = 1, arity do ops[k] = k end
   local function each(fmt, sep)
      local parts = {}
      for _, k in ipairs(ops) do parts[#parts + 1] = (fmt:gsub('#', k - 1):gsub('@', k)) end
      return table.concat(parts, sep or ', ')
   end
   local rowBody = body:gsub('%$(%d)', 'p%1[r%1 + k]')
   local anyBody = body:gsub('%$(%d)', 'p%1[e%1]')
   local src = table.concat({
      #names > 0 and ('local ' .. table.concat(names, ', ') .. ' = ...') or '',
      'return function(pl, ' .. each('p@') .. ')',
      '   local n0, n1, n2 = pl.n[0], pl.n[1], pl.n[2]',
      each('   local o@, a@, b@, c@ = pl.off[#], pl.st[#][0], pl.st[#][1], pl.st[#][2]', '\n'),
      '   if ' .. each('c@ == 1', ' and ') .. ' then',
      '      for i = 0, n0 - 1 do',
      '         for j = 0, n1 - 1 do',
      '            local ' .. each('r@') .. ' = ' .. each('o@ + i * a@ + j * b@'),
      '            for k = 0, n2 - 1 do ' .. rowBody .. ' end',
      '         end',
      '      end',
      '      return',
      '   end',
      '   for i = 0, n0 - 1 do',
      '      local ' .. each('i@') .. ' = ' .. each('o@ + i * a@'),
      '      for j = 0, n1 - 1 do',
      '         local ' .. each('j@') .. ' = ' .. each('i@ + j * b@'),
      '         for k = 0, n2 - 1 do',
      '            local ' .. each('e@') .. ' = ' .. each('j@ + k * c@'),
      '            ' .. anyBody,
      '         end',
      '      end',
      '   end',
      'end',
   }, '\n')
   return assert(loadstring(src, '=torch.apply'))(unpack(values, 1, #names))
end

-- the C library's maths functions, as TH calls them (another file may declare them too)
for _, d in ipairs({'double exp(double);', 'float expf(float);', 'double log(double);',
                    'double tanh(double);', 'float tanhf(float);'}) do
   pcall(ffi.cdef, d)
end

-- round(x): x rounded to the tensor type's real (float for Float, nothing for Double)
local function rounding(name)
   if name ~= 'Float' then return function(x) return x end end
   local slot = ffi.new('float[1]')
   return function(x)
      slot[0] = x
      return slot[0]
   end
end

local types = {
   Double = 'double', Float = 'float', Long = 'int64_t', Int = 'int32_t', Short = 'int16_t',
   Char = 'int8_t', Byte = 'uint8_t',
}

-- torch._apply.types[metatable] = {name, ptr, size, round}: the tensor types this file knows
local byMt = {}
for name, ct in pairs(types) do
   byMt[torch.getmetatable('torch.' .. name .. 'Tensor')] =
      {name = name, ptr = ffi.typeof(ct .. ' *'), size = ffi.sizeof(ct), round = rounding(name)}
end

-- Copies and zeroing are memory moves: memcpy and memset when the elements are one run, an
-- element loop otherwise. Products and sums of two tensors are memory-bound too (about 0.3 ns
-- an element here): at 16384 elements (an LSTM's gates) the loop took 4.5 us where the call
-- into numpy took 8-40 us inside a training step. Past COPY_LIMIT elements numpy (and its
-- threads) take them.
local COPY_LIMIT = 65536

-- the plan's operands are single runs (all contiguous)
local function runs(arity)
   if plan.n[0] ~= 1 or plan.n[1] ~= 1 then return false end
   for k = 0, arity - 1 do
      if plan.st[k][2] ~= 1 then return false end
   end
   return true
end

-- Rows of at least ROW_LEAST elements, contiguous in every operand (a select of a matrix's
-- column block, nn.SplitTable's gradInput slices), are copied or zeroed row by row with
-- memcpy and memset rather than by the element loop: 32 rows of 128 doubles, in cache, select
-- included, copy 1.6-1.8 us against 3.8-4.0 (zero 1.1 against 2.5); 64 rows of 8 elements
-- 0.27-0.39 against 0.72-0.91, of 4 0.50-0.62 either way (same run, alternating).
local ROW_LEAST = 8

-- the plan's innermost level is rows of at least ROW_LEAST elements, contiguous in all of the
-- arity operands
local function rows(arity)
   if plan.n[2] < ROW_LEAST then return false end
   for k = 0, arity - 1 do
      if plan.st[k][2] ~= 1 then return false end
   end
   return true
end

-- sizes of headers h and g are the same
local function sameSizes(h, g)
   if h.dim ~= g.dim then return false end
   for d = 0, h.dim - 1 do
      if h.size[d] ~= g.size[d] then return false end
   end
   return true
end

-- Past COPY_LIMIT elements, contiguous x:cmul(y), x:add(y), r:cmul(a, b) and r:add(a, b) of
-- Double and Float run in tensor/native.py's machine code, called from here: split between
-- this thread and a worker that never takes Python's GIL (from split elements and two threads
-- under torch.getnumthreads()), or all here on one thread. No call into Python: on one thread
-- x:cmul(y) of 1e6 doubles took 6-8 us less than through numpy; on two, Python's worker threads
-- started their half only once they held the GIL (158-204 us against about 130 for a half).
ffi.cdef[[
typedef struct { long kind, lo, hi; void *dst; const void *a, *b; const void *consts;
                 void *cexp; } LTNativeJob;
typedef void (*LTNativeRun)(void *pool, const LTNativeJob *job, long n, long chunk, long worker);
]]
local native = {job = ffi.new('LTNativeJob')}   -- pool, run, split: set on first use

local function nativeReady()
   if native.run == nil then
      local ok, pool, run, split = pcall(torch._py.native_pool)
      if not ok or pool == 0 then
         native.run = false
      else
         native.pool, native.split = ffi.cast('void *', pool), split
         native.run = ffi.cast('LTNativeRun', run)
      end
   end
   return native.run
end

-- the chunks of a split of n elements (native.chunk in Python: 8, multiples of 16 elements)
local function chunkOf(n)
   return bit.band(math.ceil(n / 8) + 15, -16)
end

-- torch.getnumthreads(), kept until torch.setnumthreads: asking Python at each split cost
-- 2-3 us a call (on the two-thread path only, from native.split elements)
local threadCount
do
   local setNumThreads = torch.setnumthreads
   function torch.setnumthreads(...)
      threadCount = nil
      return setNumThreads(...)
   end
end

-- dst = a op b over n contiguous elements at these pointers (plan made, operands apart or the
-- same), or dst = f(a) with b nil: kind as tensor/native.py's KINDS
local function nativeBinary(kind, n, dst, a, b)
   local job = native.job
   job.kind, job.dst, job.a, job.b = kind, dst, a, b
   local worker = 0
   if n >= native.split then
      if threadCount == nil then threadCount = torch.getnumthreads() end
      if threadCount >= 2 then worker = 1 end
   end
   native.run(native.pool, job, n, chunkOf(n), worker)
end

-- dst = a op b on the pool when they are contiguous tensors of more than COPY_LIMIT elements
-- (the caller checked their type and sizes); false: not done
local function nativeLarge(ptrType, kind, dst, a, b)
   local h = H[dst]
   if h == nil or nElement(h) <= COPY_LIMIT or not nativeReady() then return false end
   local p1, p2, p3 = makePlan(ptrType, INT_MAX, dst, a, b)
   if p1 == nil or not runs(3) then return false end
   nativeBinary(kind, plan.n[2], p1 + plan.off[0], p2 + plan.off[1], p3 + plan.off[2])
   return true
end

-- From NATIVE_LEAST elements, contiguous products and sums of Double and Float run in the
-- pool's machine code on this thread (four or eight lanes a step) instead of LuaJIT's loop (one
-- element a step): r:cmul(a, b) of 4096 doubles 1.1 us against 2.6, of 16384 3.8 against 9.4,
-- of 128 0.17 against 0.29; below about 64 elements the call costs what it saves (same run,
-- alternating, machine busy). The results are the same: one IEEE product or sum an element.
local NATIVE_LEAST = 128

-- method name of metatable mt: x:name(y) is x = x op y, r:name(a, b) is r = a op b, element by
-- element on tensors of mt's type; anything else goes to the method it replaces
local function binary(mt, ptrType, name, op, kind)
   local blas = torch._blas
   local viaBlas = name == 'add' and blas ~= nil and blas.addLeast ~= nil
   local inPlace = loop(2, '$1 = $1 ' .. op .. ' $2')
   local into = loop(3, '$1 = $2 ' .. op .. ' $3')
   local slow = rawget(mt, name)
   rawset(mt, name, function(self, ...)
      local nargs = select('#', ...)
      if getmetatable(self) == mt then
         local a, b = ...
         if nargs == 1 and getmetatable(a) == mt then
            local p1, p2 = makePlan(ptrType, COPY_LIMIT, self, a)
            if p1 ~= nil then
               -- x:add(y) on contiguous tensors from blas.addLeast elements: BLAS axpy
               -- (torch/blas.lua), TH's own call, runs 3-4x faster than this loop
               if viaBlas and plan.n[2] >= blas.addLeast and blas.enabled and runs(2) then
                  return slow(self, ...)
               end
               if kind ~= nil and plan.n[2] >= NATIVE_LEAST and runs(2) and nativeReady() then
                  nativeBinary(kind, plan.n[2], p1 + plan.off[0], p1 + plan.off[0], p2 + plan.off[1])
                  return self
               end
               inPlace(plan, p1, p2)
               return self
            end
            if kind ~= nil and nativeLarge(ptrType, kind, self, self, a) then return self end
         elseif nargs == 2 and getmetatable(a) == mt and getmetatable(b) == mt then
            local h, ha = H[self], H[a]
            if h ~= nil and ha ~= nil and sameSizes(h, ha) then
               local p1, p2, p3 = makePlan(ptrType, COPY_LIMIT, self, a, b)
               if p1 ~= nil then
                  if kind ~= nil and plan.n[2] >= NATIVE_LEAST and runs(3) and nativeReady() then
                     nativeBinary(kind, plan.n[2], p1 + plan.off[0], p2 + plan.off[1],
                                  p3 + plan.off[2])
                     return self
                  end
                  into(plan, p1, p2, p3)
                  return self
               end
               if kind ~= nil and nativeLarge(ptrType, kind, self, a, b) then return self end
            end
         end
      end
      return slow(self, ...)
   end)
end

-- the plan's rows (rows(2)) of operand 2 copied to those of operand 1: the same elements as
-- copyLoop, whole rows at a time (operands apart or the same, as makePlan checks)
local function copyRows(pl, p1, p2, itemSize)
   local n0, n1, bytes = pl.n[0], pl.n[1], pl.n[2] * itemSize
   local o1, a1, b1 = pl.off[0], pl.st[0][0], pl.st[0][1]
   local o2, a2, b2 = pl.off[1], pl.st[1][0], pl.st[1][1]
   if p1 + o1 == p2 + o2 then return end
   for i = 0, n0 - 1 do
      for j = 0, n1 - 1 do
         ffi.copy(p1 + (o1 + i * a1 + j * b1), p2 + (o2 + i * a2 + j * b2), bytes)
      end
   end
end

local function zeroRows(pl, p, itemSize)
   local n0, n1, bytes = pl.n[0], pl.n[1], pl.n[2] * itemSize
   local o, a, b = pl.off[0], pl.st[0][0], pl.st[0][1]
   for i = 0, n0 - 1 do
      for j = 0, n1 - 1 do
         ffi.fill(p + (o + i * a + j * b), bytes, 0)
      end
   end
end

---------------------------------------------------------------------------------------------
-- x:copy(y), x:zero(), x:cmul(y), x:cmul(a, b), x:add(y), x:add(a, b) of one tensor type, any
-- strides
---------------------------------------------------------------------------------------------
for mt, ty in pairs(byMt) do
   local ptrType, itemSize = ty.ptr, ty.size
   local copyLoop = loop(2, '$1 = $2')
   local slowCopy = rawget(mt, 'copy')
   rawset(mt, 'copy', function(self, ...)
      local src = ...
      if select('#', ...) == 1 and getmetatable(self) == mt and getmetatable(src) == mt then
         local p1, p2 = makePlan(ptrType, COPY_LIMIT, self, src)
         if p1 ~= nil then
            if runs(2) then
               local a, b = p1 + plan.off[0], p2 + plan.off[1]
               if a ~= b then ffi.copy(a, b, plan.n[2] * itemSize) end
            elseif rows(2) then
               copyRows(plan, p1, p2, itemSize)
            else
               copyLoop(plan, p1, p2)
            end
            return self
         end
      end
      return slowCopy(self, ...)
   end)

   -- all bits zero is 0 in every type (+0 for Double and Float)
   local zeroLoop = loop(1, '$1 = 0')
   local slowZero = rawget(mt, 'zero')
   rawset(mt, 'zero', function(self, ...)
      if select('#', ...) == 0 and getmetatable(self) == mt then
         local p = makePlan(ptrType, COPY_LIMIT, self, self)
         if p ~= nil then
            if runs(1) then
               ffi.fill(p + plan.off[0], plan.n[2] * itemSize, 0)
            elseif rows(1) then
               zeroRows(plan, p, itemSize)
            else
               zeroLoop(plan, p)
            end
            return self
         end
      end
      return slowZero(self, ...)
   end)

   -- x:cmul(y): x = x * y; r:cmul(a, b): r = a * b. x:add(y): x = x + y; r:add(a, b): r = a + b
   -- (TH's cadd with value 1: x + 1 * y is x + y, with or without a fused multiply-add). The
   -- three-operand forms only when r already has a's sizes (TH resizes r: Python does that).
   if ty.name == 'Double' or ty.name == 'Float' then
      local float = ty.name == 'Float' and 2 or 0
      binary(mt, ptrType, 'cmul', '*', 0 + float)
      binary(mt, ptrType, 'add', '+', 1 + float)
   end
end

---------------------------------------------------------------------------------------------
-- x:exp() and r:exp(x) of contiguous DoubleTensors (r already of x's sizes): tensor/vexp.py's
-- kernel (glibc's exp, four lanes at a time, the same bits) on the pool, without the call into
-- Python (17-21 us whatever the size: r:exp(x) of 1023 doubles took 21.5 us through Python,
-- 0.9 here); x:tanh(), x:sigmoid() and their r: forms likewise with vtanh and vsigmoid
---------------------------------------------------------------------------------------------
do
   local mt = torch.getmetatable('torch.DoubleTensor')
   local doublePtr = ffi.typeof('double *')
   local function expReady()
      if native.exp == nil then
         native.exp = false
         local ok, consts, cexp = pcall(torch._py.native_exp)
         if ok and consts ~= 0 and nativeReady() then
            native.consts, native.cexp = ffi.cast('void *', consts), ffi.cast('void *', cexp)
            native.exp = true
         end
      end
      return native.exp
   end
   local function tanhReady()
      if native.tanh == nil then
         native.tanh = false
         local ok, fn, ctanh = pcall(torch._py.vtanh_fn)
         if ok and fn ~= 0 and nativeReady() then
            native.ctanh = ffi.cast('void *', ctanh)
            native.tanh = true
         end
      end
      return native.tanh
   end
   -- the method name on the pool as job kind (tensor/native.py's KINDS)
   local function onPool(name, kind, ready)
      local slow = rawget(mt, name)
      rawset(mt, name, function(self, ...)
         local nargs = select('#', ...)
         local src = self
         if nargs == 1 then src = ... end
         if nargs <= 1 and getmetatable(self) == mt and getmetatable(src) == mt then
            local h, hs = H[self], H[src]
            if h ~= nil and hs ~= nil and (src == self or sameSizes(h, hs))
                  and nElement(h) >= 1 and ready() then
               local p1, p2 = makePlan(doublePtr, INT_MAX, self, src)
               if p1 ~= nil and runs(2) then
                  local job = native.job
                  if kind == 5 then
                     job.consts, job.cexp = nil, native.ctanh
                  else
                     job.consts, job.cexp = native.consts, native.cexp
                  end
                  nativeBinary(kind, plan.n[2], p1 + plan.off[0], p2 + plan.off[1], nil)
                  return self
               end
            end
         end
         return slow(self, ...)
      end)
   end
   onPool('exp', 4, expReady)
   onPool('tanh', 5, tanhReady)
   onPool('sigmoid', 6, expReady)  -- vsigmoid: TH_sigmoid over vexp
end

---------------------------------------------------------------------------------------------
-- x:view(sizes) with the sizes in a LongStorage, and x:viewAs(y): header.lua's view of the
-- numbers (nn.Reshape and nn.View call these on every pass)
---------------------------------------------------------------------------------------------
local longStorageMt = torch.getmetatable('torch.LongStorage')

-- x:view(n1, ..., nd) for the d <= 4 numbers of array a (a LongStorage or a header's size)
local function viewOf(self, view, d, a, base)
   if d == 1 then return view(self, a[base]) end
   if d == 2 then return view(self, a[base], a[base + 1]) end
   if d == 3 then return view(self, a[base], a[base + 1], a[base + 2]) end
   return view(self, a[base], a[base + 1], a[base + 2], a[base + 3])
end

for mt in pairs(byMt) do
   local view, slowViewAs = rawget(mt, 'view'), rawget(mt, 'viewAs')
   rawset(mt, 'view', function(self, ...)
      local s = ...
      if select('#', ...) == 1 and getmetatable(s) == longStorageMt and H[self] ~= nil then
         local d = #s
         if d >= 1 and d <= 4 then return viewOf(self, view, d, s, 1) end
      end
      return view(self, ...)
   end)

   rawset(mt, 'viewAs', function(self, ...)
      local y = ...
      local h = select('#', ...) == 1 and H[self] ~= nil and torch.isTensor(y) and H[y]
      if h and h.dim >= 1 and h.dim <= 4 then return viewOf(self, view, h.dim, h.size, 0) end
      return slowViewAs(self, ...)
   end)
end

torch._apply = {plan = makePlan, state = plan, loop = loop, types = byMt, levels = levels}
return torch._apply
