pk = {}
local A = torch.class('pk.A')
function A:__init(x) self.x = x or 1 end
function A:__tostring__() return 'A(' .. self.x .. ')' end
function A:get() return self.x end
local B, parentB = torch.class('pk.B', 'pk.A')
function B:__init(x, y) parentB.__init(self, x); self.y = y end
function B:__call__(z) return self.x + self.y + z end
local b = pk.B(2, 3)
print(b, tostring(b), b(4), b:get())
print(torch.typename(b), torch.type(b), type(b), torch.isTypeOf(b, 'pk.A'), torch.isTypeOf(b, pk.A), torch.isTypeOf(b, 'pk.C'))
print(torch.isTypeOf(b, 'pk.B'), torch.isTypeOf(pk.A(), 'pk.B'), torch.isTypeOf(torch.Tensor(), 'torch.DoubleTensor'), torch.isTypeOf(torch.Tensor(), 'torch.*Tensor'))
print(torch.typename(torch.getmetatable('pk.B')), torch.getmetatable('pk.B') == getmetatable(b), torch.getmetatable('nope'))
local f = torch.factory('pk.B')
local o = f()
print(torch.typename(o), o.x, rawget(o, 'x'))
print(torch.typename(1), torch.typename('x'), torch.typename({}), torch.typename(torch.Tensor()), torch.typename(nil))
print(torch.type(1), torch.type({}), torch.type(torch.LongStorage()))
local C = torch.class('pk.C')
local c = pk.C()
print(torch.typename(c), pcall(tostring, c) and tostring(c):match('^pk%.C') )
print(pcall(torch.class, 'pk.D', 'pk.Nope'))
print(torch.isTypeOf(nil, 'pk.A'), pcall(torch.isTypeOf, b, 3))
print(torch.isTensor(torch.Tensor()), torch.isTensor(b), torch.isStorage(torch.Storage()), torch.isStorage(1))
local D = torch.class('pk2D')
print(torch.typename(pk2D()), pk2D ~= nil)
local mt = torch.getmetatable('pk.A')
print(mt.__typename, mt.__index == mt, type(mt.new), torch.getconstructortable and true)
