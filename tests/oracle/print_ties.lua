-- Tensor printing rounds exact binary ties away from zero, as Torch7's LuaJIT string.format
print(torch.Tensor{0.03125, -0.03125, 1.00005, 0.5, 2.5e-5, 0.00015})
print(torch.Tensor{1e-7, 3.0625e-5, 125000.5, -2.25e10})
print(torch.Tensor{{0.03125, 1}, {2, 3.00005}})
print(torch.Tensor{1234567.5, 0.5})
print(torch.FloatTensor{0.03125, 0.1, 1/3})
