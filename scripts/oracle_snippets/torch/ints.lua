local function P(f) local r = {pcall(f)} if r[1] then print(unpack(r, 2, table.maxn(r))) else print('ERR', (tostring(r[2]):gsub(' at /[^)]*%.c:%d+', ''))) end end
for _, T in ipairs{'torch.LongTensor', 'torch.IntTensor', 'torch.ShortTensor', 'torch.CharTensor', 'torch.ByteTensor'} do
  local a = torch.Tensor{{7, -3, 120}, {-128, 5, 99}}:type(T)
  local b = torch.Tensor{{2, 2, -7}, {3, -4, 8}}:type(T)
  P(function() return T, a:sum(), a:prod(), a:max(), a:min() end)
  P(function() return a:sum(1), a:sum(2), a:cumsum(2), a:cumprod(1) end)
  P(function() return a / 2, a * 3, a + 200, a - b, torch.cdiv(a, b), a % 3, torch.fmod(a, -3), torch.remainder(a, -3) end)
  P(function() return torch.cmul(a, b), torch.abs(a), torch.sign(a), a:clamp(-5, 50), torch.pow(a, 2) end)
  P(function() return a:dot(b) end)
  P(function() return a:dist(b) end)
  P(function() return a:norm() end)
  P(function() return torch.sort(a, 2), a:eq(5), a:gt(b), a:lt(0):sum() end)
  P(function() return a:add(2, b), a:mul(-1), a:div(-2) end)
end
