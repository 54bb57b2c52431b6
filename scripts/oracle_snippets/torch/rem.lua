torch.manualSeed(3)
for _, T in ipairs{'torch.FloatTensor', 'torch.DoubleTensor'} do
  local a = torch.randn(1000):type(T):mul(10)
  local b = torch.rand(1000):type(T):add(0.1)
  for _, r in ipairs{torch.remainder(a, 0.3), torch.remainder(a, -0.7), torch.cremainder(a, b), a:clone():remainder(1.1), torch.fmod(a, 0.3), torch.cfmod(a, b), a % 0.3} do
    local s = 0 for i = 1, r:size(1) do s = s + r[i] * i end
    print(T, string.format('%.17g', s))
  end
  print(torch.remainder(torch.Tensor{-3, 3, 0}:type(T), 0))
end
