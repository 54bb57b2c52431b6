local t = {a = torch.Tensor(2):fill(1), b = {c = 3, d = 'x'}, 5, torch.LongStorage{1,2}}
print(t)
print({})
print({1, 2, {3}})
print({torch.Tensor(2, 2):zero()})
print(torch.Tensor(3):fill(2), {x = 1})
local nested = {{{{{1}}}}}
print(nested)
print({[1.5] = 'a', [true] = 'b'})
print({f = print} ~= nil)
local s = {}; s.self = s; print(s)
