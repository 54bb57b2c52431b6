-- Where small element-wise work should stop running in Lua and go to numpy: the per-call cost of
-- x:add(y), x:mul(v), x:copy(y) and x:sum() on DoubleTensors of growing size, through the Lua
-- loop of the header fast path and through the Python method it stands in for.
--    python -m luatorch scripts/bench_crossover.lua
local header = require 'torch.header'
local mt = torch.getmetatable('torch.DoubleTensor')
local slow = header.slow
local keep = header.limits.small

local function time(f, n)
   for i = 1, math.max(10, n / 10) do f() end
   local timer = torch.Timer()
   for i = 1, n do f() end
   return timer:time().real / n * 1e6
end

print(string.format('%-5s %8s %10s %10s', 'op', 'n', 'Lua us', 'numpy us'))
for _, size in ipairs({16, 256, 1024, 2048, 4096, 8192, 16384, 65536}) do
   local x, y = torch.randn(size), torch.randn(size)
   local reps = math.max(200, math.floor(2e6 / size))
   local calls = {
      {'add', function() mt.add(x, y) end, function() slow.add(x, y) end},
      {'mul', function() mt.mul(x, 1.0000001) end, function() slow.mul(x, 1.0000001) end},
      {'copy', function() mt.copy(x, y) end, function() slow.copy(x, y) end},
      {'sum', function() return mt.sum(x) end, function() return slow.sum(x) end},
   }
   for _, c in ipairs(calls) do
      header.limits.small = 1e18  -- the Lua loop at every size, for the measurement
      local lua = time(c[2], reps)
      header.limits.small = keep
      print(string.format('%-5s %8d %10.3f %10.3f', c[1], size, lua, time(c[3], reps)))
   end
end
