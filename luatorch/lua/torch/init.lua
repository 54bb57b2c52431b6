-- torch: the object model (classes, tensor and storage types), printing and the torch.* API.
-- Numerics live in Python (the `py` table of bindings); this file only routes calls.

-- Torch's LuaJIT has Lua 5.2 compatibility: `#` honours __len, __pairs... (compat52.lua)
require 'compat52'

-- numbers format as in Torch7's LuaJIT (before anything keeps a local copy of tostring)
require 'torch.strformat'

local py = __luatorch_py
__luatorch_py = nil

torch = torch or {}
local torch = torch
torch._py = py

-- Torch's LuaJIT was built with Lua 5.2 compatibility: code relies on table.unpack/pack
table.unpack = table.unpack or unpack
table.pack = table.pack or function(...) return {n = select('#', ...), ...} end

local rawget, rawset, setmetatable, getmetatable = rawget, rawset, setmetatable, getmetatable
local type, select, pcall, error, tostring = type, select, pcall, error, tostring

---------------------------------------------------------------------------------------------
-- output: everything printed goes through py.write so any front end can capture it
---------------------------------------------------------------------------------------------
local rawwrite = io.write
local pywrite = py.write

local function write(...)
   for i = 1, select('#', ...) do
      local s = select(i, ...)
      local ts = type(s)
      if ts == 'number' then
         s = string.format('%.14g', s)
      elseif ts ~= 'string' then
         error("bad argument #" .. i .. " to 'write' (string expected, got " .. ts .. ")", 2)
      end
      if not pcall(pywrite, s) then rawwrite(s) end
   end
end
-- returns the output file, as in Torch's LuaJIT (5.2 compatibility)
function io.write(...) write(...) return io.output() end

local stdout = {}
-- __index as a function: a table indexing itself would loop on a missing key
local stdoutmt = {__index = function(_, k) return rawget(stdout, k) end,
                  __tostring = function() return 'file (stdout)' end}
function stdout:write(...) write(...) return self end
function stdout:flush() return self end
function stdout:setvbuf() return true end
function stdout:close() return true end
io.stdout = setmetatable(stdout, stdoutmt)
local rawiotype = io.type
function io.type(f)   -- the stand-in for stdout is an open file, as the real one
   if rawequal(f, stdout) then return 'file' end
   return rawiotype(f)
end
local rawoutput = io.output
function io.output(f)
   if f == nil then return io.stdout end
   return rawoutput(f)
end
function io.flush() end

---------------------------------------------------------------------------------------------
-- errors from Python become Lua errors at the caller's line
---------------------------------------------------------------------------------------------
local errmsg = py.errmsg
local getinfo = debug.getinfo
local find, sub, format = string.find, string.sub, string.format
-- An argument error in TH's words ("bad argument #N to 'f' (...", N counting the tensor the
-- method is called on) as LuaJIT's luaL_argerror words it for the call the user made (info:
-- the bound function's frame): a method call x:f(...) names f and does not count x ("calling
-- 'f' on bad self" when x itself is wrong), at the caller's line; a call of unknown name
-- (pcall(x.f, x), x[k](x)) says '?'. dispatch: the function is one of Torch7's torch.* math
-- functions, which reach the typed C function through a C dispatcher: called other than as a
-- method, its errors say '?' and carry no line.
local function argerror(e, info, level, dispatch)
   if info == nil then return e, level end
   local method = info.namewhat == 'method' and info.name
   local unlocated = dispatch and info.name and not method
   local _, stop, n = find(e, "^bad argument #(%d+) to '[^']*' %(")
   if not stop then return e, unlocated and 0 or level end
   n = tonumber(n)
   local rest = sub(e, stop + 1)
   if method then
      if n == 1 then return format("calling '%s' on bad self (%s", method, rest), level end
      return format("bad argument #%d to '%s' (%s", n - 1, method, rest), level
   end
   if unlocated then return format("bad argument #%d to '?' (%s", n, rest), 0 end
   if info.name == nil then return format("bad argument #%d to '?' (%s", n, rest), level end
   -- a function called by name that Torch7 calls directly (nn's THNN kernels: Torch7's THNN.lua
   -- calls them as a local 'v'): the message names what the binding says
   return e, level
end
local function raise(e, level, dispatch)
   if type(e) ~= 'string' then
      -- level - 1 is the bound function (tail-called finish): its name as the caller wrote it
      local info = level > 2 and getinfo(level - 1, 'n') or nil
      local verbatim
      e, verbatim = errmsg(e, info and info.name)
      if type(e) == 'string' and not verbatim then e, level = argerror(e, info, level, dispatch) end
   end
   error(e, level)
end
torch._raise = raise
torch._argerror = argerror

-- the error handler luatorch's runtime calls (kept in the registry, not in _G)
local registry = debug.getregistry()
function registry.__luatorch_traceback(e)
   -- what luajit's own handler makes of an error object that is not a string or number: nil
   -- is reported by nothing at all, an object whose __tostring gives a string by that string
   -- (with the stack), anything else by '(error object is not a string)' without the stack
   local mt = getmetatable(e)
   local ts = type(mt) == 'table' and rawget(mt, '__tostring')
   if e == nil then
      return {msg = 'nil', traceback = '', value = e, luajit = ''}
   elseif (type(e) == 'table' or type(e) == 'boolean' or type(e) == 'function'
           or type(e) == 'thread') and not ts then
      return {msg = tostring(e), traceback = debug.traceback('', 2), value = e,
              luajit = '(error object is not a string)'}
   end
   if type(e) == 'table' and mt == nil and e.msg == nil then
      return {msg = tostring(e), traceback = debug.traceback('', 2), value = e}
   end
   if type(e) ~= 'string' and type(e) ~= 'table' then
      local ok, m = pcall(errmsg, e)
      e = ok and m or tostring(e)
   end
   local msg = tostring(e)
   -- a message with bytes that are not UTF-8 cannot cross into Python as str: keep a safe copy
   return {msg = msg, safe = msg:gsub('[\128-\255]', '?'), traceback = debug.traceback('', 2),
           value = e}
end

---------------------------------------------------------------------------------------------
-- proxies: one userdata per Python tensor/storage, one metatable per torch type
---------------------------------------------------------------------------------------------
local P = setmetatable({}, {__mode = 'k'})   -- proxy -> Python object
local PX = setmetatable({}, {__mode = 'v'})  -- id(Python object) -> proxy
local protos = {}                            -- type code -> prototype proxy
torch._P = P

-- lupa 2.8 keeps every Python object it hands to Lua as a userdata wrapper in one luaL_ref
-- table (registry.LUPA_PYTHON_REFERENCES_TABLE) and remembers, per object address, the slot of
-- that object's wrapper; a wrapper's finalizer frees "the slot of its address" with luaL_unref.
-- As lupa made it, the table has weak values, and that breaks it in three ways (measured: one
-- run in two of nn's test file pushed a storage as the wrapper of a tensor):
--  * the collector clears a dead wrapper's slot cycles before its finalizer frees it, and
--    luaL_ref hands out any empty slot below the table's border: a new wrapper gets the slot,
--    the old finalizer then frees it, the next object gets it too, and lupa's lookup of the
--    first object answers the second object's wrapper;
--  * luaL_unref on an empty free list writes nil into the freed slot, which luaL_ref can then
--    hand out twice (once as a hole, once from the list);
--  * an object handed to Lua again before its dead wrapper's finalizer ran gets a second
--    wrapper, and the old finalizer drops the new wrapper's reference (the same address).
-- So the table is made strong here, with a free list that ends in 0 instead of nil: no slot is
-- ever empty below the border, luaL_ref's two ways of finding a slot cannot meet, and a
-- wrapper stays in its slot, alive, for as long as anyone may hand its object to Lua again.
-- A wrapper is let go (its slot set to false: still not empty, and lupa makes a new wrapper if
-- the object comes back) only when no live proxy holds it and Python holds its object nowhere
-- else (releaseWrappers, below): then nothing can hand the object to Lua again, the wrapper is
-- collected, and its own finalizer frees its own slot.
local refs = registry.LUPA_PYTHON_REFERENCES_TABLE
collectgarbage('collect')  -- wrappers dropped during start-up finalize now, under the old rules
collectgarbage('collect')
setmetatable(refs, nil)
do
   -- the free list must end in 0: a nil end is a hole luaL_ref could hand out twice
   local k, steps = 0, 0
   while type(refs[k]) == 'number' and refs[k] ~= 0 and steps < 1e6 do
      k, steps = refs[k], steps + 1
   end
   if refs[k] == nil then refs[k] = 0 end
end

-- Python anchors every tensor and storage it hands to Lua (Bindings.anchors, by id) until
-- neither a proxy nor a lupa wrapper of it is left: whatever lupa does with its own reference,
-- the object outlives every wrapper that points at it.
-- Holders count per id here (an anchor cell each, below); the finalizer of the last one queues
-- the id for release, and the id is released once the wrappers made for it are collected too.
local count = {}                                -- id -> live holders
local idOf = setmetatable({}, {__mode = 'k'})   -- proxy -> id
local wrapperId = setmetatable({}, {__mode = 'k'})  -- lupa wrapper -> id, until it is freed
local released = {}                             -- ids whose last holder died
local releaseAnchors = py.release_anchors
local unreferenced = py.unreferenced
local H  -- proxy -> tensor header, below
local SObj = setmetatable({}, {__mode = 'k'})  -- view made in Lua -> its storage, below

local function drop(id)
   local c = (count[id] or 1) - 1
   if c <= 0 then
      count[id] = nil
      released[#released + 1] = id
   else
      count[id] = c
   end
end

-- The proxies' metatables have no __gc: a finalizer on every tensor cost a third of making one
-- and half of making a view (callgrind, instructions per call: torch.Tensor(10) 3,900 with it,
-- 2,950 without; x:narrow(1, 2, 5) 5,250 against 2,980), and most tensors made in Lua hold
-- nothing a finalizer must let go. Each proxy's environment table holds what it owns: its
-- header, its storage's owner, and an anchor cell (an FFI finalizer) for each id of Python's it
-- holds. The environment is reachable through its proxy only, so a dead proxy's cells are
-- finalized, and its header freed, in the very cycle that finds it dead, as with a __gc of its
-- own. Without a finalizer a dead proxy is never resurrected either: no weak table hands it
-- out again.
local ffi = require 'ffi'
ffi.cdef 'typedef struct { double id; } LTAnchor;'
local anchorType = ffi.typeof('LTAnchor')
local function anchorGC(a) drop(a.id) end
local ffigc, setfenv = ffi.gc, debug.setfenv
-- a new holder of id
local function newAnchor(id)
   count[id] = (count[id] or 0) + 1
   return ffigc(anchorType(id), anchorGC)
end

-- Let go of the wrappers nobody can hand to Lua again: not held by a live proxy, and their
-- object referenced in Python only by lupa (and our anchor). Runs when the table has grown by
-- as much as it held after the last pass (amortized: a constant per wrapper made). Python
-- judges an anchored object by its holders here (count), not by the wrapper's recorded id: a
-- wrapper Lua has no id for may be the second one of an object a live proxy holds.
local scanAt = 4096
local function releaseWrappers()
   local objs, slots, n = {}, {}, 0
   for k, v in pairs(refs) do
      if type(v) == 'userdata' then
         local id = wrapperId[v]
         if id == nil or count[id] == nil then
            n = n + 1
            objs[n], slots[n] = v, k
         end
      end
   end
   local let = 0
   if n > 0 then
      local free = unreferenced(objs, n, count)
      for i = 1, #free do
         local j = free[i]
         local k = slots[j]
         if rawequal(refs[k], objs[j]) then refs[k] = false; let = let + 1 end
      end
   end
   local size = #refs  -- exact: the table has no holes
   scanAt = 2 * size + 4096
   return let
end
torch._releaseWrappers = releaseWrappers

local pending = 0   -- ids left queued by the last flush (their wrappers were alive)
-- make() flushes when this many ids are queued; lowered at the end of each collection cycle
-- (pace, below), whose finalizers queue the ids of the proxies it found dead
local flushAt = 4096
local function flushReleased()
   local let = releaseWrappers()
   -- finalizers may queue more ids while this runs (any allocation can step the collector)
   local list = released
   released = {}
   local free, any = {}, false
   for i = 1, #list do
      local id = list[i]
      -- not wrapped again since: a proxy made since keeps it
      if count[id] == nil then free[id] = true; any = true end
   end
   if not any then pending, flushAt = 0, 4096; return let end
   for _, id in pairs(wrapperId) do
      if free[id] then free[id] = false end
   end
   local ids = {}
   for id, ok in pairs(free) do
      if ok then
         ids[#ids + 1] = string.format('%.0f', id)  -- addresses above 1e14: all their digits
      else
         released[#released + 1] = id  -- a wrapper of it is still alive: next time
      end
   end
   pending = #released
   flushAt = 4096 + pending
   if #ids > 0 then releaseAnchors(table.concat(ids, ' ')) end
   return let
end
torch._flushReleased = flushReleased

-- a full collection also frees the Python objects whose proxies it collected
local rawcollectgarbage = collectgarbage
local setPause

function collectgarbage(opt, arg)
   if opt == nil or opt == 'collect' then
      local r = rawcollectgarbage(opt, arg)
      -- a dead proxy's anchor cells are finalized in this cycle; its wrapper is let go,
      -- finalized in the next cycle and gone in the third: then the object's anchor can go,
      -- which frees the memory now, as Torch did
      releaseWrappers()
      rawcollectgarbage('collect')
      rawcollectgarbage('collect')
      -- a wrapper let go may hold the last reference to an object whose own wrapper goes
      -- only now (a tensor's storage, once the tensor is gone): a few more rounds free such
      -- chains in this collection instead of in the next ones
      for _ = 1, 3 do
         if flushReleased() == 0 then break end
         rawcollectgarbage('collect')
      end
      return r
   end
   if opt == 'setpause' then return setPause(arg) end
   return rawcollectgarbage(opt, arg)
end

-- proxy -> its tensor header (a cdata pointer into memory Python owns: see tensor/header.py and
-- torch/header.lua). Only tensors have one; it lives as long as the proxy keeps the tensor.
-- Weak values too: a header (an FFI cdata) is held by its proxy's environment table (below), so
-- that a dead tensor's header and block go in the cycle that finds the tensor dead. A value of
-- a table with weak keys only is marked while its entry lives, and the entry of a dead key is
-- cleared only at the end of the cycle: every tensor that died in a cycle kept its block for
-- one more, and as the collector paces itself by the heap it found alive, a program making
-- small tensors grew its heap by several times its live size (f_small_ops: 17 MB of 3).
H = setmetatable({}, {__mode = 'kv'})
torch._H = H
ffi.cdef[[
typedef struct { void *data; double size; } LTStorageHeader;
typedef struct { LTStorageHeader *storage; double offset; int32_t dim; int32_t unused;
                 double size[8]; double stride[8]; } LTTensorHeader;
]]
-- a new small tensor made in Lua (torch._allocTensor): its header, its storage's header and
-- the storage's buffer in one block of Lua memory. The tensor header comes first (the block is
-- read as an LTTensorHeader), its storage field points at sh, and sh.data at data. The header's
-- `unused` field says whether anything but the tensor ever pointed at the block (a view, a
-- storage proxy): 0 lets Python copy the values instead of adopting the block (materialize).
ffi.cdef[[
typedef struct { LTStorageHeader *storage; double offset; int32_t dim; int32_t unused;
                 double size[8]; double stride[8]; LTStorageHeader sh; uint8_t data[?]; } LTBorn;
]]
local headerPointer = ffi.typeof('LTTensorHeader *')
local cast = ffi.cast

local function make(obj, code, id, haddr)
   local u = PX[id]
   if u ~= nil and P[u] == obj then return u end
   u = newproxy(protos[code])
   P[u] = obj
   local hp = haddr and cast(headerPointer, haddr) or nil
   if hp then H[u] = hp end
   PX[id] = u
   idOf[u] = id
   setfenv(u, {newAnchor(id), hp})
   wrapperId[obj] = id
   if #released >= flushAt or refs[scanAt] ~= nil then flushReleased() end
   return u
end

---------------------------------------------------------------------------------------------
-- torch._firstUse(f, ...): f(...) called from a function LuaJIT does not compile, for the work
-- a tensor or a module does on its first use only (a buffer made or sized, Python asked for a
-- storage), so that no trace records it. A trace recorded along a first-use path (a network's
-- first pass makes every module's buffers) exits at that point on every later pass, deep in
-- nested modules, where LuaJIT may fail to assemble the side trace (NYI: register coalescing
-- too complex: the exit's snapshot holds more values in registers than the side trace's head
-- can shuffle) and tries again at each pass, as it never resets a failed exit's count:
-- benchmark h (an LSTM of 25 cloned cells) had 242-492 such aborts in 12 steps in about half
-- of its runs, each at an exit of this kind. A trace that reaches f here is abandoned and
-- recorded again later along the path of later passes. Only the first FIRST_USE_UNTRACED
-- calls go this way: a loop doing first-use work on every pass would abort its trace at each
-- try, and LuaJIT blacklists a loop (runs it interpreted for good) after about 11 aborts,
-- 36K passes; by 16384 passes it has aborted about 10 times, and its next try succeeds.
-- Benchmark h makes 3010 such calls in its two warm-up steps, none in later steps.
---------------------------------------------------------------------------------------------
local FIRST_USE_UNTRACED = 16384
local firstUseLeft = FIRST_USE_UNTRACED
local function untraced(f, ...)
   firstUseLeft = firstUseLeft - 1
   return f(...)
end
jit.off(untraced)

function torch._firstUse(f, ...)
   if firstUseLeft > 0 then return untraced(f, ...) end
   return f(...)
end
local firstUse = torch._firstUse

---------------------------------------------------------------------------------------------
-- views made in Lua (torch/header.lua): a proxy with a header of its own (ffi.new) and a proxy
-- of its storage, but no Python tensor until Python needs one. P's __index builds it on first
-- use from the header; from then on the proxy reads the header Python keeps.
---------------------------------------------------------------------------------------------
-- SObj: proxy -> its storage's owner, either {Python storage, its header (cdata), its id, an
-- anchor cell of that id} or a block of Lua memory (an LTBorn, below). Views of the same
-- storage share one owner. A Python storage's owner is each view's environment too: the
-- storage is anchored while any view lives, and its anchor cell is finalized in the cycle that
-- finds the last one dead; a block lives while anything holds it.
local protoByMt = {}                            -- tensor metatable -> prototype proxy
local codeByMt = {}
local headerType = ffi.typeof('LTTensorHeader')
local headerSize = ffi.sizeof(headerType)
local viewFromHeader, storageOf = py.view_from_header, py.storage_of
local uintptr = ffi.typeof('uintptr_t')
local storagePointer = ffi.typeof('LTStorageHeader *')
local bytePointer = ffi.typeof('uint8_t *')

local bornType = ffi.typeof('LTBorn')
local istype = ffi.istype
local SH_OFFSET, DATA_OFFSET = ffi.offsetof(bornType, 'sh'), ffi.offsetof(bornType, 'data')
local itemSize = {8, 4, 8, 4, 2, 1, 1}  -- by type code: Double, Float, Long, Int, Short, Char, Byte

---------------------------------------------------------------------------------------------
-- Pacing Lua's collector. It starts a cycle when its heap has grown to `pause` percent of what
-- the last cycle left (200 by default: twice). Tensors made in Lua (LTBorn blocks, above) live
-- in that heap, where Torch7's lived in C's: a program whose live heap is mostly such tensors
-- kept as much again of dead ones before collecting (the LSTM benchmark, h: 50 MB of live
-- blocks, grew by 50 MB of garbage in 30 training steps, to 197 MB; 148 MB now). So at the end
-- of each cycle the pause for the next one is set from the heap without its blocks (what a
-- cycle traverses: a block is not looked inside), scaled by that part's share of the heap:
-- a heap without blocks keeps the program's pause, a heap of blocks collects every
-- GC_SLACK_KB of new allocation.
---------------------------------------------------------------------------------------------
local GC_SLACK_KB = 2048
local pause = 200  -- the program's own setting (collectgarbage('setpause'))
local floor, max, sizeof = math.floor, math.max, ffi.sizeof
-- the blocks' share of the heap, counted again only when the heap has changed size by a quarter
-- (a finalizer runs uncompiled: 0.9 ms a count in h, 3% of its time when counted every cycle)
local share, sharedAt = 0, 0
local function pace()
   local live = rawcollectgarbage('count')
   if live > 1.25 * sharedAt or live < 0.8 * sharedAt then
      local blocks = 0
      for _, h in pairs(H) do
         if istype(bornType, h) then blocks = blocks + sizeof(h) end
      end
      share, sharedAt = blocks / 1024 / live, live
   end
   local other = live * (1 - share)  -- what a cycle has to traverse
   local slack = max(GC_SLACK_KB, other * other / live * (pause - 100) / 100)
   local p = floor(100 + 100 * slack / live)
   rawcollectgarbage('setpause', p < pause and p or pause)
   -- the proxies this cycle found dead hold Python objects (and their buffers) until their
   -- wrappers are let go: soon, once a few hundred are queued, instead of after 4096
   flushAt = pending + 256
end
-- an object whose finalizer runs once per cycle and makes its successor (first: an error in
-- pace would otherwise end the pacing for good)
local function paceEachCycle()
   local sentinel = newproxy(true)
   getmetatable(sentinel).__gc = function()
      paceEachCycle()
      pace()
   end
end
paceEachCycle()

-- collectgarbage('setpause', p): the program's pause, which pace applies from now on
function setPause(arg)
   local prev = pause
   rawcollectgarbage('setpause', arg)  -- Lua's own reading of arg
   pause = rawcollectgarbage('setpause', pause)
   pace()
   return prev
end

-- Element counts up to which work stays in Lua; torch/header.lua sets them from measurements
local limits = {small = 4096, alloc = 4096}
torch._limits = limits

-- a proxy u made here holds its header hv and the storage of pair (an owner, see SObj)
local function holdStorage(u, hv, pair)
   H[u] = hv
   setfenv(u, {hv, pair})
   SObj[u] = pair
end

-- the owner of self's storage (header sp) as Python has it, kept for self; nil: Python's way
local function askStorage(self, sp)
   local t = P[self]
   if t == nil then return nil end
   local ok, st, _, sid, saddr = pcall(storageOf, t)
   if not ok or st == nil then return nil end
   wrapperId[st] = sid
   if cast(storagePointer, saddr) ~= sp then  -- changed meanwhile: Python's way
      if count[sid] == nil then released[#released + 1] = sid end  -- its anchor can go
      return nil
   end
   local pair = {st, sp, sid, newAnchor(sid)}
   SObj[self] = pair
   return pair
end

-- the owner of the storage under self's header h (Python asked at most once per proxy)
local function storagePair(self, h)
   local sp = h.storage
   if sp == nil then return nil end
   local pair = SObj[self]
   if pair == nil then
      -- a tensor made in Lua, not yet seen by Python: its own block, shared from now on
      if istype(bornType, h) then
         h.unused = 1
         return h
      end
   elseif type(pair) == 'table' then
      if pair[2] == sp then return pair end
   elseif pair.storage == sp and idOf[self] == nil then
      -- a view of a block, not yet seen by Python (once Python has it, its geometry may reach
      -- past the block: new views then hold Python's storage, below)
      return pair
   end
   return firstUse(askStorage, self, sp)
end

-- a new proxy of self's type with a copy of header h, sharing self's storage; nil: use Python
function torch._newView(self, h)
   local proto = protoByMt[getmetatable(self)]
   if proto == nil then return nil end
   local pair = storagePair(self, h)
   if pair == nil then return nil end
   local u = newproxy(proto)
   local hv = headerType()
   ffi.copy(hv, h, headerSize)
   holdStorage(u, hv, pair)
   return u, hv
end

local newStorageFor = py.new_storage_for

-- a block for a new contiguous tensor of mt's type shaped as header src, with n (its element
-- count, 1 <= n) zeroed elements of storage
local function newBlock(mt, src, n)
   local b = bornType(n * itemSize[codeByMt[mt]])  -- zeroed
   b.storage = cast(storagePointer, cast(bytePointer, b) + SH_OFFSET)
   b.sh.data = b.data
   b.sh.size = n
   local d = src.dim
   b.dim = d
   local stride = 1
   for i = d - 1, 0, -1 do
      local sz = src.size[i]
      b.size[i], b.stride[i] = sz, stride
      stride = stride * sz
   end
   return b
end

-- Tensors made in Lua (torch/header.lua): a new one with sizes, an empty one, and a new block
-- for an empty one being resized.
-- torch._allocTensor: a new contiguous tensor of metatable mt's type with the dims and sizes of
-- header src, on a new zeroed storage (its data pointer filled in when wantData), and its
-- header; nil: use Python. Up to limits.alloc elements the tensor is made here, header,
-- storage and buffer in one block of Lua memory (LTBorn) that the proxy holds (H): nothing is
-- asked of Python until Python needs the tensor (materialize). Larger ones get a Python
-- storage. Either way the data pointer is valid until the next call into Python (which may
-- move the values: read it from the header again after one).
function torch._allocTensor(mt, src, wantData)
   local proto = protoByMt[mt]
   local d = src.dim
   if proto == nil or d < 1 then return nil end
   local n = src.size[0]
   for i = 1, d - 1 do n = n * src.size[i] end
   if n >= 1 and n <= limits.alloc then
      local b = newBlock(mt, src, n)
      local u = newproxy(proto)
      H[u] = b
      setfenv(u, {b})
      return u, b
   end
   local ok, st, _, sid, saddr = pcall(newStorageFor, codeByMt[mt], n, wantData)
   if not ok then
      -- an interrupt stops here; any other error (a size too large, ...) is raised by the
      -- Python path the caller falls back to, in Torch's words at the user's line
      if type(st) ~= 'string' and errmsg(st) == 'interrupted!' then raise(st, 2) end
      return nil
   end
   wrapperId[st] = sid
   local u = newproxy(proto)
   local hv = headerType()
   hv.storage = cast(storagePointer, saddr)
   hv.dim = d
   local stride = 1
   for i = d - 1, 0, -1 do
      local sz = src.size[i]
      hv.size[i], hv.stride[i] = sz, stride
      stride = stride * sz
   end
   holdStorage(u, hv, {st, hv.storage, sid, newAnchor(sid)})
   return u, hv
end

-- torch.<type>Tensor(): no storage, no dimension
function torch._allocEmpty(mt)
   local proto = protoByMt[mt]
   if proto == nil then return nil end
   local u = newproxy(proto)
   local b = bornType(0)
   H[u] = b
   setfenv(u, {b})
   return u
end

-- give self, an empty tensor made in Lua that Python has not seen (its header h), a new block
-- of storage shaped as header src (n elements); false: Python does it
function torch._resizeEmpty(self, h, src, n)
   local mt = getmetatable(self)
   if h.storage ~= nil or not istype(bornType, h) or protoByMt[mt] == nil or n < 1
         or n > limits.alloc then
      return false
   end
   local b = newBlock(mt, src, n)
   H[self] = b
   setfenv(self, {b})
   return true
end

local bornView, bornCopy = py.born_view, py.born_copy
local function address(p) return tonumber(cast(uintptr, p)) end

-- the Python tensor of a view or tensor made in Lua, made now from its header. A block of Lua
-- memory under it is adopted by a Python storage (one per block: Python keeps the block alive
-- while that storage lives, and gives it its values back when it dies).
local function materialize(u)
   local h, pair = H[u], SObj[u]
   if h == nil or idOf[u] ~= nil then return nil end
   if pair == nil then
      if not istype(bornType, h) then return nil end
      pair = h
   end
   local code = codeByMt[getmetatable(u)]
   local ok, obj, id, haddr
   if type(pair) == 'table' then
      ok, obj, id, haddr = pcall(viewFromHeader, pair[1], code, address(cast(headerPointer, h)))
   elseif pair.storage == nil then  -- an empty tensor made in Lua
      ok, obj, id, haddr = pcall(viewFromHeader, nil, code, address(cast(headerPointer, h)))
   elseif pair.unused == 0 then
      -- a block nothing else ever pointed at (no view, no storage proxy): Python copies its
      -- values into a storage of its own, cheaper than adopting it, and the block is dropped
      local sh = pair.storage
      local d, hs = h.dim, h.size
      local ha = address(cast(headerPointer, h))
      -- its own header is contiguous at offset 0 (newBlock, resize): the sizes say it all
      if d == 1 then
         ok, obj, id, haddr = pcall(bornCopy, code, address(sh.data), sh.size, ha, hs[0])
      elseif d == 2 then
         ok, obj, id, haddr = pcall(bornCopy, code, address(sh.data), sh.size, ha, hs[0], hs[1])
      else
         ok, obj, id, haddr = pcall(bornCopy, code, address(sh.data), sh.size, ha)
      end
   else
      ok, obj, id, haddr = pcall(bornView, pair, address(cast(bytePointer, pair)) + SH_OFFSET,
                                 (ffi.sizeof(pair) - DATA_OFFSET) / itemSize[code], code,
                                 address(cast(headerPointer, h)))
   end
   if not ok then raise(obj, 2) end  -- an interrupt, say: as any binding's error
   rawset(P, u, obj)
   PX[id] = u
   idOf[u] = id
   -- Python's header from now on; the storage's owner stays held as before
   local hp = cast(headerPointer, haddr)
   setfenv(u, {newAnchor(id), hp, SObj[u]})
   wrapperId[obj] = id
   H[u] = hp
   return obj
end

-- Storage proxies of blocks (x:storage() of a tensor made in Lua, torch/header.lua): one per
-- block while it lives, answering size and element access from the block's storage header;
-- the Python storage (the block's adopter) only when Python needs it.
local SB = setmetatable({}, {__mode = 'k'})                -- storage proxy -> its block
local storageProxyOf = setmetatable({}, {__mode = 'kv'})   -- block -> its storage proxy
local storageProtoByMt = {}                                -- tensor metatable -> prototype
local storageProtoBySmt = {}                               -- storage metatable -> prototype
torch._SB = SB

-- the storage proxy of tensor self (header h) when its storage is a block Python has not been
-- asked about through self; nil: ask Python
function torch._blockStorage(self, h)
   if idOf[self] ~= nil or h.storage == nil then return nil end
   local b = SObj[self]
   if b == nil then
      if not istype(bornType, h) then return nil end
      b = h
   elseif type(b) ~= 'cdata' or b.storage ~= h.storage then
      return nil
   end
   b.unused = 1  -- shared (see materialize)
   local s = storageProxyOf[b]
   if s == nil then
      local proto = storageProtoByMt[getmetatable(self)]
      if proto == nil then return nil end
      s = newproxy(proto)
      SB[s] = b
      storageProxyOf[b] = s
   end
   return s
end

-- a new zeroed storage of n elements (1 <= n <= limits.alloc) of storage metatable smt's type,
-- made in Lua as a block of its own (the tensor header part unused), and its typed data
-- pointer's address as a block; nil: Python makes it
function torch._allocStorage(smt, n)
   local proto, code = storageProtoBySmt[smt], codeByMt[smt]
   if proto == nil or n < 1 or n > limits.alloc then return nil end
   local b = bornType(n * itemSize[code])
   b.storage = cast(storagePointer, cast(bytePointer, b) + SH_OFFSET)
   b.sh.data = b.data
   b.sh.size = n
   b.unused = 1
   local s = newproxy(proto)
   SB[s] = b
   storageProxyOf[b] = s
   return s, b
end

local bornStorage = py.born_storage
local function materializeStorage(u)
   local b = SB[u]
   if b == nil or idOf[u] ~= nil then return nil end
   local code = codeByMt[getmetatable(u)]
   local ok, obj, id = pcall(bornStorage, b, address(cast(bytePointer, b)) + SH_OFFSET,
                             (ffi.sizeof(b) - DATA_OFFSET) / itemSize[code], code)
   if not ok then raise(obj, 2) end
   rawset(P, u, obj)
   PX[id] = u
   idOf[u] = id
   setfenv(u, {newAnchor(id)})
   wrapperId[obj] = id
   return obj
end

setmetatable(P, {__mode = 'k', __index = function(_, u)
   if H[u] ~= nil then return materialize(u) end
   if SB[u] ~= nil then return materializeStorage(u) end
   return nil
end})

local function unwrapTable(t)
   -- a Lua table of proxies as a table of Python objects (for cat and friends)
   local out = {}
   for k, v in pairs(t) do out[k] = P[v] or v end
   return out
end
py.set_make(make, unwrapTable)

local function unwrap(...)
   local n = select('#', ...)
   if n <= 4 then
      if n == 1 then local a = ...; return P[a] or a end
      if n == 2 then local a, b = ...; return P[a] or a, P[b] or b end
      if n == 3 then local a, b, c = ...; return P[a] or a, P[b] or b, P[c] or c end
      if n == 0 then return end
      local a, b, c, d = ...
      return P[a] or a, P[b] or b, P[c] or c, P[d] or d
   end
   if n <= 8 then
      -- explicit locals: building a table per call here made kernel calls 3x slower
      local a, b, c, d, e, f, g, h = ...
      if n == 5 then return P[a] or a, P[b] or b, P[c] or c, P[d] or d, P[e] or e end
      if n == 6 then
         return P[a] or a, P[b] or b, P[c] or c, P[d] or d, P[e] or e, P[f] or f
      end
      if n == 7 then
         return P[a] or a, P[b] or b, P[c] or c, P[d] or d, P[e] or e, P[f] or f, P[g] or g
      end
      return P[a] or a, P[b] or b, P[c] or c, P[d] or d, P[e] or e, P[f] or f, P[g] or g,
         P[h] or h
   end
   local t = {...}
   for i = 1, n do local v = t[i]; t[i] = P[v] or v end
   return unpack(t, 1, n)
end
torch._unwrap = unwrap

local function finish(ok, ...)
   if ok then return ... end
   raise((...), 3)
end

-- A Lua function calling a Python binding with proxies unwrapped and errors at the caller.
local function bind(f)
   return function(...) return finish(pcall(f, unwrap(...))) end
end
torch._bind = bind

-- torch.* functions of Torch7's TensorMath and the constructors, which Torch7 reaches through
-- C: their argument errors say '?' without a line
local function finishDispatch(ok, ...)
   if ok then return ... end
   raise((...), 3, true)
end
local function bindDispatch(f)
   return function(...) return finishDispatch(pcall(f, unwrap(...))) end
end

---------------------------------------------------------------------------------------------
-- classes (luaT): metatables by name, constructor tables, double-underscore metamethods
---------------------------------------------------------------------------------------------
local metatables = {}      -- typename -> metatable
local constructors = {}    -- typename -> constructor table

local function splitname(name)
   local parts = {}
   for p in name:gmatch('[^%.]+') do parts[#parts + 1] = p end
   return parts
end

-- The table that will hold class `name` ('a.b.C' -> a.b); as luaT, every enclosing module must
-- already exist: nothing is created on the way.
local function classHome(name)
   local parts = splitname(name)
   local t = _G
   for i = 1, #parts - 1 do
      t = t[parts[i]]
      if type(t) ~= 'table' then
         error(string.format('while creating metatable %s: bad argument #1 (%s is an invalid module name)',
                             name, table.concat(parts, '.', 1, i)), 3)
      end
   end
   return t, parts[#parts]
end

-- luaT's operators of a class: the method named __add__, ... of the left operand's class (the
-- right one's when the left has none), else luaT's error. Each class has its own functions: ==
-- between objects of two classes never reaches __eq__ (Lua 5.1 asks for the same handler on
-- both sides), as in Torch7
local function objectTypename(x)
   local mt = type(x) == 'table' and getmetatable(x)
   return type(mt) == 'table' and rawget(mt, '__typename') or '(null)'
end
local function operatorHandler(x, y, method)
   local mt = getmetatable(x)
   if type(x) ~= 'table' or mt == nil then mt = getmetatable(y) end
   return type(mt) == 'table' and mt[method] or nil
end
local classOps = {}
for op, words in pairs({add = 'addition', sub = 'substraction', mul = 'multiplication',
      div = 'division', mod = 'modulo', pow = 'power', concat = 'concat', lt = 'less-than',
      le = 'less-equal'}) do
   local method = '__' .. op .. '__'
   classOps['__' .. op] = function(a, b)
      local f = operatorHandler(a, b, method)
      if f then return f(a, b) end
      error(string.format('both %s and %s have no %s operator', objectTypename(a),
         objectTypename(b), words), 2)
   end
end
classOps.__eq = function(a, b)
   local f = operatorHandler(a, b, '__eq__')
   if f then return f(a, b) end
   return rawequal(a, b)
end
classOps.__unm = function(a)
   local f = a.__unm__
   if f then return f(a) end
   error(objectTypename(a) .. ' has no negation operator', 2)
end
classOps.__len = function(a)
   local f = a.__len__
   if f then return f(a) end
   -- level 3: the user's line (compat52's len.length calls this)
   error(objectTypename(a) .. ' has no length operator', 3)
end
classOps.__call = function(self, ...)
   local f = self.__call__
   if f then return f(self, ...) end
   error(objectTypename(self) .. ' has no call operator', 2)
end
-- without __tostring__, luaT shows the class name alone
classOps.__tostring = function(self)
   local f = self.__tostring__
   if f then return f(self) end
   return objectTypename(self)
end

local function classMetamethods(mt)
   for name, f in pairs(classOps) do mt[name] = function(...) return f(...) end end
end

-- module: where the constructor goes (module[last part of the name]); without one, the dotted
-- name is a path from _G (luaT: a class given a module creates no global)
function torch.newmetatable(name, parentName, constructor, module)
   local mt = metatables[name]
   if mt then return mt end
   local home, key
   if module then
      home, key = module, name:match('([^%.]+)$')
   else
      home, key = classHome(name)
   end
   mt = {}
   mt.__typename = name
   mt.__index = mt
   local parent
   if parentName then
      parent = metatables[parentName]
      if not parent then
         error(string.format('bad argument #2 (invalid parent class name %s)', parentName))
      end
      setmetatable(mt, parent)
   end
   classMetamethods(mt)
   mt.new = function(...) return constructor(...) end  -- luaT: obj.new(...) builds another
   metatables[name] = mt
   local ct = constructors[name] or {}
   setmetatable(ct, {__index = mt, __newindex = mt, __metatable = mt,
                     __call = function(_, ...) return constructor(...) end})
   constructors[name] = ct
   rawset(home, key, ct)
   return mt, parent
end

function torch.class(name, parentName, module)
   if type(name) ~= 'string' then
      error("bad argument #1 to 'class' (string expected)", 2)
   end
   if parentName ~= nil and type(parentName) ~= 'string' then
      module, parentName = parentName, nil
   end
   local existing = metatables[name]
   if existing then
      -- luaT looks at the parent first: a class that has one cannot be given one again
      if parentName ~= nil and getmetatable(existing) ~= nil then
         error(string.format('class %s has been already assigned a parent class\n', name))
      end
      error(string.format('%s has been already assigned a factory', name))
   end
   local mt
   mt = torch.newmetatable(name, parentName, function(...)
      local self = setmetatable({}, mt)
      local init = self.__init
      if init then init(self, ...) end
      return self
   end, module)
   return mt, (parentName and metatables[parentName] or nil)
end

-- luaT returns no value at all for a name that has no metatable (print shows nothing)
function torch.getmetatable(name)
   local mt = metatables[name]
   if mt ~= nil then return mt end
end

function torch.getconstructortable(name)
   return constructors[name]
end

local typename_of = py.typename_of

function torch.typename(obj)
   local mt = getmetatable(obj)
   if type(mt) == 'table' then
      local n = rawget(mt, '__typename')
      -- a class's constructor table (torch.DoubleTensor, nn.Linear) is not an object of it
      if n and not rawequal(constructors[n], obj) then return n end
   end
   -- luaT: no value at all for what is not a Torch object
end

-- whether a Lua file is a terminal (torch's utils.c); Lua cannot reach a file's descriptor, so
-- files other than the standard three are taken as not terminals
function torch.isatty(f)
   local fd = rawequal(f, io.stdout) and 1 or rawequal(f, io.stderr) and 2
      or rawequal(f, io.stdin) and 0
   if fd then return py.os_isatty(fd) end
   if io.type(f) ~= 'file' then
      -- utils.c checks the last argument: luaL's words, at the caller's line
      error("bad argument #2 to '?' (FILE* expected, got " .. type(f) .. ")", 2)  -- (Torch7 numbers it 2)
   end
   return false
end

function torch.getnumcores()
   return py.os_numcores()
end

-- the folder of a package's Lua files: the first package.path entry where it exists
-- (no name: the folder holding torch's)
function torch.packageLuaPath(name)
   if not name then return torch.packageLuaPath('torch'):match('(.*)/') end
   for template in package.path:gmatch('[^;]+') do
      local file = template:gsub('%?', name)
      local f = io.open(file)
      if f then
         f:close()
         return file:match('(.*)/')
      end
   end
end

-- luaT: the same Torch object (tensors and storages: the same C object), or the same table
function torch.isequal(a, b)
   local ta, tb = type(a), type(b)
   if ta == 'userdata' and tb == 'userdata' then
      if not torch.typename(a) then error("bad argument #1 to 'isequal' (Torch object expected)", 2) end
      if not torch.typename(b) then error("bad argument #2 to 'isequal' (Torch object expected)", 2) end
      return rawequal(a, b)
   end
   return ta == 'table' and tb == 'table' and rawequal(a, b)
end

function torch.type(obj)
   local tn = torch.typename(obj)
   if tn then return tn end
   return type(obj)
end

function torch.isTypeOf(obj, typeSpec)
   if type(typeSpec) == 'table' then
      typeSpec = rawget(getmetatable(typeSpec) or {}, '__typename') or rawget(typeSpec, '__typename')
   end
   local mt = getmetatable(obj)
   while type(mt) == 'table' do
      local n = rawget(mt, '__typename')
      -- a pattern matches anywhere; a plain name must match the whole type name (as Torch)
      local m = n and type(typeSpec) == 'string' and n:match(typeSpec)
      if m and (m ~= typeSpec or m == n) then
         return true
      end
      mt = getmetatable(mt)
   end
   return false
end

function torch.factory(name)
   local mt = metatables[name]
   if not mt then return nil end
   return function() return setmetatable({}, mt) end
end

function torch.setmetatable(obj, name)
   local mt = metatables[name]
   if not mt then error('unknown class ' .. tostring(name), 2) end
   return setmetatable(obj, mt)
end

function torch.version(obj)
   local mt = getmetatable(obj)
   return mt and rawget(mt, '__version') or 1
end

function torch.pointer(obj)
   -- a storage of a block of Lua memory: the block's storage header, whose address stays while
   -- the block lives (the Python storage adopting it may be remade, at another one's address)
   local b = SB[obj]
   if b ~= nil then return address(cast(bytePointer, b)) + SH_OFFSET end
   if P[obj] then return py.pointer(P[obj]) end
   return tonumber(string.format('%p', obj):sub(3), 16) or 0
end

---------------------------------------------------------------------------------------------
-- tensor and storage types
---------------------------------------------------------------------------------------------
local typeNames = {'Double', 'Float', 'Long', 'Int', 'Short', 'Char', 'Byte'}
torch._typeNames = typeNames

local tensorMethods = {}   -- shared by every tensor type (Python dispatches on the type)
local storageMethods = {}

local function isTensorProxy(x)
   local o = P[x]
   return o ~= nil
end

-- generic Torch functions from the Python registry: methods m_*, functions f_*
for k, f in pairs(py) do
   local name = k:match('^m_(.+)$')
   if name then tensorMethods[name] = bind(f) end
end

-- one-to-one bindings: method name -> Python binding name
for _, name in ipairs({'size', 'stride', 'dim', 'nElement', 'storage', 'storageOffset',
      'isContiguous', 'contiguous', 'clone', 'resize', 'resizeAs', 'set', 'isSetTo',
      'isSameSizeAs', 'view', 'narrow', 'select', 'sub', 'transpose', 't', 'permute',
      'unfold', 'expand', 'squeeze', 'unsqueeze', 'fill', 'zero', 'copy'}) do
   tensorMethods[name] = bind(py[name])
end
tensorMethods.nDimension = tensorMethods.dim
tensorMethods.numel = tensorMethods.nElement
tensorMethods.totable = bind(py.totable)
for _, name in ipairs({'uniform', 'normal', 'random', 'bernoulli', 'exponential', 'geometric',
      'cauchy', 'logNormal'}) do
   tensorMethods[name] = bind(py['t_' .. name])
end

function tensorMethods.viewAs(self, other) return self:view(other) end
function tensorMethods.expandAs(self, other) return self:expand(other) end
function tensorMethods.reshape(self, ...) return torch.reshape(self, ...) end
function tensorMethods.typeAs(self, other) return self:type(torch.typename(other)) end
function tensorMethods.cdata(self) return nil end
-- bound: a tensor outside its storage (shrunk under it) raises a Lua error here too
tensorMethods.data = bind(py.data_pointer)
tensorMethods.__tostring__ = bind(py.tostring)

local maxmin = {}
for _, name in ipairs({'max', 'min'}) do
   local whole = tensorMethods[name]
   local along = bind(py.max_dim)
   local function f(...)
      local n = select('#', ...)
      if n == 1 then return whole(...) end
      return along(name, ...)
   end
   tensorMethods[name] = f
   maxmin[name] = f
end

for _, name in ipairs(typeNames) do
   local m = name:lower()
   tensorMethods[m] = function(self) return self:type('torch.' .. name .. 'Tensor') end
end
function tensorMethods.half(self) return self:type('torch.HalfTensor') end

local convert = bind(py.convert)
function tensorMethods.type(self, t)
   if t == nil then return torch.typename(self) end
   if type(t) ~= 'string' then
      error("bad argument #1 to 'type' (string expected, got " .. type(t) .. ')', 2)
   end
   local name = t:match('^torch%.(%a+)Tensor$')
   if not name or not constructors[t] then
      if t:match('^torch%.Cuda') then
         error('luatorch runs on the CPU: ' .. t .. ' is not available', 2)
      end
      -- Torch's Tensor.type indexes the metatable of that name, which does not exist
      error('attempt to index a nil value', 2)
   end
   return convert(self, name)
end

local function checkCallback(f, fname, argn)
   if type(f) ~= 'function' then
      -- luaL_checktype's words for the call as it was made (argn not counting self)
      local e, level = argerror(string.format("bad argument #%d to '%s' (function expected, "
         .. "got %s)", argn + 1, fname, type(f)), getinfo(2, 'n'), 3)
      error(e, level)
   end
end

local function checkTensor(t, fname, argn)
   if not torch.isTensor(t) then
      error(string.format("bad argument #%d to '%s' (torch.*Tensor expected, got %s)", argn,
                          fname, torch.type(t)), 3)
   end
end

-- apply/map/map2 as Torch7 runs them: contiguous tensors through FFInterface's LuaJIT loop,
-- which skips a false or nil result and stores any other through the FFI (a non-number: "cannot
-- convert"); others through Tensor.c's loop, which wants a number or nil
local cTypes = {['torch.DoubleTensor'] = 'double', ['torch.FloatTensor'] = 'float',
   ['torch.LongTensor'] = 'long', ['torch.IntTensor'] = 'int', ['torch.ShortTensor'] = 'short',
   ['torch.CharTensor'] = 'char', ['torch.ByteTensor'] = 'unsigned char'}
local function ffiValue(self, v)
   if v == true then return 1 end
   if type(v) ~= 'number' then
      error(string.format("cannot convert '%s' to '%s'", type(v), cTypes[torch.typename(self)]),
         3)
   end
   return v
end
local function cValue(v)
   local n = tonumber(v)
   if n == nil and v ~= nil then error('given function should return a number or nil', 3) end
   return n
end
local function callable(f)
   if type(f) == 'function' then return true end
   local m = getmetatable(f)
   return type(m) == 'table' and m.__call ~= nil
end
local function ffiCall(f)
   if not callable(f) then
      error(string.format("attempt to call local 'func' (a %s value)", type(f)), 3)
   end
end
-- TH's words for a size: [2 x 3]
local function sizeWords(t)
   return '[' .. table.concat(t:size():totable(), ' x ') .. ']'
end
local function checkMapSource(self, src, argn)
   if not torch.isTensor(src) then
      error(string.format("bad argument #%d to 'map' (tensor expected)", argn), 3)
   end
   if src:type() ~= self:type() then
      error(string.format("bad argument #%d to 'map' (%s expected, got %s)", argn, self:type(),
         src:type()), 3)
   end
end

function tensorMethods.apply(self, f)
   local n = self:nElement()
   if self:isContiguous() then
      ffiCall(f)
      local flat = self:view(n)
      for i = 1, n do
         local v = f(flat[i])
         if v then flat[i] = ffiValue(self, v) end
      end
      return self
   end
   checkCallback(f, 'apply', 1)
   local out = self:clone():view(n)
   for i = 1, n do
      local v = cValue(f(out[i]))
      if v ~= nil then out[i] = v end
   end
   self:copy(out)
   return self
end

function tensorMethods.map(self, other, f)
   checkMapSource(self, other, 1)
   local n = self:nElement()
   if self:isContiguous() and other:isContiguous() then
      assert(other:nElement() == n, 'size mismatch')
      ffiCall(f)
      local a, b = self:view(n), other:view(n)
      for i = 1, n do
         local v = f(a[i], b[i])
         if v then a[i] = ffiValue(self, v) end
      end
      return self
   end
   checkCallback(f, 'map', 2)
   if other:nElement() ~= n then
      error(string.format('inconsistent tensor size, expected tensor %s and src %s to have the '
         .. 'same number of elements, but got %d and %d elements respectively', sizeWords(self),
         sizeWords(other), n, other:nElement()), 0)
   end
   local a, b = self:clone():view(n), other:contiguous():view(n)
   for i = 1, n do
      local v = cValue(f(a[i], b[i]))
      if v ~= nil then a[i] = v end
   end
   self:copy(a)
   return self
end

function tensorMethods.map2(self, o1, o2, f)
   -- (FFInterface names map2's arguments as map's)
   checkMapSource(self, o1, 1)
   checkMapSource(self, o2, 2)
   local n = self:nElement()
   if self:isContiguous() and o1:isContiguous() and o2:isContiguous() then
      assert(o1:nElement() == n, 'size mismatch')
      assert(o2:nElement() == n, 'size mismatch')
      ffiCall(f)
      local a, b, c = self:view(n), o1:view(n), o2:view(n)
      for i = 1, n do
         local v = f(a[i], b[i], c[i])
         if v then a[i] = ffiValue(self, v) end
      end
      return self
   end
   checkCallback(f, 'map2', 3)
   if o1:nElement() ~= n or o2:nElement() ~= n then
      error(string.format('inconsistent tensor size, expected tensor %s, src1 %s and src2 %s to '
         .. 'have the same number of elements, but got %d, %d and %d elements respectively',
         sizeWords(self), sizeWords(o1), sizeWords(o2), n, o1:nElement(), o2:nElement()), 0)
   end
   local a = self:clone():view(n)
   local b, c = o1:contiguous():view(n), o2:contiguous():view(n)
   for i = 1, n do
      local v = cValue(f(a[i], b[i], c[i]))
      if v ~= nil then a[i] = v end
   end
   self:copy(a)
   return self
end

-- index and newindex: numbers, tables of ranges, ByteTensor masks, LongStorage
local index_number, index_table = py.index_number, py.index_table
local newindex_number, newindex_table = py.newindex_number, py.newindex_table
local tensorTostring = py.tostring

-- luaT's operator metamethods for an operator a class does not define: Torch7 raises these
-- where Lua would say "attempt to compare two userdata values" (luaT_typename of a non-torch
-- operand is NULL: "(null)")
local function noBinaryOperator(words)
   return function(a, b)
      error(format('both %s and %s have no %s operator', torch.typename(a) or '(null)',
         torch.typename(b) or '(null)', words), 2)
   end
end
local function noOperators(mt, names)
   for _, name in ipairs(names) do
      if name == 'unm' then
         mt.__unm = function(a)
            error(format('%s has no negation operator', torch.typename(a)), 2)
         end
      elseif name == 'call' then
         mt.__call = function(a)
            error(format('%s has no call operator', torch.typename(a)), 0)
         end
      else
         mt['__' .. name] = noBinaryOperator(({add = 'addition', sub = 'substraction',
            mul = 'multiplication', div = 'division', mod = 'modulo', pow = 'power',
            concat = 'concat', lt = 'less-than', le = 'less-equal'})[name])
      end
   end
end

local function fillTensorMetatable(mt, name)
   for k, v in pairs(tensorMethods) do mt[k] = v end
   mt.__typename = 'torch.' .. name .. 'Tensor'
   mt.__index = function(self, k)
      local v = rawget(mt, k)
      if v ~= nil then return v end
      local tk = type(k)
      if tk == 'number' then
         local ok, r = pcall(index_number, P[self], k)
         if ok then return r end
         raise(r, 2)
      elseif tk == 'table' or tk == 'userdata' then
         local ok, r = pcall(index_table, P[self], P[k] or k)
         if ok then return r end
         raise(r, 2)
      end
      return nil
   end
   mt.__newindex = function(self, k, v)
      local tk = type(k)
      local ok, r
      if tk == 'number' then
         ok, r = pcall(newindex_number, P[self], k, P[v] or v)
      elseif tk == 'table' or tk == 'userdata' then
         ok, r = pcall(newindex_table, P[self], P[k] or k, P[v] or v)
      else
         error("bad argument #2 to '__newindex' (number or table expected)", 2)
      end
      if not ok then raise(r, 2) end
   end
   mt.__tostring = function(self) return mt.__tostring__(self) end
   mt.__len = function(self) return self:size() end
   mt.__add = bind(py.op_add)
   mt.__sub = bind(py.op_sub)
   mt.__mul = bind(py.op_mul)
   mt.__div = bind(py.op_div)
   mt.__mod = bind(py.op_mod)
   local unm = bind(py.op_unm)
   mt.__unm = function(a) return unm(a) end
   noOperators(mt, {'pow', 'concat', 'lt', 'le', 'call'})
end

local function fillStorageMetatable(mt, name)
   for k, v in pairs(storageMethods) do mt[k] = v end
   mt.__typename = 'torch.' .. name .. 'Storage'
   noOperators(mt, {'add', 'sub', 'mul', 'div', 'mod', 'pow', 'concat', 'lt', 'le', 'unm'})
   local get, set = py.storage_get, py.storage_set
   mt.__index = function(self, k)
      local v = rawget(mt, k)
      if v ~= nil then return v end
      if type(k) == 'number' then
         local ok, r = pcall(get, P[self], k)
         if ok then return r end
         raise(r, 0)  -- Torch7's C __index: no line
      end
      return nil
   end
   mt.__newindex = function(self, k, v)
      local ok, r = pcall(set, P[self], k, v)
      if not ok then raise(r, 0) end
   end
   mt.__tostring = function(self) return py.storage_tostring(P[self]) end
   mt.__len = function(self) return py.storage_size(P[self]) end
end

storageMethods.size = bind(py.storage_size)
storageMethods.resize = bind(py.storage_resize)
storageMethods.fill = bind(py.storage_fill)
storageMethods.copy = bind(py.storage_copy)
storageMethods.totable = bind(py.storage_totable)
function storageMethods.__tostring__(self) return py.storage_tostring(P[self]) end
for _, name in ipairs(typeNames) do
   local sname = 'torch.' .. name .. 'Storage'
   storageMethods[name:lower()] = function(self)
      return finish(pcall(py.storage_convert, P[self], name))
   end
end

local newTensor, newStorage = bindDispatch(py.new_tensor), bindDispatch(py.new_storage)
-- torch.<type>Tensor(...) and torch.<type>Storage(...): torch/header.lua puts fast paths in
-- front (torch._setConstructor)
local construct, constructStorage = newTensor, newStorage
function torch._setConstructor(f, fs)
   local old, olds = construct, constructStorage
   construct = f or construct
   constructStorage = fs or constructStorage
   return old, olds
end

-- Half's type codes (HALF in tensor/core.py): its methods are trimmed to Torch7's in Half.lua
local halfCodes = {29, 30}
for i, name in ipairs({'Double', 'Float', 'Long', 'Int', 'Short', 'Char', 'Byte', 'Half'}) do
   local tname = 'torch.' .. name .. 'Tensor'
   local sname = 'torch.' .. name .. 'Storage'
   local tp = newproxy(true)
   local sp = newproxy(true)
   local tpm, spm = getmetatable(tp), getmetatable(sp)
   fillTensorMetatable(tpm, name)
   fillStorageMetatable(spm, name)
   tpm.new = function(...) return construct(name, ...) end
   spm.new = function(...) return constructStorage(name, ...) end
   protos[name == 'Half' and halfCodes[1] or i] = tp
   protos[name == 'Half' and halfCodes[2] or i + 7] = sp
   if name ~= 'Half' then  -- views, tensors and storages made in Lua
      protoByMt[tpm], codeByMt[tpm], storageProtoByMt[tpm], codeByMt[spm] = tp, i, sp, i
      storageProtoBySmt[spm] = sp
   end
   metatables[tname] = tpm
   metatables[sname] = spm
   local ct = {}
   setmetatable(ct, {__index = tpm, __newindex = tpm, __metatable = tpm,
                     __call = function(_, ...) return construct(name, ...) end})
   constructors[tname] = ct
   torch[name .. 'Tensor'] = ct
   local cs = {}
   setmetatable(cs, {__index = spm, __newindex = spm, __metatable = spm,
                     __call = function(_, ...) return constructStorage(name, ...) end})
   constructors[sname] = cs
   torch[name .. 'Storage'] = cs
end

-- a userdata type defined after start-up (cutorch's types on the CPU): its prototype proxy
-- by type code (see TypeAlias in tensor/core.py), its metatable and constructor table by name
function torch._registerType(name, code, proto, ct)
   protos[code] = proto
   metatables[name] = getmetatable(proto)
   constructors[name] = ct
end

---------------------------------------------------------------------------------------------
-- torch.* functions
---------------------------------------------------------------------------------------------
local defaultType = 'Double'

function torch.setdefaulttensortype(t)
   assert(type(t) == 'string', 'string expected')
   local name = t:match('^torch%.(%a+)Tensor$')
   if not name or not constructors[t] then
      -- Torch's words, raised (as there) at this function's own line
      error(string.format('<%s> is not a string describing a torch object', t))
   end
   defaultType = name
   py.set_default_type(name)
   torch.Tensor = constructors[t]
   torch.Storage = constructors['torch.' .. name .. 'Storage']
end

function torch.getdefaulttensortype()
   return 'torch.' .. defaultType .. 'Tensor'
end

torch.Tensor = torch.DoubleTensor
torch.Storage = torch.DoubleStorage

-- type name -> whether it names a tensor (or a storage) type; a table look-up, which LuaJIT
-- compiles, where a string match on every call would not be (nn's table modules ask this of
-- every element they visit)
local function nameTest(pattern)
   return setmetatable({}, {__index = function(t, tn)
      local v = tn:match(pattern) ~= nil
      rawset(t, tn, v)
      return v
   end})
end
local tensorName, storageName = nameTest('^torch%.%a+Tensor$'), nameTest('^torch%.%a+Storage$')

function torch.isTensor(obj)
   local tn = torch.typename(obj)
   return tn ~= nil and tensorName[tn]
end

function torch.isStorage(obj)
   local tn = torch.typename(obj)
   return tn ~= nil and storageName[tn]
end

function torch.isSize(obj)
   return torch.typename(obj) == 'torch.LongStorage'
end

-- torch.f(t, ...) as t:f(...), with Torch's error when t is not a tensor
function torch._methodForm(name)
   return function(t, ...)
      local f = P[t] ~= nil and t[name]
      if not f then
         error(string.format("bad argument #1 to '%s' (torch.*Tensor expected, got %s)", name,
                             torch.type(t)), 2)
      end
      return f(t, ...)
   end
end

for k, f in pairs(py) do
   local name = k:match('^f_(.+)$')
   if name then torch[name] = bind(f) end
end
torch.max = function(...)
   local n = select('#', ...)
   if n == 1 then return tensorMethods.max(...) end
   return maxmin.max(...)
end
torch.min = function(...)
   local n = select('#', ...)
   if n == 1 then return tensorMethods.min(...) end
   return maxmin.min(...)
end

local function withType(f)
   return function(...) return f(defaultType, ...) end
end
torch.zeros = withType(bindDispatch(py.zeros))
torch.ones = withType(bindDispatch(py.ones))
torch.rand = withType(bindDispatch(py.rand))
torch.randn = withType(bindDispatch(py.randn))
torch.range = withType(bindDispatch(py.range))
torch.linspace = withType(bindDispatch(py.linspace))
torch.logspace = withType(bindDispatch(py.logspace))
torch.eye = withType(bindDispatch(py.eye))
torch.randperm = withType(bindDispatch(py.randperm))
for _, name in ipairs({'size', 'dim', 'nElement', 'clone', 'contiguous', 'view', 'narrow',
      'select', 'transpose', 't', 'squeeze', 'unsqueeze', 'permute', 'expand', 'unfold',
      'totable', 'fill', 'zero', 'copy', 'isContiguous', 'isSameSizeAs', 'storage', 'type'}) do
   torch[name] = torch[name] or torch._methodForm(name)
end
torch.reshape = bind(py.reshape)
local cat = bind(py.cat)
function torch.cat(a, b, c)
   if torch.isTensor(a) and torch.isTensor(b) then return cat(nil, unwrapTable({a, b}), c) end
   if torch.isTensor(a) and type(b) == 'table' then return cat(a, unwrapTable(b), c) end
   if type(a) == 'table' then return cat(nil, unwrapTable(a), b) end
   error("bad argument #1 to 'cat' (expected tensors)", 2)
end
function tensorMethods.cat(self, a, b, c)
   if type(a) == 'table' and not torch.isTensor(a) then return cat(self, unwrapTable(a), b) end
   return cat(self, unwrapTable({a, b}), c)
end

torch.manualSeed = bind(py.manualSeed)
torch.seed = bind(py.seed)
torch.initialSeed = bind(py.initialSeed)
-- torch.normal(t, ...) fills t as t:normal(...) and returns it (cwrap's optional result
-- tensor); a number first draws one value
for _, name in ipairs({'random', 'uniform', 'normal', 'exponential', 'bernoulli', 'geometric',
      'cauchy', 'logNormal'}) do
   local one, fill = bind(py[name]), tensorMethods[name]
   torch[name] = function(...)
      if torch.isTensor((...)) then return fill(...) end
      return one(...)
   end
end

torch.setnumthreads = bind(py.set_num_threads)
torch.getnumthreads = bind(py.get_num_threads)

function torch.setheaptracking() end
function torch.updateerrorhandlers() end

---------------------------------------------------------------------------------------------
-- th's print (trepl's print_new): a tab after scalars, tables as { k : v } blocks
---------------------------------------------------------------------------------------------
local function sizestr(x)
   local tn = torch.typename(x)
   if tn:find('torch.*Storage') then
      return tn:match('torch%.(.+)') .. ' - size: ' .. x:size()
   end
   if x:nDimension() == 0 then
      return tn:match('torch%.(.+)') .. ' - empty'
   end
   local parts = {}
   for i = 1, x:nDimension() do parts[i] = x:size(i) end
   return tn:match('torch%.(.+)') .. ' - size: ' .. table.concat(parts, 'x')
end
torch._sizestr = sizestr

local function describe(v, nested)
   local tv = type(v)
   if tv == 'string' then
      return nested and ('"' .. v .. '"') or v
   elseif tv == 'userdata' then
      local tn = torch.typename(v) or ''
      if tn:find('torch.*Tensor') or tn:find('torch.*Storage') then return sizestr(v) end
      return tostring(v)
   end
   return tostring(v)
end

local printDepth = 5  -- trepl starts with setprintlevel(5)
-- (th's setprintlevel sets how deep print shows nested tables)
function torch._setprintdepth(n) printDepth = n end
local function printTable(obj, depth)
   local tab = depth * 4
   local function line(s) write(string.rep(' ', tab) .. s .. '\n') end
   if next(obj) == nil then line('{}') return end
   line('{')
   tab = tab + 2
   for k, v in pairs(obj) do
      if type(v) == 'table' then
         if depth >= printDepth - 1 or next(v) == nil then
            line(tostring(k) .. ' : {...}')
         else
            line(tostring(k) .. ' : ')
            printTable(v, depth + 1)
         end
      else
         line(tostring(k) .. ' : ' .. describe(v, true))
      end
   end
   tab = tab - 2
   line('}')
end

function print(...)
   local n = select('#', ...)
   for i = 1, n do
      local obj = select(i, ...)
      local tp = type(obj)
      if tp == 'userdata' or tp == 'cdata' then
         write(tostring(obj) .. '\n')
      elseif tp ~= 'table' then
         write(describe(obj) .. '\t')
         if i == n then write('\n') end
      elseif getmetatable(obj) and getmetatable(obj).__tostring then
         write(tostring(obj) .. '\n')
      else
         printTable(obj, 0)
      end
   end
end

---------------------------------------------------------------------------------------------
-- utilities
---------------------------------------------------------------------------------------------
local Timer = torch.class('torch.Timer')
local clock = os.clock
-- The wall clock read in LuaJIT (CLOCK_MONOTONIC, Python's perf_counter) when the FFI reaches
-- clock_gettime: a call into Python for it cost 0.5-1 us, inside every interval a script
-- times. The CPU clock (os.clock: a system call summing every thread of the process) is read
-- outside the real interval: before the wall clock at a start, after it at a stop.
local wall = py.wall_time
do
   -- under a name of its own (asm label): a script's own declaration of clock_gettime, with
   -- its own struct timespec, must work as in Torch7
   local ok = pcall(ffi.cdef, [[
typedef struct { long tv_sec, tv_nsec; } LTTimespec;
int lt_clock_gettime(int clk, LTTimespec *ts) __asm__("clock_gettime");
]])
   if ok and ffi.os == 'Linux' and pcall(function() return ffi.C.lt_clock_gettime end) then
      local ts, gettime = ffi.new('LTTimespec'), ffi.C.lt_clock_gettime
      wall = function()
         gettime(1, ts)  -- CLOCK_MONOTONIC
         return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
      end
   end
end
function Timer:__init()
   self:reset()
end
function Timer:reset()
   self._cpu = clock()
   self._start, self._acc, self._cpuAcc, self._running = wall(), 0, 0, true
   return self
end
function Timer:stop()
   if self._running then
      self._acc = self._acc + wall() - self._start
      self._cpuAcc = self._cpuAcc + clock() - self._cpu
      self._running = false
   end
   return self
end
function Timer:resume()
   if not self._running then
      self._cpu = clock()
      self._start, self._running = wall(), true
   end
   return self
end
function Timer:time()
   local real, cpu = self._acc, self._cpuAcc
   if self._running then
      real = real + wall() - self._start
      cpu = cpu + clock() - self._cpu
   end
   return {real = real, user = cpu, sys = 0}
end

torch.include = function(pkg, file)
   return dofile(package.searchpath and package.searchpath(pkg .. '.' .. file:gsub('%.lua$', ''), package.path) or file)
end

-- optional parts, each in its own file under lua/torch/
for _, part in ipairs({'extra', 'header', 'blas', 'apply', 'conv', 'CmdLine', 'Tester', 'TestSuite',
                       'File', 'Half'}) do
   if package.searchpath('torch.' .. part, package.path) then require('torch.' .. part) end
end

-- torch7's init.lua loads paths, whose C part registers the global `paths`: scripts call
-- paths.concat or paths.dofile without requiring it
package.loaded.torch = torch
require 'paths'

-- torch7's global include(file): runs file from the folder of the file that calls it
rawset(_G, 'include', function(file, depth)
   paths.dofile(file, 3 + (depth or 0))
end)

return torch
