dofile 'h.lua'
torch.manualSeed(1)
local x = torch.Tensor{{3,1,3,2},{5,5,0,1},{2,2,2,2}}
for _, f in ipairs{'max','min'} do
   for d = 1, 2 do
      local v, i = torch[f](x, d); dump(f .. d, {v, i})
      local v2, i2 = x[f](x, d); dump(f .. d .. 'm', {v2, i2})
   end
   print(f, x[f](x))
end
for d = 1,2 do
   for _, desc in ipairs{false, true} do
      local v, i = torch.sort(x, d, desc); dump('sort' .. d .. tostring(desc), {v, i})
   end
end
local v, i = torch.sort(torch.Tensor{3,1,2,1,3,0}); dump('sort1', {v,i})
local v, i = torch.sort(torch.Tensor{3,1,2,1,3,0}, true); dump('sort1d', {v,i})
local y = torch.Tensor{5,1,4,1,5,9,2,6}
for _, k in ipairs{1,3,8} do
   dump('topk' .. k, {torch.topk(y, k)})
   dump('topkd' .. k, {torch.topk(y, k, true)})
   dump('topks' .. k, {torch.topk(y, k, 1, true, true)})
   dump('topkss' .. k, {torch.topk(y, k, 1, false, true)})
end
dump('topk2d', {torch.topk(x, 2, 2)})
dump('topk2dd', {torch.topk(x, 2, 1, true)})
dump('kth', {torch.kthvalue(y, 3)})
dump('kth2', {torch.kthvalue(x, 2, 2)})
dump('kth1', {torch.kthvalue(x, 1, 1)})
dump('median', {torch.median(y)})
dump('median2', {torch.median(x, 2)})
dump('median1', {torch.median(x, 1)})
dump('medianodd', {torch.median(torch.Tensor{4,2,9,2,2})})
print(torch.median(torch.Tensor{4,2,9,2}))
dump('mode', {torch.mode(y)})
dump('mode2', {torch.mode(x, 2)})
dump('mode1', {torch.mode(x, 1)})
dump('cumsum', torch.cumsum(x, 2))
dump('cumsum1', torch.cumsum(x, 1))
dump('cumsumv', torch.cumsum(y))
dump('cumprod', torch.cumprod(x, 2))
dump('cumprodv', torch.cumprod(y))
for _, f in ipairs{'std','var'} do
   dump(f, torch[f](x, 2)); dump(f .. '1', torch[f](x, 1))
   dump(f .. 'b', torch[f](x, 2, true)); dump(f .. 'b1', torch[f](x, 1, true))
   print(f, torch[f](x), x[f](x))
   print(f .. 'f', torch[f](x, true))
end
dump('norm', {x:norm(), x:norm(1), x:norm(3), x:norm(0), x:norm(1/0)})
dump('normd', {x:norm(2, 2), x:norm(1, 1), x:norm(0, 2), x:norm(3, 1)})
dump('dist', {x:dist(x*2), x:dist(x+1, 1), x:dist(x*0.5, 3), x:dist(x:clone():zero(), 1/0)})
local r = torch.Tensor{{1,2,3},{4,5,6},{0.1,0.2,0.1}}
dump('renorm', torch.renorm(r, 2, 1, 5))
dump('renorm2', torch.renorm(r, 1, 2, 3))
local rr = r:clone(); rr:renorm(2, 1, 1); dump('renormi', rr)
dump('histc', torch.histc(y, 5))
dump('histc2', torch.histc(y, 4, 0, 10))
dump('histc3', torch.histc(y))
for _, f in ipairs{'prod','mean','sum'} do
   dump(f .. '1', torch[f](x, 1)); dump(f .. '2', torch[f](x, 2))
   print(f, torch[f](x), x[f](x))
end
dump('sumI', torch.IntTensor{{1,2},{3,4}}:sum(2))
print(torch.IntTensor{{1,2},{3,4}}:sum(), torch.ByteTensor{200,100}:sum())


dump('maxI', {torch.LongTensor{{1,5},{3,4}}:max(2)})
dump('maxB', {torch.ByteTensor{{1,5},{3,4}}:max(1)})
dump('maxnan', {torch.max(torch.Tensor{1,0/0,3}, 1)})
print(torch.max(torch.Tensor{1,0/0,3}), torch.min(torch.Tensor{1,0/0,3}))
dump('minnan', {torch.min(torch.Tensor{1,0/0,3}, 1)})
dump('sortnan', {torch.sort(torch.Tensor{3,0/0,1,2})})
dump('cmax', torch.cmax(x, 2)); dump('cmin', torch.cmin(x, torch.Tensor(3,4):fill(2)))
dump('max3', {torch.max(torch.range(1,24):view(2,3,4), 3)})
dump('sum3', torch.range(1,24):view(2,3,4):sum(3))
dump('sum3b', torch.range(1,24):view(2,3,4):sum(2))
dump('mean3', torch.range(1,24):view(2,3,4):mean(1))
dump('trace', x:trace())
dump('all', {torch.ByteTensor{1,1}:all() and 1 or 0, torch.ByteTensor{1,0}:any() and 1 or 0})
