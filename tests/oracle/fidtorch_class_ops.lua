-- objects of torch.class classes: luaT's operators (name alone as tostring, its error words for
-- a missing __add__ ...), __eq__, torch.class errors; x[{}] is a new view, not x
local function strip(msg) return (tostring(msg):gsub('^[^:]*torch/init%.lua:%d+: ', 'torch/init.lua: ')) end
torch.class('Foo')
function Foo:__init(a) self.a = a end
local f = Foo(1)
print(f)
print(tostring(f))
print(pcall(function() local y = f + 1 return y end))
print(pcall(function() local y = 1 - f return y end))
print(pcall(function() local y = f * f return y end))
print(pcall(function() local y = f / {} return y end))
print(pcall(function() local y = f % 2 return y end))
print(pcall(function() local y = f ^ 2 return y end))
print(pcall(function() local y = -f return y end))
print(pcall(function() local y = f() return y end))
print(pcall(function() local y = f .. 'a' return y end))
print(pcall(function() local y = f < f return y end))
print(pcall(function() local y = f <= f return y end))
print(f == Foo(1), f == f)
local B, parent = torch.class('B2', 'Foo')
print(parent == Foo, torch.getmetatable('B2') == B, B.__typename, B2 ~= nil)
print(B2(3), B2(3).a)
local ok, err = pcall(torch.class, 'B2')
print(ok, strip(err))
ok, err = pcall(torch.class, 'B3', 'Nope')
print(ok, strip(err))
function Foo:__tostring__() return 'Foo(' .. self.a .. ')' end
print(f, tostring(f), B2(5))
function Foo:__add__(o) return self.a + o end
print(f + 4)
function Foo:__call__(x) return x * 2 end
print(f(21))
function Foo:__eq__(o) return true end
print(f == Foo(9), f == B2(1))
function Foo:__unm__() return 'neg' end
print(-f)
local x = torch.range(1, 12):view(3, 4)
local y = x[{}]
print(y == x, torch.pointer(y) == torch.pointer(x), y:isSetTo(x), y:size())
y[1][1] = 100 print(x[1][1])
local e = torch.Tensor()
print(e[{}] == e, e[{}]:dim())
local v = torch.Tensor{1,2,3}:narrow(1,2,2)
print(v[{}] == v, v[{}])
print(x[{{}}] == x, x[{{}, {}}] == x)
