-- Large element-wise work, past LuaJIT's own loops (luatorch: BLAS axpy, numpy and numexpr,
-- split over threads): x:add(y), x:add(1, y), x:add(v, y), r:add(a, b), x:cmul(y),
-- r:cmul(a, b), torch.exp(x), r:exp(x), x:csub(y) on 65537 and 600000 elements, contiguous and
-- at an offset in a larger storage, with special values among the random ones (signed zeros,
-- infinities, NaN, subnormals, huge values), run with one thread and with two; then
-- torch.tanh(x), r:tanh(x) and x:tanh() likewise, from 1000 elements, over three ranges. Every
-- result is printed as its length, first element and a hash of every bit of every element.
dofile(paths.concat(paths.dirname(paths.thisfile()), 'common.lua'))
local line = showBits

local specials = {0, -0, 1 / 0, -1 / 0, 0 / 0, 4.9e-324, -2.2e-308, 1e300, -1e300, 710, -745,
                  88.7, -104, 1e-30}

-- n values: uniform in [-scale, scale) with the specials spread among them
local function values(n, scale, offset)
   local t
   if offset then
      t = torch.Tensor(n + offset + 3):narrow(1, offset + 1, n)
   else
      t = torch.Tensor(n)
   end
   t:copy(torch.rand(n):mul(2 * scale):add(-scale))
   for i, v in ipairs(specials) do t[1 + (i * 7919) % n] = v end
   return t
end

torch.manualSeed(1)
for _, threads in ipairs({1, 2}) do
   torch.setnumthreads(threads)
   for _, n in ipairs({65537, 600000}) do
      for _, offset in ipairs({false, 5}) do
         local tag = string.format('threads=%d n=%d offset=%s', threads, n, tostring(offset))
         local x, y = values(n, 10, offset), values(n, 10, offset)
         line('add ' .. tag, x:clone():add(y))
         line('add1 ' .. tag, x:clone():add(1, y))
         line('addv ' .. tag, x:clone():add(0.37, y))
         line('add self ' .. tag, x:clone():add(x))
         line('add3 ' .. tag, torch.Tensor(n):add(x, y))
         line('csub ' .. tag, x:clone():csub(y))
         line('cmul ' .. tag, x:clone():cmul(y))
         line('cmul3 ' .. tag, torch.Tensor(n):cmul(x, y))
         local e = values(n, 30, offset)
         line('exp ' .. tag, torch.exp(e))
         local r = torch.Tensor(n)
         r:exp(e)
         line('exp into ' .. tag, r)
      end
   end
end

-- tanh: torch.tanh(x), r:tanh(x), x:tanh() over ranges that keep glibc's expm1 on its k = 0
-- path, spread over |x| < 1 and past 1, and reach its large-argument branches and 22
torch.manualSeed(2)
for _, threads in ipairs({1, 2}) do
   torch.setnumthreads(threads)
   for _, n in ipairs({1000, 65537, 600000}) do
      for _, offset in ipairs({false, 5}) do
         for _, scale in ipairs({0.15, 1.5, 30}) do
            local tag = string.format('threads=%d n=%d offset=%s scale=%g', threads, n,
                                      tostring(offset), scale)
            local x = values(n, scale, offset)
            line('tanh ' .. tag, torch.tanh(x))
            local r = torch.Tensor(n)
            r:tanh(x)
            line('tanh into ' .. tag, r)
            line('tanh self ' .. tag, x:tanh())
         end
      end
   end
end
