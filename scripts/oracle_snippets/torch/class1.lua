torch.class('Foo')
function Foo:__init(a) self.a = a end
local f = Foo(1)
print(f)
print(tostring(f))
print(pcall(function() local y = f + 1 return y end))
print(pcall(function() local y = 1 - f return y end))
print(pcall(function() local y = f * f return y end))
print(pcall(function() local y = -f return y end))
print(pcall(function() local y = f() return y end))
print(pcall(function() local y = f .. 'a' return y end))
print(pcall(function() local y = f < f return y end))
print(pcall(function() local y = #f return y end))
print(f == Foo(1), f == f)
local B, parent = torch.class('B2', 'Foo')
print(parent == Foo, torch.getmetatable('B2') == B, B.__typename, B2 ~= nil)
print(pcall(function() local y = B2(3) return y.a end))
nn2 = {} local C = torch.class('nn2.C')
print(nn2 ~= nil, nn2 and nn2.C ~= nil)
print(pcall(torch.class, 'B2'))
print(pcall(torch.class, 'B3', 'Nope'))
function Foo:__tostring__() return 'Foo(' .. self.a .. ')' end
print(f, tostring(f))
function Foo:__add__(o) return self.a + o end
print(f + 4)
function Foo:__call__(x) return x * 2 end
print(f(21))
function Foo:__len__() return 42 end
print(#f)
function Foo:__eq__(o) return true end
print(f == Foo(9))
