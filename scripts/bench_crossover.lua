-- Where small-tensor work should stop running in Lua and go to numpy, measured.
--    python -m luatorch scripts/bench_crossover.lua
-- 1. In-place element-wise work (limits.small): the per-call cost of x:add(y), x:mul(v),
--    x:copy(y) and x:sum() on DoubleTensors of growing size, through the Lua loop of the header
--    fast path and through the Python method it stands in for.
-- 2. New tensors (limits.alloc): x:clone() and x + y made in a block of Lua memory, against
--    the Python paths (a Python storage filled by Lua, and numpy doing everything), each with a
--    use by Python after it (x:abs(): the block is adopted then) and without.
-- CPU time (os.clock) per call, in microseconds.
local header = require 'torch.header'
local mt = torch.getmetatable('torch.DoubleTensor')
local slow = header.slow
local limits = header.limits
local keepSmall, keepAlloc = limits.small, limits.alloc

local function time(f, n)
   for i = 1, math.max(10, n / 10) do f() end
   local t = os.clock()
   for i = 1, n do f() end
   return (os.clock() - t) / n * 1e6
end

local sizes = {16, 256, 1024, 2048, 4096, 8192, 16384, 65536}

print('in place (limits.small = ' .. keepSmall .. ')')
print(string.format('%-5s %8s %10s %10s', 'op', 'n', 'Lua us', 'numpy us'))
for _, size in ipairs(sizes) do
   local x, y = torch.randn(size), torch.randn(size)
   local reps = math.max(200, math.floor(2e6 / size))
   local calls = {
      {'add', function() mt.add(x, y) end, function() slow.add(x, y) end},
      {'mul', function() mt.mul(x, 1.0000001) end, function() slow.mul(x, 1.0000001) end},
      {'copy', function() mt.copy(x, y) end, function() slow.copy(x, y) end},
      {'sum', function() return mt.sum(x) end, function() return slow.sum(x) end},
   }
   for _, c in ipairs(calls) do
      limits.small = 1e18  -- the Lua loop at every size, for the measurement
      local lua = time(c[2], reps)
      limits.small = keepSmall
      print(string.format('%-5s %8d %10.3f %10.3f', c[1], size, lua, time(c[3], reps)))
   end
end

print('\nnew tensors (limits.alloc = ' .. keepAlloc .. ')')
print(string.format('%-10s %8s %10s %10s %10s', 'op', 'n', 'Lua block', 'Py storage', 'numpy'))
local slowClone, slowAdd = slow.clone, slow.__add
for _, size in ipairs(sizes) do
   local x, y = torch.randn(size), torch.randn(size)
   local reps = math.max(2000, math.floor(4e6 / size))
   local calls = {
      {'clone', function() return mt.clone(x) end, function() return slowClone(x) end},
      {'add', function() return mt.__add(x, y) end, function() return slowAdd(x, y) end},
      {'clone+use', function() return mt.clone(x):abs() end,
       function() return slowClone(x):abs() end},
   }
   for _, c in ipairs(calls) do
      limits.alloc = 1e18
      local block = time(c[2], reps)
      limits.alloc = 0
      local pystorage = time(c[2], reps)
      limits.alloc = keepAlloc
      print(string.format('%-10s %8d %10.3f %10.3f %10.3f', c[1], size, block, pystorage,
                          time(c[3], reps)))
   end
end
