-- torch.inverse as Torch7 computes it (LAPACK getrf then getri on a column-major copy): the same
-- bits, the -0 of an exact inverse included, and the result's column-major strides
torch.manualSeed(1)
for n = 1, 2 do
  local a = torch.randn(n * 7, n * 7)
  local b = torch.inverse(a)
  io.write(string.format('%.17g %.17g ', b:sum(), b[1][1]))
end
print(torch.inverse(torch.Tensor{{2, 0}, {0, 4}}))
print(torch.inverse(torch.Tensor{{1, 2}, {3, 4}}))
print(torch.inverse(torch.FloatTensor{{1, 2}, {3, 4}}))
torch.manualSeed(2)
for n = 1, 2 do
  local a = torch.randn(n * 13, n * 13):float()
  local b = torch.inverse(a)
  io.write(string.format('%.10g %.10g ', b:sum(), b[1][1]))
end
print()
local a = torch.randn(4, 4)
local r = torch.Tensor()
torch.inverse(r, a)
print(r:stride(1), r:stride(2), r:isContiguous())
print(torch.inverse(torch.Tensor{{5}}))
