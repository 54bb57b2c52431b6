-- Reductions and element-wise maths printed to the last digit: TH's order of additions,
-- accumulation in double for float tensors, the C library's exp/log/tanh.
dofile(paths.concat(paths.dirname(paths.thisfile()), 'common.lua'))
torch.manualSeed(4)
local x = torch.randn(37, 53):mul(3):add(1)
local y = torch.randn(37, 53)
local big = torch.rand(300000):mul(255):floor()
local xt = x:t()
show('sum', x:sum())
show('sum big', big:sum())
show('mean', x:mean())
show('std', x:std())
show('std big', big:std())
show('var', x:var())
show('std biased', x:std(true))
show('norm', x:norm())
show('norm 1', x:norm(1))
show('norm 3', x:norm(3))
show('norm 0.5', x:norm(0.5))
show('norm 0', x:norm(0))
show('norm huge', x:norm(math.huge))
show('dist', x:dist(y))
show('dist 3', x:dist(y, 3))
show('dot', x:dot(y))
show('prod', x:narrow(2, 1, 5):prod())
show('trace', x:narrow(2, 1, 37):trace())
for _, d in ipairs{1, 2} do
   for _, v in ipairs{
         {'sum', x:sum(d)}, {'sum t', xt:sum(d)}, {'mean', x:mean(d)}, {'std', x:std(d)},
         {'var', x:var(d)}, {'std biased', x:std(d, true)}, {'norm', x:norm(2, d)},
         {'norm 3', x:norm(3, d)}, {'norm huge', x:norm(math.huge, d)},
         {'cumsum', x:cumsum(d)}, {'prod', x:narrow(2, 1, 6):prod(d)},
         {'cumprod', x:narrow(2, 1, 6):cumprod(d)}} do
      local t = v[2]:contiguous():view(-1)
      show(v[1] .. ' dim ' .. d .. ' first', t[1])
      show(v[1] .. ' dim ' .. d .. ' sum', t:sum())
   end
end
local r = x:clone():renorm(2, 1, 5)
show('renorm 2', r:sum())
show('renorm 3', x:clone():renorm(3, 2, 2):sum())
show('renorm 1', x:clone():renorm(1, 1, 20):sum())
local s = torch.randn(1000)
for _, f in ipairs{'exp', 'tanh', 'sigmoid', 'sin', 'cos', 'atan', 'log1p'} do
   show(f, torch[f](s):sum())
end
show('log', torch.log(s:clone():abs()):sum())
show('sqrt', torch.sqrt(s:clone():abs()):sum())
show('pow 2.5', torch.pow(s:clone():abs(), 2.5):sum())
show('pow 3', torch.pow(s, 3):sum())
show('cpow', torch.cpow(s:clone():abs(), s):sum())
show('tpow', torch.pow(1.7, s):sum())
show('add scaled', torch.add(s, 0.3, s:clone():mul(1.1)):sum())
local acc = s:clone()
acc:add(-0.01, s:clone():mul(1.7))
show('add scaled in place', acc:sum())
show('addcmul', s:clone():addcmul(0.7, s, s):sum())
show('addcdiv', s:clone():addcdiv(0.7, s, s:clone():abs():add(1)):sum())
local m, v = torch.randn(20, 30), torch.randn(30)
show('mv', torch.mv(m, v):sum())
show('mv t', torch.mv(m:t(), torch.randn(20)):sum())
show('addmv', torch.addmv(0.5, torch.randn(20), 0.3, m, v):sum())
show('mm', torch.mm(m, torch.randn(30, 7)):sum())
show('addmm', torch.addmm(0.5, torch.randn(20, 7), 0.3, m, torch.randn(30, 7)):sum())
show('addmm long k', torch.addmm(torch.randn(3, 3), torch.randn(3, 2000), torch.randn(2000, 3)):sum())
show('addr', torch.addr(0.5, torch.randn(20, 30), 0.3, torch.randn(20), v):sum())
show('bmm', torch.bmm(torch.randn(3, 4, 5), torch.randn(3, 5, 6)):sum())
show('addbmm', torch.addbmm(torch.randn(4, 6), torch.randn(3, 4, 5), torch.randn(3, 5, 6)):sum())

-- sort: TH's quicksort leaves equal values in its own order (indices printed, every one)
local function indices(name, i)
   local parts = {}
   local flat = i:contiguous():view(-1)
   for k = 1, flat:size(1) do parts[k] = tostring(flat[k]) end
   io.write(name, ' ', table.concat(parts, ' '), '\n')
end
local ties = torch.Tensor(200):random(1, 5)
for _, desc in ipairs({false, true}) do
   local tag = desc and 'sort descending' or 'sort'
   local _, i = torch.sort(ties, 1, desc)
   indices(tag .. ' ties', i)
   _, i = torch.sort(torch.Tensor(37, 23):random(1, 4), 1, desc)
   indices(tag .. ' ties columns', i)
   _, i = torch.sort(torch.LongTensor(60):random(1, 3), 1, desc)
   indices(tag .. ' long ties', i)
   local v
   v, i = torch.sort(torch.Tensor({1, 0/0, 3, 0/0, 2, 5, 4, 0/0, 1, 7, 8, 9, 10, 11, 2}), 1, desc)
   indices(tag .. ' nan', i)
   show(tag .. ' rows', torch.sort(torch.randn(30, 40), 2, desc):narrow(2, 1, 5):sum())
end
