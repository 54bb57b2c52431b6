local vals = {0.1 + 0.2, 1e300 * 1e10, -(0/0), 0/0, 2^-1074, 1 - 2^-53, 123456.789e3, -1e-7, 1e14, 1e15 + 0.5, 3.14159265358979, 100, -0.0, 2^63, 1e21}
for _, v in ipairs(vals) do io.write(tostring(v), ' ', string.format('%.3f %g %.17g %5.1e', v, v, v, v), ' ', v .. '', '\n') end
print(table.concat({0.1, 1/3, -0.0, 0/0}, ' '))
print(torch.Tensor({0.1, 1/3, 1e-10, 1e10}))
print(torch.Tensor({{0/0, 1}, {1/0, -1/0}}))
print(torch.LongTensor({1, -2, 2^40}))
print(torch.Tensor(1):fill(-0.0)[1], torch.FloatTensor({1/3})[1], torch.FloatTensor({0.1}):sum())
print(math.floor(3.7), math.ceil(-3.2), math.abs(-0.0), math.max(-0.0, 0), 7 % 0, -7 % 0, 0 % 0)
print(string.format('%s|%s|%s', 1e100, -1e-100, 2^53 + 1))
print(tostring(1e15), tostring(1e16), tostring(-1e15), tostring(123456789012))
print(#tostring(0/0), tostring(-(0/0)), tostring(math.huge - math.huge))
