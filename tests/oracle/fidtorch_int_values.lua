-- Values given to integer tensors and storages: strings read with strtol (luaG_checkreal), numbers
-- out of the type's range through C's int (or long) conversion as x86 does it, then wrapped
local function p(...) local r = {pcall(...)} if r[1] then local v = r[2] if torch.isTensor(v) then v = table.concat(v:double():contiguous():view(-1):totable(), " ") end print(true, v) else print(false, (tostring(r[2]):gsub(' at /[^\n]*%.c:%d+', ''))) end end
for _, T in ipairs{'Int', 'Long', 'Byte', 'Double'} do
  local t = torch[T .. 'Tensor']{1, 2}
  p(function() return t + 2.7 end)
  p(function() return t + (-2.7) end)
  p(function() return t + 'a' end)
  p(function() return t + '0x10' end)
  p(function() return t + '010' end)
  p(function() return t + '12abc' end)
  p(function() return t - ' 7' end)
  p(function() return t * '3.9' end)
  p(function() return t / '2' end)
  p(function() local u = t:clone(); u[1] = 'a'; return u end)
  p(function() local u = t:clone(); u[1] = '0x1f'; return u end)
  p(function() local u = t:clone(); u[1] = 3.7; return u end)
  p(function() local u = t:clone(); u[{1}] = '9z'; return u end)
  p(function() local u = t:view(1,2):clone(); u[{1,1}] = '9z'; return u end)
  p(function() local u = t:view(1,2):clone(); u[{1,2}] = -1.5; return u end)
  p(function() local s = torch[T .. 'Storage'](2):fill(2); s[1] = 'x7'; return s[1] end)
  p(function() local s = torch[T .. 'Storage'](2):fill(2); s[1] = '077'; return s[1] end)
  p(function() local s = torch[T .. 'Storage'](2):fill(2); s[1] = 2.9; return s[1] end)
  p(function() local s = torch[T .. 'Storage'](2):fill(2); s[1] = {}; return s[1] end)
  p(function() return t:clone():fill('0x10') end)
  p(function() return t:clone():fill(2.9) end)
  p(function() return t:clone():add('5') end)
  p(function() local u = t:clone(); u[u:gt(1)] = '7'; return u end)
end
local function q(f) local ok, r = pcall(f) if ok then print(true, r) else print(false, (tostring(r):gsub(' at /[^\n]*%.c:%d+', ''))) end end
for _, v in ipairs{2^31, 2^32 + 5, -2^31 - 1, 300, -1, 70000, 2^40 + 7, 1e19, -1e19, 0/0, 1/0} do
  print('v', v)
  q(function() return torch.IntTensor(1):fill(v)[1] end)
  q(function() return torch.ByteTensor(1):fill(v)[1] end)
  q(function() return torch.ShortTensor(1):fill(v)[1] end)
  q(function() return torch.LongTensor(1):fill(v)[1] end)
  q(function() return torch.IntStorage(1):fill(v)[1] end)
  q(function() return torch.ByteStorage(1):fill(v)[1] end)
  q(function() local t = torch.IntTensor(1); t[1] = v; return t[1] end)
  q(function() local t = torch.CharTensor(1,1); t[{1,1}] = v; return t[1][1] end)
  q(function() return torch.IntTensor(1):zero():add(v)[1] end)
  q(function() return (torch.IntTensor(1):zero() + v)[1] end)
  q(function() return torch.IntTensor{v}[1] end)
  q(function() local s = torch.IntStorage(1); s[1] = v; return s[1] end)
end
