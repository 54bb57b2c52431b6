-- Comparison results: torch.eq(res, x, v) dispatches on its first tensor; a method of the
-- sources' class (DoubleTensor.gt) takes a ByteTensor result
local a = torch.FloatTensor{1, 2, 3, 2}
local r = torch.FloatTensor()
print(pcall(function() return r:eq(a, 2) end))
print(r)
local r2 = torch.FloatTensor(4):fill(7)
print(pcall(function() return torch.eq(r2, a, 2) end))
print(r2)
print(pcall(function() return r2:gt(a, a) end))
print(r2)
local d = torch.DoubleTensor()
local b = torch.ByteTensor()
print(pcall(function() return torch.FloatTensor.eq(a, 2) end))
local l = torch.LongTensor{1,5}
print(pcall(function() return l:ge(l, 2) end))
local x = torch.DoubleTensor{1, 3, 5}
local rb = torch.ByteTensor()
print(pcall(torch.eq, rb, x, 3))
print(pcall(torch.gt, x.new(), x, x:clone():fill(3)))
x.gt(rb, x, 2)
print(rb)
local xb = torch.ByteTensor{1, 3, 5}
print(pcall(torch.eq, rb, xb, 3))
print(rb)
local d = torch.DoubleTensor()
print(pcall(function() return d:lt(torch.FloatTensor{1, 2}, 2) end))
