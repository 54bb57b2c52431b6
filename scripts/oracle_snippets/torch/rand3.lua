torch.manualSeed(21)
local function h(t) local d = t:double():contiguous():view(-1) local s = 0 for i = 1, d:size(1) do s = s + d[i] * i end return string.format('%.17g', s) end
for _, T in ipairs{'torch.FloatTensor', 'torch.DoubleTensor'} do
  local x = torch.Tensor(101):type(T)
  print(T, 'uniform', h(x:uniform()), h(x:uniform(-2, 3)))
  print(T, 'normal', h(x:normal()), h(x:normal(2, 0.5)))
  print(T, 'exp', h(x:exponential(1.5)), 'cauchy', h(x:cauchy(0, 2)), 'logn', h(x:logNormal(0.5, 0.25)))
  print(T, 'geom', h(x:geometric(0.3)), 'bern', h(x:bernoulli(0.4)), 'rand', h(x:random(7)))
  print(T, 'randn', h(torch.randn(50):type(T)), h(torch.rand(50):type(T)))
  print(T, 'multinomial', h(torch.multinomial(torch.rand(7):type(T), 20, true)), h(torch.multinomial(torch.rand(3, 7):type(T), 4)))
  print(T, 'bernoulliT', h(x:bernoulli(torch.rand(101):type(T))))
end
torch.setdefaulttensortype('torch.FloatTensor')
print('float default', h(torch.rand(33)), h(torch.randn(33)), h(torch.randperm(20)))
torch.setdefaulttensortype('torch.DoubleTensor')
for _, T in ipairs{'torch.LongTensor', 'torch.IntTensor', 'torch.ByteTensor'} do
  local x = torch.Tensor(30):type(T)
  print(T, h(x:random(1, 100)), h(x:random(9)), h(x:bernoulli(0.5)), h(x:geometric(0.5)))
end
