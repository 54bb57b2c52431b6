-- torch: BLAS called from LuaJIT through the FFI, as Torch7's TH calls it.
--
-- addmm, addmv, addr, mm, mv, ger, baddbmm, addbmm, bmm, dot, add(value, tensor) and the `*` of
-- matrices and vectors, on Double and Float tensors, call the very BLAS library Python uses
-- (tensor/blas.py: the system OpenBLAS, Torch7's own) without leaving LuaJIT. The decisions
-- are TH's (THTensor_(addmm), (addmv), (addr), (baddbmm), (addbmm), (dot), (cadd) and THBlas):
-- which operand is transposed, the leading dimensions, alpha and beta, the result copied from
-- t, zeroed or scaled first, a result BLAS cannot write computed in a clone, an operand with
-- unusable strides copied first. The same routine called with the same arguments gives the
-- same bits as Torch7 (tests/same_bits/blas.lua).
--
-- Anything unusual goes to the Python method by a tail call, which does the work or raises
-- Torch's error at the user's line: wrong argument forms, types or sizes, a result that must
-- be resized first, strides or leading dimensions BLAS refuses (TH's own loops then), empty
-- tensors, a storage Lua must not write.
--
-- The library is shared with Python and with other runtimes on other threads: every call
-- holds the mutex blas.py holds around its own calls. Lua only tries it; when another thread
-- is inside BLAS, the call goes to Python, which waits for it without the risk of a deadlock.
-- The thread count is the library's own setting, the same for every caller, except for the
-- small calls a probe showed to give the same bits on one thread (below).

local ffi = require 'ffi'
local torch = torch
local py = torch._py
local H = torch._H
local header = torch._header
local type, select, getmetatable, rawget, rawset = type, select, getmetatable, rawget, rawset

-- enabled: false sends every call to Python (tests, benchmarks); calls: BLAS calls made here
local M = {enabled = false, calls = 0, serial = {}}
-- x:add(y) and x:add(1, y) on at least this many contiguous elements call axpy here, TH's own
-- call: OpenBLAS's vector kernel, without Python's call around numpy's loop past 65536
-- elements, 2-7x faster than LuaJIT's loops below (CPU time per call, AMD EPYC, x:add(y) /
-- x:add(1, y): 85 / 62 ns against 435 / 172 at 16 elements, 229 / 209 against 916 / 868 at
-- 1024, 1.3 us against 5.2 at 8192, 15.6 against 74 at 65536); at 4 elements the loop and
-- the call cost about the same (54 / 63 ns)
M.addLeast = 8
-- axpy on fewer elements runs on one OpenBLAS thread (OpenBLAS itself splits past 10000):
-- waking the library's threads cost more than the work saved, and a thread another process
-- holds the core of would stall the call; and after each threaded call the library's worker spins
-- (sched_yield) for a while, which on this 2-vCPU guest slowed the calling thread: benchmark h
-- (one 107K-element axpy a step) on two threads ran 51-58 ms a step with the limit at 65536 and
-- 44-47 ms at 2^19 (system CPU 1.2 s against 0.55 s), alternating runs in one session
M.threadedAxpyLeast = 524288
torch._blas = M

---------------------------------------------------------------------------------------------
-- resize and resizeAs to the sizes a tensor already has: nothing to do (TH returns early,
-- strides untouched). Every nn module calls them before its BLAS work; a call into Python
-- here would cost more than the work and stop LuaJIT's traces.
--
-- Sizing an empty tensor (what a module's output and gradInput are until its first call) is
-- first-use work (torch._firstUse: no trace records it).
---------------------------------------------------------------------------------------------
local firstUse = torch._firstUse

for _, name in ipairs({'Double', 'Float', 'Long', 'Int', 'Short', 'Char', 'Byte'}) do
   local mt = torch.getmetatable('torch.' .. name .. 'Tensor')
   local slowResize, slowResizeAs = rawget(mt, 'resize'), rawget(mt, 'resizeAs')

   rawset(mt, 'resize', function(self, ...)
      local h = H[self]
      local nd = select('#', ...)
      if h ~= nil and h.dim == 0 then return firstUse(slowResize, self, ...) end
      if h ~= nil and h.dim == nd and nd >= 1 and nd <= 4 then
         local a, b, c, d = ...
         if a == h.size[0] and (nd < 2 or b == h.size[1]) and (nd < 3 or c == h.size[2])
               and (nd < 4 or d == h.size[3]) then
            return self
         end
      end
      return slowResize(self, ...)
   end)

   rawset(mt, 'resizeAs', function(self, ...)
      local src = ...
      local h, hs = H[self], H[src]
      if h ~= nil and h.dim == 0 then return firstUse(slowResizeAs, self, ...) end
      if h ~= nil and hs ~= nil and select('#', ...) == 1 and getmetatable(src) == mt then
         local nd = h.dim
         -- loop-free (a loop here stops the traces of the caller's loop)
         if nd >= 1 and nd <= 4 and nd == hs.dim and h.size[0] == hs.size[0]
               and (nd < 2 or h.size[1] == hs.size[1]) and (nd < 3 or h.size[2] == hs.size[2])
               and (nd < 4 or h.size[3] == hs.size[3]) then
            return self
         end
      end
      return slowResizeAs(self, ...)
   end)
end

---------------------------------------------------------------------------------------------
-- M.transposed(t): t:t() for a BLAS operand, one view per matrix kept while it matches t's
-- geometry and storage (nn.Linear transposes its weight on every call: a new view each time
-- cost more than the BLAS call)
---------------------------------------------------------------------------------------------
local transposedOf = setmetatable({}, {__mode = 'k'})
function M.transposed(t)
   local v = transposedOf[t]
   if v ~= nil then
      local h, hv = H[t], H[v]
      if h ~= nil and hv ~= nil and h.dim == 2 and hv.dim == 2 and hv.storage == h.storage
            and hv.offset == h.offset and hv.size[0] == h.size[1] and hv.size[1] == h.size[0]
            and hv.stride[0] == h.stride[1] and hv.stride[1] == h.stride[0] then
         return v
      end
   end
   v = t:t()
   transposedOf[t] = v
   return v
end

local libName, mutexAddress
if header ~= nil and py.blas_ffi ~= nil then libName, mutexAddress = py.blas_ffi() end
if libName == nil then return M end  -- Python calls another BLAS (or none): it does the work

local declarations = {
   'void dgemm_(const char *, const char *, const int *, const int *, const int *, ' ..
      'const double *, const double *, const int *, const double *, const int *, ' ..
      'const double *, double *, const int *);',
   'void sgemm_(const char *, const char *, const int *, const int *, const int *, ' ..
      'const float *, const float *, const int *, const float *, const int *, ' ..
      'const float *, float *, const int *);',
   'void dgemv_(const char *, const int *, const int *, const double *, const double *, ' ..
      'const int *, const double *, const int *, const double *, double *, const int *);',
   'void sgemv_(const char *, const int *, const int *, const float *, const float *, ' ..
      'const int *, const float *, const int *, const float *, float *, const int *);',
   'void dger_(const int *, const int *, const double *, const double *, const int *, ' ..
      'const double *, const int *, double *, const int *);',
   'void sger_(const int *, const int *, const float *, const float *, const int *, ' ..
      'const float *, const int *, float *, const int *);',
   'void daxpy_(const int *, const double *, const double *, const int *, double *, ' ..
      'const int *);',
   'void saxpy_(const int *, const float *, const float *, const int *, float *, const int *);',
   'double ddot_(const int *, const double *, const int *, const double *, const int *);',
   'float sdot_(const int *, const float *, const int *, const float *, const int *);',
   'int pthread_mutex_trylock(void *);',
   'int pthread_mutex_unlock(void *);',
}
for _, d in ipairs(declarations) do pcall(ffi.cdef, d) end  -- another file may declare them too

local okLoad, lib = pcall(ffi.load, libName)
if not okLoad then return M end
local function symbol(name) return lib[name] end
for _, name in ipairs({'dgemm_', 'sgemm_', 'dgemv_', 'sgemv_', 'dger_', 'sger_', 'daxpy_',
                       'saxpy_', 'ddot_', 'sdot_'}) do
   if not pcall(symbol, name) then return M end
end
local C = ffi.C
if not (pcall(function() return C.pthread_mutex_trylock end)
        and pcall(function() return C.pthread_mutex_unlock end)) then
   return M
end

pcall(ffi.cdef, 'void *malloc(size_t);')  -- the probes' operands (below)
pcall(ffi.cdef, 'void free(void *);')

-- OpenBLAS's own thread count (nil with another BLAS library)
pcall(ffi.cdef, 'int openblas_get_num_threads(void);')
pcall(ffi.cdef, 'void openblas_set_num_threads(int);')
local getThreads, setThreads
do
   local okGet, g = pcall(function() return lib.openblas_get_num_threads end)
   local okSet, st = pcall(function() return lib.openblas_set_num_threads end)
   if okGet and okSet then getThreads, setThreads = g, st end
end

-- torch.getnumthreads(), kept until torch.setnumthreads (asking Python each time cost more than
-- a 1e5-element axpy's call)
local threadCount
local function numThreads()
   if threadCount == nil then threadCount = torch.getnumthreads() end
   return threadCount
end
local pySetNumThreads = torch.setnumthreads
function torch.setnumthreads(...)
   threadCount = nil
   return pySetNumThreads(...)
end

local mutex = ffi.cast('void *', mutexAddress)
local trylock, unlock = C.pthread_mutex_trylock, C.pthread_mutex_unlock

-- The mutex, taken without waiting (another thread inside BLAS: the call goes to Python, which
-- waits). It checks its owner (blas.py says why): a call made from a finalizer while this very
-- thread holds it, or after an interrupt left it held, goes to Python too, and goes on.
local function acquire()
   return trylock(mutex) == 0
end
local function release()
   unlock(mutex)
end
-- the end of pcall(body, ...) under the mutex: released whatever happened in body (an
-- interrupt from a debug hook, an allocation failing), and body's error raised again
local function finish(ok, err)
   release()
   if not ok then error(err, 0) end
   return true
end

---------------------------------------------------------------------------------------------
-- One thread for small calls, when it gives the same bits.
--
-- OpenBLAS threads a gemm past 262144 multiply-adds and a gemv or ger past 8-9K elements: an
-- LSTM step's 32 x 512 x 128 products and 512 x 32 bias gradients are threaded. Measured on
-- the 2-core machine with other work on it (load 4-7): 32 x 512 x 64 took 55 us on one thread
-- and 67 on two (minima; medians 59 and 148), 512 x 64 x 128 191 and 344, and two threads won
-- nowhere up to 1024 x 128 x 784; every threaded call waits for the other core, and whole LSTM
-- steps took 100-600 ms instead of 40-70.
-- But the thread count is part of the result: OpenBLAS 0.3.21 splits the rows, and its edge
-- kernels accumulate in another order, so about half of the threaded gemm shapes tried give
-- other bits on one thread than on two (Torch7 runs the library's default count). So a call
-- shape (routine, transposes, sizes, whether alpha is 1 and beta 0 or 1) runs on one thread
-- only once a probe showed it bit-identical: the same call on operands whose exponents span
-- 2^-8..2^8 (so any change of summation order shows in the last bits), once on one thread and
-- once on the library's count. Shapes whose results differ keep the library's count.
---------------------------------------------------------------------------------------------
local SERIAL_MAX = 4194304  -- work (multiply-adds or elements) up to which one thread is tried
local SERIAL_SHAPES = 4096  -- at most this many shapes probed per type (then: library's count)

---------------------------------------------------------------------------------------------
-- Two threads for mid-size gemm calls, when it gives the same bits.
--
-- The calls run on one thread above cost more than half of an LSTM step (benchmark h: 225
-- calls of 32 x 512 x 64 to 32 x 128 x 512 a step) while the second core idles: OpenBLAS's
-- own threads cost more to wake than they save at these sizes, and their spinning
-- (sched_yield) after each call slowed the calling thread on the 2-vCPU guest. Instead such a
-- call is cut in two along the larger dimension of C (its rows: the rows of A; its columns:
-- the columns of B), each part a gemm call on one OpenBLAS thread, the caller running one
-- part and the native pool's worker (tensor/native.py, scripts/native/pool.c) the other,
-- taken as in its element-wise jobs: a worker that does not come leaves both parts to the
-- caller, the same calls. The library may take other kernels for a part than for the whole
-- (OpenBLAS 0.3.21's SkylakeX small-matrix kernels below 100^3 multiply-adds sum the inner
-- dimension in another order), so a shape is split only once a probe as above showed the
-- parts give the bits of the call as the library makes it on its own count; under
-- torch.setnumthreads(1), with LUATORCH_NATIVE=0 or without the pool the calls run as above.
---------------------------------------------------------------------------------------------
-- work (multiply-adds) from which a gemm is split
M.splitLeast = 262144
-- split calls made, and those the worker took a part of (its last job done is the last posted)
M.splitCalls, M.splitShared = 0, 0
-- the parts start at multiples of this many rows or columns (OpenBLAS's kernels take 16 x 2,
-- 4 x 8 or 16 x 4 blocks: whole blocks keep the edge kernels where the whole call has them)
local SPLIT_ALIGN = 16
M.split = {}

pcall(ffi.cdef, [[
typedef struct { long kind, lo, hi; void *dst; const void *a, *b; const void *consts;
                 void *cexp; } LTBlasJob;
typedef struct { void *f; const char *ta, *tb; const void *alpha, *beta; const void *a, *b;
                 void *c; int m, n, k, lda, ldb, ldc; long dim, part, size; } LTBlasGemm;
typedef void (*LTBlasRun)(void *pool, const LTBlasJob *job, long n, long chunk, long worker);
]])
local GEMM_JOB = 7  -- pool.c's GEMM kind (tensor/native.py's KINDS.gemm)
M.gemmJob = GEMM_JOB  -- for tests
local transChar = {n = ffi.new('char[2]', 'n'), t = ffi.new('char[2]', 't')}
-- the pool's address and pool_run, asked for at the first split (which starts the worker);
-- run false: no pool here
local pool = {}
M.pool = pool  -- for tests
local function poolRun()
   if pool.run == nil then
      pool.run = false
      local ok, at, run = pcall(py.native_pool)
      if ok and type(at) == 'number' and at ~= 0 then
         pool.at, pool.run = ffi.cast('void *', at), ffi.cast('LTBlasRun', run)
         pool.word = ffi.cast('volatile int *', at)  -- seq (the last job) and done (0, 2)
      end
   end
   return pool.run
end

-- n probe values at p: an LCG's draws scaled by powers of two from 2^-8 to 2^8
local function probeFill(p, n, seed)
   local s = seed
   for i = 0, n - 1 do
      s = (s * 16807) % 2147483647
      local u = s / 2147483647 - 0.5
      s = (s * 16807) % 2147483647
      p[i] = u * 2 ^ (s % 17 - 8)
   end
end

-- the n elements at p and q have the same bits (bitsType: an integer pointer of their width)
local function sameBits(p, q, n, bitsType)
   local a, b = ffi.cast(bitsType, p), ffi.cast(bitsType, q)
   for i = 0, n - 1 do
      if a[i] ~= b[i] then return false end
   end
   return true
end

local storageData, isContiguous, nElement = header.storageData, header.isContiguous,
                                            header.nElement
local allocTensor = torch._allocTensor
local INTMAX = 2147483647
local min = math.min

-- the Fortran interface takes every argument by reference: one set of slots, reused
local I = ffi.new('int[6]')
local I1, I2, I3, I4, I5 = I + 1, I + 2, I + 3, I + 4, I + 5

---------------------------------------------------------------------------------------------
-- operands: a typed pointer to the first element, sizes and strides (a vector is a column)
---------------------------------------------------------------------------------------------

-- the typed pointer to the first element of the non-empty 1-D, 2-D or 3-D tensor t (header h)
-- when all its elements lie inside its storage and its strides are not negative; else nil
local function elements(t, h, ptrType)
   local p, len = storageData(t, h, ptrType)
   if p == nil then return nil end
   -- loop-free: a loop here would stop the traces of the caller's loops
   local off, d = h.offset, h.dim
   local s0 = h.stride[0]
   if off < 0 or s0 < 0 then return nil end
   local last = off + (h.size[0] - 1) * s0
   if d >= 2 then
      local s1 = h.stride[1]
      if s1 < 0 then return nil end
      last = last + (h.size[1] - 1) * s1
      if d == 3 then
         local s2 = h.stride[2]
         if s2 < 0 then return nil end
         last = last + (h.size[2] - 1) * s2
      end
   end
   if last >= len then return nil end
   return p + off
end

-- the same for the n elements of a contiguous tensor of any dimension
local function run(t, h, ptrType, n)
   local p, len = storageData(t, h, ptrType)
   if p == nil then return nil end
   local off = h.offset
   if off < 0 or off + n > len then return nil end
   return p + off
end

-- element (i, j) of an n0 x n1 matrix at p with strides s0, s1 is p[i * s0 + j * s1]
local function copy2(p, s0, s1, q, t0, t1, n0, n1)
   for i = 0, n0 - 1 do
      for j = 0, n1 - 1 do p[i * s0 + j * s1] = q[i * t0 + j * t1] end
   end
end

local function fill2(p, s0, s1, n0, n1, v)
   for i = 0, n0 - 1 do
      for j = 0, n1 - 1 do p[i * s0 + j * s1] = v end
   end
end

-- v: the factor as the tensor's type holds it (a float times a float factor is exact in
-- double, so storing the product rounds it once, as a float multiplication does)
local function scale2(p, s0, s1, n0, n1, v)
   for i = 0, n0 - 1 do
      for j = 0, n1 - 1 do p[i * s0 + j * s1] = p[i * s0 + j * s1] * v end
   end
end

-- BLAS's leading-dimension check for a column-major rows-row matrix
local function ldOk(ld, rows)
   return ld >= rows and ld >= 1 and ld <= INTMAX
end

local function incOk(inc)
   return inc >= 1 and inc <= INTMAX
end

-- alpha 1 or not, beta 0, 1 or other, as one number (part of a call shape's key): alpha 1 ->
-- 0, other -> 1; beta 0 -> 0, 1 -> 2, other -> 4. Alpha and beta 0 or 1 by table look-up:
-- comparisons would be guards in the caller's trace, and the calls of a network alternate
-- beta 0 and 1 (nn.Linear's products), so that a trace of addmm recorded with one left by that
-- guard for the other on every call, deep in the caller's code, where LuaJIT could not
-- assemble the side trace (NYI: register coalescing too complex): benchmark h on two threads,
-- 242-496 aborts in 12 steps in half the runs
local alphaFlag = setmetatable({1, 0}, {__index = function() return 1 end})
local betaFlag = setmetatable({0, 2}, {__index = function() return 4 end})
local function flags(alpha, beta)
   return alphaFlag[alpha + 1] + betaFlag[beta + 1]
end
M.flags = flags  -- for tests

---------------------------------------------------------------------------------------------
-- the calls, for each type
---------------------------------------------------------------------------------------------
local function install(mt, ty)
   local ptrType = ffi.typeof(ty.real .. ' *')
   local bufType = ffi.typeof(ty.real .. '[?]')
   local S = ffi.new(ty.real .. '[2]')  -- alpha and beta
   local S1 = S + 1
   local gemm, gemv, ger = lib[ty.p .. 'gemm_'], lib[ty.p .. 'gemv_'], lib[ty.p .. 'ger_']
   local axpy, dot = lib[ty.p .. 'axpy_'], lib[ty.p .. 'dot_']
   local scratch = ffi.new('LTTensorHeader')

   -- the probes (see "One thread for small calls"): serial[key1][key2] is true when the call
   -- shape runs on one thread, false when it keeps the library's count
   local bitsType = ffi.typeof(ty.real == 'double' and 'uint64_t *' or 'uint32_t *')
   local serial, probed = {}, 0
   M.serial[ty.real] = serial  -- for tests
   local PA, PB = ffi.new('int[6]'), ffi.new(ty.real .. '[2]')

   -- the bits of f's result on one thread and on nt threads: call(f, nt, a, x, c) makes the
   -- call on operands a, x into c; sizes: elements of a, x and c; the same bits or not
   -- (the operands are one block of C's heap, freed on return: as Lua buffers they waited for
   -- the next cycle, and the MLP benchmark's first steps peaked 4 MB above its later ones)
   local realPointer = ffi.typeof(ty.real .. ' *')
   -- call1: the call as tried (on one thread); call2: as the library makes it (nt threads)
   local function probe(call1, call2, f, nt, na, nx, nc)
      local block = C.malloc((na + nx + 2 * nc) * ffi.sizeof(ty.real))
      if block == nil then return false end
      block = ffi.gc(block, C.free)  -- freed by the collector only if a step below raised
      local a = ffi.cast(realPointer, block)
      local x = a + na
      local c1 = x + nx
      local c2 = c1 + nc
      probeFill(a, na, 12345)
      probeFill(x, nx, 54321)
      probeFill(c1, nc, 777)
      probeFill(c2, nc, 777)
      setThreads(1)
      call1(f, a, x, c1)
      setThreads(nt)
      call2(f, a, x, c2)
      local same = sameBits(c1, c2, nc, bitsType)
      C.free(ffi.gc(block, nil))
      return same
   end

   -- whether this call shape runs on one thread (probed the first time); key1 and key2 are
   -- numbers naming it, work its size, sizes and call as probe's; call1 (default call) the
   -- way it is tried, answers the table of the answers (default serial)
   local function serialOk(key1, key2, nt, call, f, na, nx, nc, call1, answers)
      answers = answers or serial
      key2 = key2 * 256 + min(nt, 255)  -- the answer for this thread count
      local row = answers[key1]
      local known = row and row[key2]
      if known ~= nil then return known end
      if probed >= SERIAL_SHAPES then return false end
      probed = probed + 1
      known = probe(call1 or call, call, f, nt, na, nx, nc)
      if row == nil then
         row = {}
         answers[key1] = row
      end
      row[key2] = known
      return known
   end


   -- the probe calls: the sizes, transposes, alpha and beta of the call (in PA and PB)
   local function gemmProbe(f, a, b, c)
      local m, n, k = PA[0], PA[1], PA[2]
      local ta, tb = PA[3] == 0 and 'n' or 't', PA[4] == 0 and 'n' or 't'
      I[0], I1[0], I2[0] = m, n, k
      I3[0], I4[0], I5[0] = ta == 'n' and m or k, tb == 'n' and k or n, m
      S[0], S1[0] = PB[0], PB[1]
      f(ta, tb, I, I1, I2, S, a, I3, b, I4, S1, c, I5)
   end
   local function gemvProbe(f, a, x, y)
      local rows, cols, trans = PA[0], PA[1], PA[3] == 0 and 'n' or 't'
      I[0], I1[0], I2[0], I3[0], I4[0] = rows, cols, rows, 1, 1
      S[0], S1[0] = PB[0], PB[1]
      f(trans, I, I1, S, a, I2, x, I3, S1, y, I4)
   end
   local function gerProbe(f, xy, _, a)
      local m, n = PA[0], PA[1]
      I[0], I1[0], I2[0], I3[0], I4[0] = m, n, 1, 1, m
      S[0] = PB[0]
      f(I, I1, S, xy, I2, xy + m, I3, a, I4)
   end

   -- the split calls (see "Two threads for mid-size gemm calls"): G holds the call, job posts it
   local G, job = ffi.new('LTBlasGemm'), ffi.new('LTBlasJob')
   G.f, G.alpha, G.beta, G.size = ffi.cast('void *', gemm), S, S1, ffi.sizeof(ty.real)
   job.kind, job.dst = GEMM_JOB, G
   local splits = {}
   M.split[ty.real] = splits  -- for tests

   -- G set for the call (operands at a, b, c) cut along dimension dim of C into parts
   local function splitCall(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, dim, part)
      G.ta, G.tb, G.a, G.b, G.c = transChar[ta], transChar[tb], a, b, c
      G.m, G.n, G.k, G.lda, G.ldb, G.ldc = m, n, k, lda, ldb, ldc
      G.dim, G.part = dim, part
   end

   -- the dimension of C an m x n gemm is cut along (0: rows, 1: columns), its extent and the
   -- parts' extent (the larger dimension: the operand each part reads whole, and packs, is
   -- then the smaller one); nil when too small to cut
   local function splitPlan(m, n)
      local dim, extent = 0, m
      if n > m then dim, extent = 1, n end
      local part = bit.band(math.ceil(extent / 2) + SPLIT_ALIGN - 1, -SPLIT_ALIGN)
      if part >= extent then return nil end
      return dim, extent, part
   end

   -- the probe's split call, all parts on this thread (the worker's parts are the same calls)
   local function gemmSplitProbe(_, a, b, c)
      local m, n, k = PA[0], PA[1], PA[2]
      local ta, tb = PA[3] == 0 and 'n' or 't', PA[4] == 0 and 'n' or 't'
      local dim, extent, part = splitPlan(m, n)
      splitCall(ta, tb, m, n, k, a, ta == 'n' and m or k, b, tb == 'n' and k or n, c, m, dim,
                part)
      S[0], S1[0] = PB[0], PB[1]
      pool.run(pool.at, job, extent, part, 0)
   end

   -- for a gemm split in two: the library's thread count, the dimension cut, its extent and
   -- the parts' extent; else nil
   local function gemmSplit(ta, tb, m, n, k, alpha, beta)
      local work = m * n * k
      if work < M.splitLeast or work > SERIAL_MAX or setThreads == nil then return nil end
      local na, nb = m * k, k * n
      if na > SERIAL_MAX / 16 or nb > SERIAL_MAX / 16 then return nil end
      local dim, extent, part = splitPlan(m, n)
      if dim == nil or numThreads() < 2 or not poolRun() then return nil end
      local nt = getThreads()
      PA[0], PA[1], PA[2], PA[3], PA[4] = m, n, k, ta == 'n' and 0 or 1, tb == 'n' and 0 or 1
      PB[0], PB[1] = alpha, beta
      local key2 = (k * 4 + PA[3] * 2 + PA[4]) * 8 + flags(alpha, beta)
      if serialOk(m * 4194304 + n, key2, nt, gemmProbe, gemm, na, nb, m * n, gemmSplitProbe,
                  splits) then
         return nt, dim, extent, part
      end
      return nil
   end

   -- the library's thread count when this gemm runs on one thread instead, else nil
   local function gemmSerial(ta, tb, m, n, k, alpha, beta)
      local work = m * n * k
      if work <= 262144 or work > SERIAL_MAX or setThreads == nil then return nil end
      local nt = getThreads()
      local na, nb = m * k, k * n
      if nt <= 1 or na > SERIAL_MAX / 16 or nb > SERIAL_MAX / 16 then return nil end
      PA[0], PA[1], PA[2], PA[3], PA[4] = m, n, k, ta == 'n' and 0 or 1, tb == 'n' and 0 or 1
      PB[0], PB[1] = alpha, beta
      local key2 = (k * 4 + PA[3] * 2 + PA[4]) * 8 + flags(alpha, beta)
      if serialOk(m * 4194304 + n, key2, nt, gemmProbe, gemm, na, nb, m * n) then
         return nt
      end
      return nil
   end

   local function gemvSerial(trans, rows, cols, alpha, beta, incx, incy)
      local work = rows * cols
      if work < 9216 or work > SERIAL_MAX / 16 or incx ~= 1 or incy ~= 1
            or setThreads == nil then
         return nil
      end
      local nt = getThreads()
      if nt <= 1 then return nil end
      PA[0], PA[1], PA[3] = rows, cols, trans == 'n' and 0 or 1
      PB[0], PB[1] = alpha, beta
      local nx, ny = trans == 'n' and cols or rows, trans == 'n' and rows or cols
      -- key1: rows, negative (gemm's are positive)
      if serialOk(-rows, (cols * 2 + PA[3]) * 8 + flags(alpha, beta), nt, gemvProbe, gemv,
                  work, nx, ny) then
         return nt
      end
      return nil
   end

   local function gerSerial(m, n, alpha, incx, incy)
      local work = m * n
      if work <= 8192 or work > SERIAL_MAX / 16 or incx ~= 1 or incy ~= 1
            or setThreads == nil then
         return nil
      end
      local nt = getThreads()
      if nt <= 1 then return nil end
      PA[0], PA[1] = m, n
      PB[0] = alpha
      -- key1: 0.5 past -rows (gemv's are integers)
      if serialOk(-m - 0.5, n * 8 + flags(alpha, 1), nt, gerProbe, ger, m + n, 1, work) then
         return nt
      end
      return nil
   end

   -- v as the tensor's type holds it
   local function real(v)
      S[0] = v
      return S[0]
   end

   -- how THTensor_(addmm) passes operand x (x0 x x1, strides xs0, xs1) to gemm when the
   -- result is seen along dimensions i0, i1: its transpose flag, leading dimension, and
   -- whether it is first made contiguous (THTensor_(newContiguous))
   local function gemmOperand(i0, x0, x1, xs0, xs1)
      local a, b = xs0, xs1
      if i0 == 1 then a, b = xs1, xs0 end
      if a == 1 and b ~= 0 then return 'n', b, false end
      if b == 1 and a ~= 0 then return 't', a, false end
      return i0 == 0 and 't' or 'n', x1, true
   end

   -- a row-major copy of x (x0 x x1 at p, strides xs0, xs1)
   local function contiguousCopy(p, x0, x1, xs0, xs1)
      local c = bufType(x0 * x1)
      copy2(c, x1, 1, p, xs0, xs1, x0, x1)
      return c
   end

   -- addmmCore's work under the mutex: r takes t's values or zeros, the clone and copies TH
   -- makes, the gemm call, the clone copied back
   local function gemmBody(pr, m, n, rs0, rs1, pt, ts0, ts1, zero, clone, ta, p1, r1, c1, s10,
                           s11, copyA, tb, p2, r2, c2, s20, s21, copyB, bm, bn, k, lda, ldb,
                           ldc, alpha, beta)
      if pt ~= nil then copy2(pr, rs0, rs1, pt, ts0, ts1, m, n) end
      if zero then fill2(pr, rs0, rs1, m, n, 0) end
      local pc = pr
      if clone then
         pc = bufType(m * n)
         copy2(pc, 1, m, pr, rs0, rs1, m, n)
      end
      if copyA then p1 = contiguousCopy(p1, r1, c1, s10, s11) end
      if copyB then p2 = contiguousCopy(p2, r2, c2, s20, s21) end
      local nt, dim, extent, part = gemmSplit(ta, tb, bm, bn, k, alpha, beta)
      if nt ~= nil then
         splitCall(ta, tb, bm, bn, k, p1, lda, p2, ldb, pc, ldc, dim, part)
         S[0], S1[0] = alpha, beta
         local posted = pool.word[0]
         setThreads(1)
         pool.run(pool.at, job, extent, part, 1)
         setThreads(nt)
         M.splitCalls = M.splitCalls + 1
         if pool.word[0] ~= posted and pool.word[2] == pool.word[0] then
            M.splitShared = M.splitShared + 1
         end
         if clone then copy2(pr, rs0, rs1, pc, 1, m, m, n) end
         M.calls = M.calls + 1
         return true
      end
      nt = gemmSerial(ta, tb, bm, bn, k, alpha, beta)
      I[0], I1[0], I2[0], I3[0], I4[0], I5[0] = bm, bn, k, lda, ldb, ldc
      S[0], S1[0] = alpha, beta
      if nt ~= nil then
         setThreads(1)
         gemm(ta, tb, I, I1, I2, S, p1, I3, p2, I4, S1, pc, I5)
         setThreads(nt)
      else
         gemm(ta, tb, I, I1, I2, S, p1, I3, p2, I4, S1, pc, I5)
      end
      if clone then copy2(pr, rs0, rs1, pc, 1, m, m, n) end
      M.calls = M.calls + 1
      return true
   end

   -- THTensor_(addmm)(r, beta, t, alpha, a, b) once its checks passed: r is m x n (at pr,
   -- strides rs0, rs1), a is m x k and b is k x n; before the call r takes t's values (pt,
   -- strides ts0, ts1, unless nil) or zeros (zero). nil, with nothing written, when BLAS
   -- would refuse the call: Python then does it. mode 'check' stops after the checks; mode
   -- 'held' is for a caller that holds the mutex already (one batch of bmm's).
   local function addmmCore(pr, m, n, rs0, rs1, alpha, pa, k, as0, as1, pb, bs0, bs1, beta,
                            pt, ts0, ts1, zero, mode)
      local i0, clone
      if rs0 == 1 and rs1 ~= 0 then
         i0 = 0
      elseif rs1 == 1 and rs0 ~= 0 then
         i0 = 1  -- r^T = b^T a^T: the column-major matrix BLAS sees is r^T
      else
         i0, clone = 0, true  -- TH computes into a column-major clone of r
      end
      -- the first and second operands as BLAS sees them (rows, columns, strides as stored)
      local p1, r1, c1, s10, s11, p2, r2, c2, s20, s21
      local bm, bn, ldc
      if i0 == 0 then
         p1, r1, c1, s10, s11 = pa, m, k, as0, as1
         p2, r2, c2, s20, s21 = pb, k, n, bs0, bs1
         bm, bn, ldc = m, n, clone and m or rs1
      else
         p1, r1, c1, s10, s11 = pb, k, n, bs0, bs1
         p2, r2, c2, s20, s21 = pa, m, k, as0, as1
         bm, bn, ldc = n, m, rs0
      end
      local ta, lda, copyA = gemmOperand(i0, r1, c1, s10, s11)
      local tb, ldb, copyB = gemmOperand(i0, r2, c2, s20, s21)
      -- THBlas_(gemm)'s leading dimensions for degenerate sizes
      if bn == 1 then ldc = bm end
      if ta == 't' then
         if bm == 1 then lda = k end
      elseif k == 1 then
         lda = bm
      end
      if tb == 't' then
         if k == 1 then ldb = bn end
      elseif bn == 1 then
         ldb = k
      end
      if bm > INTMAX or bn > INTMAX or k > INTMAX or not ldOk(ldc, bm)
            or not ldOk(lda, ta == 'n' and bm or k) or not ldOk(ldb, tb == 'n' and k or bn) then
         return nil
      end
      if mode == 'check' then return true end
      if mode == 'held' then
         return gemmBody(pr, m, n, rs0, rs1, pt, ts0, ts1, zero, clone, ta, p1, r1, c1, s10, s11,
                         copyA, tb, p2, r2, c2, s20, s21, copyB, bm, bn, k, lda, ldb, ldc,
                         alpha, beta)
      end
      if not acquire() then return nil end
      return finish(pcall(gemmBody, pr, m, n, rs0, rs1, pt, ts0, ts1, zero, clone, ta, p1, r1,
                          c1, s10, s11, copyA, tb, p2, r2, c2, s20, s21, copyB, bm, bn, k, lda,
                          ldb, ldc, alpha, beta))
   end

   local function gemvBody(py_, ys, pt, ts, zero, an0, an1, as0, as1, copyA, trans, rows, cols,
                           lda, alpha, pa, px, xs, beta)
      if pt ~= nil then copy2(py_, ys, 0, pt, ts, 0, an0, 1) end
      if zero then fill2(py_, ys, 0, an0, 1, 0) end
      if copyA then pa = contiguousCopy(pa, an0, an1, as0, as1) end
      local nt = gemvSerial(trans, rows, cols, alpha, beta, xs, ys)
      I[0], I1[0], I2[0], I3[0], I4[0] = rows, cols, lda, xs, ys
      S[0], S1[0] = alpha, beta
      if nt ~= nil then
         setThreads(1)
         gemv(trans, I, I1, S, pa, I2, px, I3, S1, py_, I4)
         setThreads(nt)
      else
         gemv(trans, I, I1, S, pa, I2, px, I3, S1, py_, I4)
      end
      M.calls = M.calls + 1
      return true
   end

   -- THTensor_(addmv)(r, beta, t, alpha, mat, vec) after its checks: r (n at py, stride ys),
   -- mat (an0 x an1 at pa, strides as0, as1), vec (at px, stride xs)
   local function addmvCore(py_, ys, alpha, pa, an0, an1, as0, as1, px, xs, beta, pt, ts, zero)
      local trans, rows, cols, lda, copyA
      if as0 == 1 then
         trans, rows, cols, lda = 'n', an0, an1, as1
      elseif as1 == 1 then
         trans, rows, cols, lda = 't', an1, an0, as0
      else
         trans, rows, cols, lda, copyA = 't', an1, an0, an1, true
      end
      if cols == 1 then lda = rows end
      -- TH's own loops for strides BLAS cannot take, or what BLAS would refuse: Python
      if rows > INTMAX or cols > INTMAX or not ldOk(lda, rows) or not incOk(xs)
            or not incOk(ys) then
         return nil
      end
      if not acquire() then return nil end
      return finish(pcall(gemvBody, py_, ys, pt, ts, zero, an0, an1, as0, as1, copyA, trans,
                          rows, cols, lda, alpha, pa, px, xs, beta))
   end

   local function gerBody(pr, rn0, rn1, rs0, rs1, pt, ts0, ts1, zero, beta, clone, m, n, incx,
                          incy, lda, alpha, x, y)
      if pt ~= nil then copy2(pr, rs0, rs1, pt, ts0, ts1, rn0, rn1) end
      if zero or beta == 0 then
         fill2(pr, rs0, rs1, rn0, rn1, 0)
      elseif beta ~= 1 then
         scale2(pr, rs0, rs1, rn0, rn1, real(beta))
      end
      local pc = pr
      if clone then pc = contiguousCopy(pr, rn0, rn1, rs0, rs1) end
      local nt = gerSerial(m, n, alpha, incx, incy)
      I[0], I1[0], I2[0], I3[0], I4[0] = m, n, incx, incy, lda
      S[0] = alpha
      if nt ~= nil then
         setThreads(1)
         ger(I, I1, S, x, I2, y, I3, pc, I4)
         setThreads(nt)
      else
         ger(I, I1, S, x, I2, y, I3, pc, I4)
      end
      if clone then copy2(pr, rs0, rs1, pc, rn1, 1, rn0, rn1) end
      M.calls = M.calls + 1
      return true
   end

   -- THTensor_(addr)(r, beta, t, alpha, v1, v2) after its checks: r (rn0 x rn1 at pr, strides
   -- rs0, rs1) takes t's values (pt, unless nil), is zeroed (beta 0) or scaled (beta not 1),
   -- then gets alpha v1 v2^T added by ger
   local function addrCore(pr, rn0, rn1, rs0, rs1, alpha, p1, s1, p2, s2, beta, pt, ts0, ts1,
                           zero)
      local m, n, x, incx, y, incy, lda, clone
      if rs0 == 1 then
         m, n, x, incx, y, incy, lda = rn0, rn1, p1, s1, p2, s2, rs1
      elseif rs1 == 1 then
         m, n, x, incx, y, incy, lda = rn1, rn0, p2, s2, p1, s1, rs0
      else
         -- TH works on a row-major clone
         m, n, x, incx, y, incy, lda, clone = rn1, rn0, p2, s2, p1, s1, rn1, true
      end
      if n == 1 then lda = m end
      if m > INTMAX or n > INTMAX or not ldOk(lda, m) or not incOk(incx) or not incOk(incy) then
         return nil
      end
      if not acquire() then return nil end
      return finish(pcall(gerBody, pr, rn0, rn1, rs0, rs1, pt, ts0, ts1, zero, beta, clone, m,
                          n, incx, incy, lda, alpha, x, y))
   end

   local function is(x) return getmetatable(x) == mt end

   -- t's elements when the result r must take them (TH: r ~= t): nil and false when r cannot
   -- (a result of another size must be resized, one sharing t's storage may overlap it)
   local function source(r, hr, t, ht, wanted)
      if r == t then return nil, true end
      local d = ht.dim
      if hr.dim ~= d or hr.size[0] ~= ht.size[0] or (d >= 2 and hr.size[1] ~= ht.size[1])
            or (d == 3 and hr.size[2] ~= ht.size[2]) or hr.storage == ht.storage then
         return nil, false
      end
      if not wanted then return nil, true end
      local pt = elements(t, ht, ptrType)
      return pt, pt ~= nil
   end

   -- Torch's method forms of addmm, addmv and addr: r:f([t,] [alpha,] a, b) and
   -- r:f(beta, [t,] alpha, a, b) as (beta, t, alpha, a, b); nil for anything else
   local function methodForm(self, n, a1, a2, a3, a4, a5)
      if n == 2 then return 1, self, 1, a1, a2 end
      if n == 3 then
         if type(a1) == 'number' then return 1, self, a1, a2, a3 end
         return 1, a1, 1, a2, a3
      end
      if n == 4 and type(a2) == 'number' then
         if type(a1) == 'number' then return a1, self, a2, a3, a4 end
         return 1, a1, a2, a3, a4
      end
      if n == 5 and type(a1) == 'number' and type(a3) == 'number' then
         return a1, a2, a3, a4, a5
      end
      return nil
   end

   -------------------------------------------------------------------------------- addmm
   -- r = beta t + alpha m1 m2 into r (zeroed first when zero: mm's way); nil: Python
   local function addmm(r, beta, t, alpha, m1, m2, zero)
      if not (is(r) and is(t) and is(m1) and is(m2)) then return nil end
      local hr, ht, h1, h2 = H[r], H[t], H[m1], H[m2]
      if hr == nil or ht == nil or h1 == nil or h2 == nil then return nil end
      local k = h1.size[1]
      if h1.dim ~= 2 or h2.dim ~= 2 or ht.dim ~= 2 or k ~= h2.size[0]
            or ht.size[0] ~= h1.size[0] or ht.size[1] ~= h2.size[1] then
         return nil
      end
      local m, n = h1.size[0], h2.size[1]
      if m < 1 or n < 1 or k < 1 then return nil end
      local pt, ok = source(r, hr, t, ht, beta ~= 0)
      if not ok then return nil end
      local pr = elements(r, hr, ptrType)
      local p1 = pr and elements(m1, h1, ptrType)
      local p2 = p1 and elements(m2, h2, ptrType)
      if p2 == nil then return nil end
      return addmmCore(pr, m, n, hr.stride[0], hr.stride[1], alpha,
                       p1, k, h1.stride[0], h1.stride[1], p2, h2.stride[0], h2.stride[1], beta,
                       pt, ht.stride[0], ht.stride[1], zero)
   end

   local slowAddmm = rawget(mt, 'addmm')
   rawset(mt, 'addmm', function(self, ...)
      if M.enabled then
         local a1, a2, a3, a4, a5 = ...
         local beta, t, alpha, m1, m2 =
            methodForm(self, select('#', ...), a1, a2, a3, a4, a5)
         if m2 ~= nil and addmm(self, beta, t, alpha, m1, m2, false) then return self end
      end
      return slowAddmm(self, ...)
   end)

   -- r:mm(m1, m2): TH zeroes r (already of the right size: Torch does not resize it here)
   -- and calls addmm with beta 0; torch.mm(m1, m2) does it on a new tensor
   local function mmExisting(r, m1, m2)
      return addmm(r, 0, r, 1, m1, m2, true)
   end
   local function mmNew(m1, m2, beta)
      if not (is(m1) and is(m2)) then return nil end
      local h1, h2 = H[m1], H[m2]
      if h1 == nil or h2 == nil or h1.dim ~= 2 or h2.dim ~= 2 or h1.size[1] ~= h2.size[0]
            or h1.size[0] < 1 or h1.size[1] < 1 or h2.size[1] < 1 then
         return nil
      end
      scratch.dim = 2
      scratch.size[0], scratch.size[1] = h1.size[0], h2.size[1]
      local u = allocTensor(mt, scratch, true)
      if u == nil or not addmm(u, beta or 0, u, 1, m1, m2, false) then return nil end
      return u
   end

   local slowMm = rawget(mt, 'mm')
   rawset(mt, 'mm', function(self, ...)
      if M.enabled and select('#', ...) == 2 then
         local a, b = ...
         if mmExisting(self, a, b) then return self end
      end
      return slowMm(self, ...)
   end)

   -------------------------------------------------------------------------------- addmv
   local function addmv(r, beta, t, alpha, mat, vec, zero)
      if not (is(r) and is(t) and is(mat) and is(vec)) then return nil end
      local hr, ht, hm, hv = H[r], H[t], H[mat], H[vec]
      if hr == nil or ht == nil or hm == nil or hv == nil then return nil end
      local m, k = hm.size[0], hm.size[1]
      if hm.dim ~= 2 or hv.dim ~= 1 or ht.dim ~= 1 or k ~= hv.size[0] or ht.size[0] ~= m
            or m < 1 or k < 1 then
         return nil
      end
      -- TH's addmv copies t into r whatever beta is
      local pt, ok = source(r, hr, t, ht, true)
      if not ok then return nil end
      local pr = elements(r, hr, ptrType)
      local pa = pr and elements(mat, hm, ptrType)
      local px = pa and elements(vec, hv, ptrType)
      if px == nil then return nil end
      return addmvCore(pr, hr.stride[0], alpha, pa, m, k, hm.stride[0], hm.stride[1],
                       px, hv.stride[0], beta, pt, ht.stride[0], zero)
   end

   local slowAddmv = rawget(mt, 'addmv')
   rawset(mt, 'addmv', function(self, ...)
      if M.enabled then
         local a1, a2, a3, a4, a5 = ...
         local beta, t, alpha, mat, vec =
            methodForm(self, select('#', ...), a1, a2, a3, a4, a5)
         if vec ~= nil and addmv(self, beta, t, alpha, mat, vec, false) then return self end
      end
      return slowAddmv(self, ...)
   end)

   local function mvExisting(r, mat, vec)
      return addmv(r, 0, r, 1, mat, vec, true)
   end
   local function mvNew(mat, vec, beta)
      if not (is(mat) and is(vec)) then return nil end
      local hm = H[mat]
      if hm == nil or hm.dim ~= 2 or hm.size[0] < 1 then return nil end
      scratch.dim = 1
      scratch.size[0] = hm.size[0]
      local u = allocTensor(mt, scratch, true)
      if u == nil or not addmv(u, beta or 0, u, 1, mat, vec, false) then return nil end
      return u
   end

   local slowMv = rawget(mt, 'mv')
   rawset(mt, 'mv', function(self, ...)
      if M.enabled and select('#', ...) == 2 then
         local a, b = ...
         if mvExisting(self, a, b) then return self end
      end
      return slowMv(self, ...)
   end)

   --------------------------------------------------------------------------------- addr
   local function addr(r, beta, t, alpha, v1, v2, zero)
      if not (is(r) and is(t) and is(v1) and is(v2)) then return nil end
      local hr, ht, h1, h2 = H[r], H[t], H[v1], H[v2]
      if hr == nil or ht == nil or h1 == nil or h2 == nil then return nil end
      local m, n = h1.size[0], h2.size[0]
      if h1.dim ~= 1 or h2.dim ~= 1 or ht.dim ~= 2 or ht.size[0] ~= m or ht.size[1] ~= n
            or m < 1 or n < 1 then
         return nil
      end
      local pt, ok = source(r, hr, t, ht, true)
      if not ok then return nil end
      local pr = elements(r, hr, ptrType)
      local p1 = pr and elements(v1, h1, ptrType)
      local p2 = p1 and elements(v2, h2, ptrType)
      if p2 == nil then return nil end
      return addrCore(pr, m, n, hr.stride[0], hr.stride[1], alpha, p1, h1.stride[0],
                      p2, h2.stride[0], beta, pt, ht.stride[0], ht.stride[1], zero)
   end

   local slowAddr = rawget(mt, 'addr')
   rawset(mt, 'addr', function(self, ...)
      if M.enabled then
         local a1, a2, a3, a4, a5 = ...
         local beta, t, alpha, v1, v2 =
            methodForm(self, select('#', ...), a1, a2, a3, a4, a5)
         if v2 ~= nil and addr(self, beta, t, alpha, v1, v2, false) then return self end
      end
      return slowAddr(self, ...)
   end)

   -- r:ger(v1, v2): TH zeroes r (of the right size) and calls addr(r, 1, r, 1, v1, v2)
   local function gerExisting(r, v1, v2)
      return addr(r, 1, r, 1, v1, v2, true)
   end
   local function gerNew(v1, v2)
      if not (is(v1) and is(v2)) then return nil end
      local h1, h2 = H[v1], H[v2]
      if h1 == nil or h2 == nil or h1.dim ~= 1 or h2.dim ~= 1 or h1.size[0] < 1
            or h2.size[0] < 1 then
         return nil
      end
      scratch.dim = 2
      scratch.size[0], scratch.size[1] = h1.size[0], h2.size[0]
      local u = allocTensor(mt, scratch, true)
      if u == nil or not addr(u, 1, u, 1, v1, v2, false) then return nil end
      return u
   end

   local slowGer = rawget(mt, 'ger')
   rawset(mt, 'ger', function(self, ...)
      if M.enabled and select('#', ...) == 2 then
         local a, b = ...
         if gerExisting(self, a, b) then return self end
      end
      return slowGer(self, ...)
   end)

   ------------------------------------------------------------ baddbmm, addbmm, bmm
   -- THTensor_(baddbmm) (each = true: r is a batch of results) and THTensor_(addbmm) (r is
   -- one matrix every batch adds into): r takes t's values unless beta is 0 (or zeros, for
   -- bmm), then one addmm per batch on the matrices batch b of b1 and b2 select. Every batch
   -- has the same geometry, so checking the first one checks them all.
   local function batchedBody(pr, rb, rs0, rs1, pt, tb, ts0, ts1, zero, each, bs, m, n, k,
                              alpha, p1, b1s, s10, s11, p2, b2s, s20, s21, beta)
      for b = 0, (each and bs or 1) - 1 do
         if pt ~= nil then copy2(pr + b * rb, rs0, rs1, pt + b * tb, ts0, ts1, m, n) end
         if zero then fill2(pr + b * rb, rs0, rs1, m, n, 0) end
      end
      for b = 0, bs - 1 do
         addmmCore(pr + b * rb, m, n, rs0, rs1, alpha, p1 + b * b1s, k, s10, s11, p2 + b * b2s,
                   s20, s21, beta, nil, 0, 0, false, 'held')
         if not each then beta = 1 end  -- addbmm: the later batches add to the first
      end
      return true
   end

   local function batched(r, beta, t, alpha, b1, b2, zero, each)
      if not (is(r) and is(t) and is(b1) and is(b2)) then return nil end
      local hr, ht, h1, h2 = H[r], H[t], H[b1], H[b2]
      if hr == nil or ht == nil or h1 == nil or h2 == nil or h1.dim ~= 3 or h2.dim ~= 3 then
         return nil
      end
      local bs, m, k, n = h1.size[0], h1.size[1], h1.size[2], h2.size[2]
      if h2.size[0] ~= bs or h2.size[1] ~= k or bs < 1 or m < 1 or k < 1 or n < 1 then
         return nil
      end
      local r0 = each and 1 or 0  -- r's first matrix dimension
      if ht.dim ~= r0 + 2 or (each and ht.size[0] ~= bs) or ht.size[r0] ~= m
            or ht.size[r0 + 1] ~= n then
         return nil
      end
      local pt, ok = source(r, hr, t, ht, beta ~= 0)
      if not ok then return nil end
      local pr = elements(r, hr, ptrType)
      local p1 = pr and elements(b1, h1, ptrType)
      local p2 = p1 and elements(b2, h2, ptrType)
      if p2 == nil then return nil end
      local rs0, rs1 = hr.stride[r0], hr.stride[r0 + 1]
      local rb = each and hr.stride[0] or 0
      local s10, s11, s20, s21 = h1.stride[1], h1.stride[2], h2.stride[1], h2.stride[2]
      if not addmmCore(pr, m, n, rs0, rs1, alpha, p1, k, s10, s11, p2, s20, s21, beta,
                       nil, 0, 0, false, 'check') then
         return nil
      end
      if not acquire() then return nil end
      return finish(pcall(batchedBody, pr, rb, rs0, rs1, pt, each and ht.stride[0] or 0,
                          ht.stride[r0], ht.stride[r0 + 1], zero, each, bs, m, n, k, alpha,
                          p1, h1.stride[0], s10, s11, p2, h2.stride[0], s20, s21, beta))
   end

   for _, f in ipairs({{'baddbmm', true}, {'addbmm', false}}) do
      local name, each = f[1], f[2]
      local slow = rawget(mt, name)
      rawset(mt, name, function(self, ...)
         if M.enabled then
            local a1, a2, a3, a4, a5 = ...
            local beta, t, alpha, b1, b2 =
               methodForm(self, select('#', ...), a1, a2, a3, a4, a5)
            if b2 ~= nil and batched(self, beta, t, alpha, b1, b2, false, each) then
               return self
            end
         end
         return slow(self, ...)
      end)
   end

   -- r:bmm(b1, b2): TH zeroes r (of the right size) and calls baddbmm with beta 0
   local function bmmExisting(r, b1, b2)
      return batched(r, 0, r, 1, b1, b2, true, true)
   end
   local function bmmNew(b1, b2)
      if not (is(b1) and is(b2)) then return nil end
      local h1, h2 = H[b1], H[b2]
      if h1 == nil or h2 == nil or h1.dim ~= 3 or h2.dim ~= 3 or h1.size[0] < 1
            or h1.size[1] < 1 or h2.size[2] < 1 then
         return nil
      end
      scratch.dim = 3
      scratch.size[0], scratch.size[1], scratch.size[2] = h1.size[0], h1.size[1], h2.size[2]
      local u = allocTensor(mt, scratch, true)
      if u == nil or not batched(u, 0, u, 1, b1, b2, false, true) then return nil end
      return u
   end

   local slowBmm = rawget(mt, 'bmm')
   rawset(mt, 'bmm', function(self, ...)
      if M.enabled and select('#', ...) == 2 then
         local a, b = ...
         if bmmExisting(self, a, b) then return self end
      end
      return slowBmm(self, ...)
   end)

   ---------------------------------------------------------------------------------- dot
   -- TH_TENSOR_APPLY2's walk over a non-contiguous tensor: its innermost run of elements at
   -- one stride (trailing dimensions merged where stride[i] == stride[i+1] * size[i+1]) and
   -- the outer sections, innermost first
   local function sections(h)
      local nd = h.dim
      local size, stride = {}, {}
      local inner, istride = h.size[nd - 1], h.stride[nd - 1]
      local k = 0
      for i = nd - 2, 0, -1 do
         if h.stride[i] == h.stride[i + 1] * h.size[i + 1] then
            if k == 0 then inner = inner * h.size[i] else size[k] = size[k] * h.size[i] end
         else
            k = k + 1
            size[k], stride[k] = h.size[i], h.stride[i]
         end
      end
      return inner, istride, size, stride, k
   end

   -- the next section after the last of a run (TH's counter update): new offset, or nil at
   -- the end
   local function nextSection(off, count, size, stride, k)
      for d = 1, k do
         count[d] = count[d] + 1
         off = off + stride[d]
         if count[d] < size[d] then return off end
         off = off - count[d] * stride[d]
         count[d] = 0
      end
      return nil
   end

   local function dotBody(px, xn, xs, xsz, xst, xk, py_, yn, ys, ysz, yst, yk)
      local sum = 0
      local xi, yi, xo, yo = 0, 0, 0, 0
      local xc, yc = {0, 0, 0}, {0, 0, 0}
      while true do
         local sz = min(xn - xi, yn - yi)
         I[0] = sz
         if sz == 1 then I1[0], I2[0] = 1, 1 else I1[0], I2[0] = ys, xs end
         sum = sum + dot(I, py_ + yo + yi * ys, I1, px + xo + xi * xs, I2)
         M.calls = M.calls + 1
         xi, yi = xi + sz, yi + sz
         if xi == xn then
            xo = xk > 0 and nextSection(xo, xc, xsz, xst, xk) or nil
            if xo == nil then break end
            xi = 0
         end
         if yi == yn then
            yo = yk > 0 and nextSection(yo, yc, ysz, yst, yk) or nil
            if yo == nil then break end
            yi = 0
         end
      end
      return sum
   end

   -- THTensor_(dot)(x, y): the sum, from 0 in double, of one BLAS dot per stretch both
   -- tensors hold at one stride each (x = tensor, y = src as TH names them)
   local function dotOf(x, y)
      if not (is(x) and is(y)) then return nil end
      local hx, hy = H[x], H[y]
      if hx == nil or hy == nil or hx.dim < 1 or hy.dim < 1 or hx.dim > 4 or hy.dim > 4 then
         return nil
      end
      local n = nElement(hx)
      if n ~= nElement(hy) or n < 1 then return nil end
      local px, py_
      local xs, ys
      local xn, yn, xsz, ysz, xst, yst, xk, yk
      if isContiguous(hx) then
         xn, xs, xk = n, 1, 0
         px = run(x, hx, ptrType, n)
      else
         xn, xs, xsz, xst, xk = sections(hx)
         px = (hx.dim <= 3) and elements(x, hx, ptrType) or nil
      end
      if isContiguous(hy) then
         yn, ys, yk = n, 1, 0
         py_ = run(y, hy, ptrType, n)
      else
         yn, ys, ysz, yst, yk = sections(hy)
         py_ = (hy.dim <= 3) and elements(y, hy, ptrType) or nil
      end
      if px == nil or py_ == nil or xs > INTMAX or ys > INTMAX or xn > INTMAX
            or yn > INTMAX then
         return nil
      end
      if not acquire() then return nil end
      local ok, sum = pcall(dotBody, px, xn, xs, xsz, xst, xk, py_, yn, ys, ysz, yst, yk)
      finish(ok, sum)
      return sum
   end


   local slowDot = rawget(mt, 'dot')
   rawset(mt, 'dot', function(self, ...)
      if M.enabled and select('#', ...) == 1 then
         local y = ...
         local v = dotOf(self, y)
         if v ~= nil then return v end
      end
      return slowDot(self, ...)
   end)

   --------------------------------------------------------------------------- add(v, y)
   -- THTensor_(cadd) in place on contiguous tensors: BLAS axpy over all the elements
   local slowAdd = rawget(mt, 'add')
   local function axpyBody(n, v, py_, px, oneThread)
      I[0], I1[0], I2[0] = n, 1, 1
      S[0] = v
      if oneThread then
         -- below M.threadedAxpyLeast or under torch.setnumthreads(1): OpenBLAS would split
         -- axpy over its own threads past 10000 elements, so the call runs with one, and the
         -- library's count is given back (under the mutex: no other BLAS call sees it)
         local keep = getThreads()
         setThreads(1)
         local ok, err = pcall(axpy, I, S, py_, I1, px, I2)
         setThreads(keep)
         if not ok then error(err, 0) end
      else
         axpy(I, S, py_, I1, px, I2)
      end
      M.calls = M.calls + 1
      return true
   end
   -- least: the fewest elements taken here (smaller x:add(y) run in LuaJIT's loops)
   local function axpyInto(x, v, y, least)
      if type(v) ~= 'number' or not (is(x) and is(y)) then return nil end
      local hx, hy = H[x], H[y]
      if hx == nil or hy == nil or hx.dim < 1 or hy.dim < 1 then return nil end
      local n = nElement(hx)
      if n < least or n > INTMAX or n ~= nElement(hy) or not isContiguous(hx)
            or not isContiguous(hy) then
         return nil
      end
      local px = run(x, hx, ptrType, n)
      local py_ = px and run(y, hy, ptrType, n)
      if py_ == nil then return nil end
      -- x:add(v, y) with y overlapping x other than exactly goes to Python (numpy's answer)
      if py_ ~= px and py_ < px + n and px < py_ + n then return nil end
      local oneThread = n > 10000 and setThreads ~= nil
                        and (n < M.threadedAxpyLeast or numThreads() == 1)
      if not acquire() then return nil end
      return finish(pcall(axpyBody, n, v, py_, px, oneThread))
   end
   rawset(mt, 'add', function(self, ...)
      if M.enabled then
         local nargs = select('#', ...)
         if nargs == 2 then
            local v, y = ...
            -- add(1, y) of small tensors is a plain sum in LuaJIT (header.lua, apply.lua), the
            -- same bits as axpy's fused 1 * y + x
            if axpyInto(self, v, y, v == 1 and M.addLeast or 1) then return self end
         elseif nargs == 1 then
            -- x:add(y) is TH's cadd(x, x, 1, y): axpy in place, as large ones run here
            local y = ...
            if type(y) ~= 'number' and axpyInto(self, 1, y, M.addLeast) then return self end
         end
      end
      return slowAdd(self, ...)
   end)

   -- Torch's `*` of matrices and vectors (TensorOperator.c): dot, or addmv / addmm with
   -- beta 1 into a new zeroed result
   local slowMul = rawget(mt, '__mul')
   rawset(mt, '__mul', function(a, b)
      if M.enabled and is(a) and is(b) then
         local ha, hb = H[a], H[b]
         if ha ~= nil and hb ~= nil then
            local u
            if ha.dim == 2 and hb.dim == 2 then
               u = mmNew(a, b, 1)
            elseif ha.dim == 2 and hb.dim == 1 then
               u = mvNew(a, b, 1)
            elseif ha.dim == 1 and hb.dim == 1 then
               u = dotOf(a, b)
            end
            if u ~= nil then return u end
         end
      end
      return slowMul(a, b)
   end)

   -- the in-place cores by name, for the function forms: f(r, beta, t, alpha, a, b)
   local cores = {
      addmm = function(r, beta, t, alpha, a, b) return addmm(r, beta, t, alpha, a, b, false) end,
      addmv = function(r, beta, t, alpha, a, b) return addmv(r, beta, t, alpha, a, b, false) end,
      addr = function(r, beta, t, alpha, a, b) return addr(r, beta, t, alpha, a, b, false) end,
      baddbmm = function(r, beta, t, alpha, a, b)
         return batched(r, beta, t, alpha, a, b, false, true)
      end,
      addbmm = function(r, beta, t, alpha, a, b)
         return batched(r, beta, t, alpha, a, b, false, false)
      end,
   }
   -- a new contiguous tensor of t's sizes (t: a tensor of this type), or nil
   local function like(t)
      local h = H[t]
      if not is(t) or h == nil or h.dim < 1 or h.dim > 3 then return nil end
      scratch.dim = h.dim
      for d = 0, h.dim - 1 do scratch.size[d] = h.size[d] end
      return allocTensor(mt, scratch, true)
   end

   return {mmNew = mmNew, mmExisting = mmExisting, mvNew = mvNew, mvExisting = mvExisting,
           gerNew = gerNew, gerExisting = gerExisting, bmmNew = bmmNew,
           bmmExisting = bmmExisting, dot = dotOf, cores = cores, like = like}
end

local byMt = {}
for _, ty in ipairs({{name = 'Double', real = 'double', p = 'd'},
                     {name = 'Float', real = 'float', p = 's'}}) do
   local mt = torch.getmetatable('torch.' .. ty.name .. 'Tensor')
   byMt[mt] = install(mt, ty)
end

---------------------------------------------------------------------------------------------
-- torch.mm, torch.mv, torch.ger (a new result, or the given one) and torch.dot
---------------------------------------------------------------------------------------------
local function functionForm(name, new, existing)
   local slow = torch[name]
   if slow == nil then return end
   torch[name] = function(...)
      if M.enabled then
         local n = select('#', ...)
         local a, b, c = ...
         if n == 2 then
            local f = byMt[getmetatable(a)]
            if f ~= nil then
               local u = f[new](a, b)
               if u ~= nil then return u end
            end
         elseif n == 3 then
            local f = byMt[getmetatable(a)]
            if f ~= nil and f[existing](a, b, c) then return a end
         end
      end
      return slow(...)
   end
end
functionForm('mm', 'mmNew', 'mmExisting')
functionForm('mv', 'mvNew', 'mvExisting')
functionForm('ger', 'gerNew', 'gerExisting')
functionForm('bmm', 'bmmNew', 'bmmExisting')

-- torch.addmm([res,] [beta,] t, [alpha,] a, b) and the same for addmv, addr, baddbmm and
-- addbmm: into res (of t's size already) or a new tensor
local function accumulating(name)
   local slow = torch[name]
   if slow == nil then return end
   torch[name] = function(...)
      if M.enabled then
         local n = select('#', ...)
         local a1, a2, a3, a4, a5, a6 = ...
         local f = byMt[getmetatable(a1)] or byMt[getmetatable(a2)]
         if f ~= nil and n >= 3 and n <= 6 then
            local args = {a1, a2, a3, a4, a5, a6}
            local tensors = 0
            for i = 1, n do
               if type(args[i]) ~= 'number' then tensors = tensors + 1 end
            end
            local i, res, beta, alpha = 1, nil, 1, 1
            if tensors == 4 then res, i = args[1], 2 end
            if type(args[i]) == 'number' then beta, i = args[i], i + 1 end
            local t = args[i]
            i = i + 1
            if type(args[i]) == 'number' then alpha, i = args[i], i + 1 end
            if i + 1 == n and tensors >= 3 and type(t) ~= 'number' then
               local r = res or f.like(t)
               if r ~= nil and f.cores[name](r, beta, t, alpha, args[i], args[i + 1]) then
                  return r
               end
            end
         end
      end
      return slow(...)
   end
end
for _, name in ipairs({'addmm', 'addmv', 'addr', 'baddbmm', 'addbmm'}) do accumulating(name) end

local slowDot = torch.dot
if slowDot ~= nil then
   torch.dot = function(...)
      if M.enabled and select('#', ...) == 2 then
         local a, b = ...
         local f = byMt[getmetatable(a)]
         if f ~= nil then
            local v = f.dot(a, b)
            if v ~= nil then return v end
         end
      end
      return slowDot(...)
   end
end

-- M.withAxpy(real, body, ...): body(axpy, ...) under the mutex, where axpy(n, alpha, x, y) is
-- BLAS's y += alpha * x over n contiguous elements of type real ('double' or 'float'; x and y
-- pointers), for kernels that call THBlas_(axpy) once per row (nn.IndexLinear). false when
-- another thread is inside BLAS: the caller then does the work another way.
do
   local n1, inc = ffi.new('int[1]'), ffi.new('int[1]', 1)
   local axpys = {}
   for real, name in pairs({double = 'daxpy_', float = 'saxpy_'}) do
      local f, alpha = lib[name], ffi.new(real .. '[1]')
      axpys[real] = function(n, a, x, y)
         n1[0], alpha[0] = n, a
         f(n1, alpha, x, inc, y, inc)
      end
   end
   function M.withAxpy(real, body, ...)
      local axpy = axpys[real]
      if not M.enabled or axpy == nil or not acquire() then return false end
      return finish(pcall(body, axpy, ...))
   end
end

M.enabled = true
M.library = libName
return M
