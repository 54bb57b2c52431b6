-- tensor API as tutorials use it: indexing, views, storage, apply, linspace, printing values
torch.manualSeed(42)
local t = torch.Tensor(4, 5)
local i = 0
t:apply(function() i = i + 1; return i end)
print(t)
print(t[{{}, {1, 2}}])
print(t[{2, {}}])
print(t[{{2, 3}, 4}])
print(t[3][2], t[{3, 2}])
t[{{}, 1}] = 0
t[{1, {}}]:fill(-1)
print(t)
print(t:size(), #t, t:size(1), t:nElement(), t:dim())
local sz = t:size()
print(sz[1] * sz[2])

local s = torch.Storage(6)
for k = 1, 6 do s[k] = k * 10 end
local ts = torch.Tensor(s)
print(ts)
local ts2 = torch.Tensor(s, 2, torch.LongStorage{2, 2})
print(ts2)
ts2[1][1] = 99
print(s[2])
assert(s[2] == 99)

local l = torch.linspace(0, 1, 5)
print(l)
print(torch.logspace(0, 2, 3))
print(torch.range(1, 10, 3))
local u = torch.Tensor(3, 3):uniform():mul(10):floor()
print(u)
local m = torch.Tensor(2, 3):uniform(-1, 1)
print(string.format('first value %.4f, sum %.4f, mean %.4f', m[1][1], m:sum(), m:mean()))
for r = 1, m:size(1) do
   local row = {}
   for c = 1, m:size(2) do row[#row + 1] = string.format('%6.3f', m[r][c]) end
   print(table.concat(row, ' '))
end

-- map, maskedFill, narrow, select, transpose, view, contiguity
local a = torch.range(1, 12):resize(3, 4)
local b = a:t()
print(b:isContiguous(), b:contiguous():isContiguous())
print(a:narrow(2, 2, 2))
print(a:select(1, 2))
print(a:view(2, 6))
print(a:view(-1, 3):size())
a:map(torch.Tensor(3, 4):fill(2), function(x, y) return x * y end)
print(a)
local mask = a:gt(12)
print(mask)
a[mask] = 0
print(a)
a:maskedFill(a:eq(0), -5)
print(a:sum())
-- sort, max, topk, index
local v = torch.Tensor{3, 1, 4, 1, 5, 9, 2, 6}
local sorted, idx = torch.sort(v)
print(sorted, idx)
local mx, imx = v:max(1)
print(mx[1], imx[1])
local top, itop = v:topk(3, true)
print(top)
print(v:index(1, torch.LongTensor{1, 3, 5}))
print(torch.cat(torch.ones(2), torch.zeros(3)))
print(torch.cat(torch.ones(2, 2), torch.zeros(2, 1), 2))
print(torch.eye(3))
print(torch.type(torch.LongTensor()), torch.typename(torch.ByteTensor()))
print(torch.Tensor(2, 2):zero():type('torch.IntTensor'))
print(torch.Tensor({1.5, 2.5}):long())
print(torch.isTensor(a), torch.isTensor({}))
-- numbers as in Lua
print(10 / 2, 7 % 3, 2 ^ 10, math.floor(3.7))
print(torch.Tensor{1e-5, 2e-5})
print(torch.Tensor{1e5, 2, 3})
print(torch.Tensor())
