-- torch.class with parents and metamethods, the class helpers, setdefaulttensortype's checks,
-- torch.CmdLine's parsing and help
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
print(torch.isTypeOf(b, 'pk.B'), torch.isTypeOf(pk.A(), 'pk.B'), torch.isTypeOf(torch.Tensor(), 'torch.DoubleTensor'))
-- no value at all for an unknown name
print(torch.typename(torch.getmetatable('pk.B')), torch.getmetatable('pk.B') == getmetatable(b), torch.getmetatable('nope'))
print(select('#', torch.getmetatable('nope')))
local o = torch.factory('pk.B')()
print(torch.typename(o), o.x, rawget(o, 'x'))
print(torch.typename(1), torch.typename('x'), torch.typename({}), torch.typename(torch.Tensor()), torch.typename(nil))
print(torch.type(1), torch.type({}), torch.type(torch.LongStorage()))
print(torch.isTensor(torch.Tensor()), torch.isTensor(b), torch.isStorage(torch.Storage()), torch.isStorage(1))
local ok, err = pcall(torch.class, 'pk.D', 'pk.Nope') print(ok, (err:gsub('^.-:%d+: ', '')))
local ok, err = pcall(torch.setdefaulttensortype, 'torch.Foo') print(ok, (err:gsub('^.-:%d+: ', '')))
local ok, err = pcall(torch.setdefaulttensortype, 3) print(ok, (err:gsub('^.-:%d+: ', '')))
torch.setdefaulttensortype('torch.FloatTensor')
print(torch.getdefaulttensortype(), torch.typename(torch.Storage()), torch.typename(torch.rand(2)))
torch.setdefaulttensortype('torch.DoubleTensor')
-- CmdLine
local cmd = torch.CmdLine()
cmd:text()
cmd:text('Train a thing')
cmd:text('Options')
cmd:option('-lr', 0.1, 'learning rate')
cmd:option('-name', 'abc', 'a name')
cmd:option('-flag', false, 'a flag')
cmd:option('-n', 5, 'count')
cmd:argument('-input', 'input file')
local p = cmd:parse({'x.t7', '-lr', '0.5', '-flag', '-n', '7'})
for _, k in ipairs({'lr', 'name', 'flag', 'n', 'input'}) do print(k, p[k], type(p[k])) end
local p1 = cmd:parse({'y', '-n', '9'})
print(cmd:string('pre', p1, {}))
print(cmd:string('run', cmd:parse({'y'}), {input = true}))
local ok, err = pcall(cmd.option, cmd, '-x', nil, 'no default') print(ok, (err:gsub('^.-:%d+: ', '')))
local ok, err = pcall(cmd.option, cmd, '-x', 1, 'typed', 'string') print(ok, (err:gsub('^.-:%d+: ', '')))
cmd:help({[0] = 'prog.lua'})
local ok, err = pcall(cmd.help, cmd, {}) print(ok, (err:gsub('^.-:%d+: ', '')))
-- a class's constructor table is no object of it
require 'nn'
print(torch.typename(torch.Timer), torch.typename(torch.DoubleTensor), torch.typename(nn.Linear), torch.typename(pk.B), torch.type(nn.Linear))
print(torch.typename(nn.Linear(2, 2)), torch.typename(torch.Timer()), torch.typename(torch.DoubleStorage))
