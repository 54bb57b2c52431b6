-- In-place operations into expanded (zero-stride) tensors: TH updates each memory element once
-- per logical element, in row-major order, so the terms accumulate
local function show(t) io.write(table.concat(t:clone():view(-1):totable(), ' '), '\n') end
local x = torch.Tensor{1, 2}
local e = x:view(2, 1):expand(2, 3)
e:add(torch.Tensor{{1, 2, 3}, {4, 5, 6}})
show(x)
local y = torch.Tensor{1}
y:expand(4):add(torch.Tensor{0.1, 0.2, 0.3, 0.4})
io.write(string.format('%.17g\n', y[1]))
local z = torch.Tensor{2}
z:expand(3):cmul(torch.Tensor{2, 3, 4})
show(z)
local w = torch.Tensor{1, 1}
w:view(1, 2):expand(3, 2):add(2, torch.Tensor{{1, 2}, {3, 4}, {5, 6}})
show(w)
local r = torch.zeros(1, 3)
r:expand(4, 3):indexAdd(1, torch.LongTensor{1, 3, 3}, torch.Tensor{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}})
show(r)
local f = torch.FloatTensor{1}
f:expand(5):add(torch.FloatTensor{0.1, 0.2, 0.3, 0.4, 1e-8})
io.write(string.format('%.17g\n', f[1]))
local d = torch.Tensor{100}
d:expand(3):div(2)
show(d)
local s = torch.Tensor{5}
s:expand(3):addcmul(2, torch.Tensor{1, 2, 3}, torch.Tensor{1, 1, 2})
show(s)
local c = torch.Tensor{0}
c:expand(3):copy(torch.Tensor{1, 2, 3})
show(c)
local m = torch.Tensor{1}
m:expand(3):add(1)
show(m)
