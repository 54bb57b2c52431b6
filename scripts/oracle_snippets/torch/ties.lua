torch.manualSeed(3)
local function s(t) return table.concat(torch.totable(t:view(-1)), ',') end
for _, n in ipairs{1, 2, 3, 5, 11, 12, 25, 40} do
   for _, ty in ipairs{'torch.DoubleTensor', 'torch.FloatTensor', 'torch.LongTensor', 'torch.IntTensor', 'torch.ByteTensor'} do
      local x = torch.Tensor(3, n):random(1, 4):type(ty)
      for k = 1, n, math.max(1, math.floor(n / 4)) do
         local v, i = x:topk(k, 2, false, true) print(n, ty, k, 'tsa', s(v), s(i))
         v, i = x:topk(k, 2, true, true) print('tsd', s(v), s(i))
         v, i = x:topk(k, 2, false, false) print('tua', s(v), s(i))
         v, i = x:topk(k, 2, true, false) print('tud', s(v), s(i))
         v, i = x:kthvalue(k, 2) print('kth', s(v), s(i))
      end
      local v, i = x:median(2) print('med', s(v), s(i))
      v, i = x:mode(2) print('mode', s(v), s(i))
      v, i = x:sort(2) print('sort', s(i))
      v, i = x:sort(2, true) print('sortd', s(i))
      v, i = x:t():median(1) print('med1', s(v), s(i))
      v, i = x:t():topk(1, 1) print('t1', s(v), s(i))
      v, i = x:max(2) print('max', s(v), s(i))
      v, i = x:min(2) print('min', s(v), s(i))
      print(x:median(), x:max(), x:min())
   end
end
local x = torch.Tensor{1, 0/0, 2, 0/0, 1}
print(pcall(function() local v, i = x:sort() return s(v) .. ' ' .. s(i) end))
print(pcall(function() local v, i = x:max(1) return s(v) .. ' ' .. s(i) end))
print(pcall(function() local v, i = x:min(1) return s(v) .. ' ' .. s(i) end))
print(x:max(), x:min())
