q = {}
local A = torch.class('q.A')
function A:__init() end
function A:__len() return 42 end
function A:__add(o) return 'added' end
function A:__eq(o) return true end
function A:__lt(o) return true end
function A:__concat(o) return 'cat' end
function A:__unm() return 'neg' end
local a, b = q.A(), q.A()
print(#a, a + b, a == b, a < b, a .. b, -a)
function A:__index(k) if k == 'magic' then return 7 end return rawget(A, k) end
local c = q.A()
print(c.magic, c.foo)
local B = torch.class('q.B')
print(pcall(q.B.new))
print(torch.typename(q.B.new()))
