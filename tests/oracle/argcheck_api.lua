-- argcheck: ordered, named and method calls, defaults (default, defaulta, defaultf), opt,
-- quiet, pack, overload, checks, torch type patterns, usage texts and ambiguity errors
-- (error positions are stripped: real argcheck reports a line of its generated code)
local function E(ok, msg) print(ok, (tostring(msg):gsub('^[^\n]-:%d+: ', ''))) end
local argcheck = require 'argcheck'
local check = argcheck{
   help = [[
This function is going to do a simple addition.
Give a number, it adds 5. Amazing.
]],
   {name="x", type="number", default=0, help="the age of the captain"},
   {name="msg", type="string", help="a message"}
}
print(check(4, 'hello'))
print(check('hello'))
print(check{msg='named'})
print(check{x=2, msg='named'})
E(pcall(check, 4))
local mul = argcheck{{name="x", type="number"}, {name="y", type="number", defaulta="x"}}
print(mul(3, 4), mul(3))
local q = argcheck{quiet=true, {name="x", type="number", default=0, help="the age"}, {name="msg", type="string", help="a message", opt=true}}
print(q(5, 'hi')); print(q(5)); print(q('a', 'b'))
local addfive = argcheck{{name="x", type="number"}, call=function(x) return x + 5 end}
addfive = argcheck{{name="str", type="string"}, overload=addfive, call=function(s) return s .. '5' end}
print(addfive(5), addfive('hi'))
E(pcall(addfive))
local obj = {checksum=1234567}
local mcheck = argcheck{{name="self", type="table"}, {name="x", type="number"}, {name="msg", type="string", default="i know"}}
print(mcheck(obj, 5, 'hw')); print(mcheck(obj, {x=5})); print(mcheck(obj, 7))
local t = argcheck{{name="anyTensor", type="torch.*Tensor"}, {name="fTensor", type="torch.FloatTensor"}}
E(pcall(t, torch.IntTensor(), torch.FloatTensor()))
E(pcall(t, torch.FloatTensor(), torch.IntTensor()))
local p = argcheck{pack=true, {name="x", type="number", default=0}, {name="msg", type="string"}}
local a = p(5, 'hw'); print(a.x, a.msg)
local m = argcheck{{name='m', type='nn.Module'}}
require 'nn'
E(pcall(m, nn.Linear(2,2)))
E(pcall(argcheck, {{name="x", type="number"}, call=function() end, overload=addfive}))
print((pcall(argcheck, {{name="x", type="number", default=1}, {name="y", type="number", default=2}, {name="z", type="number", opt=true}})))
local c = argcheck{{name="x", type="number", check=function(x) return x >= 1 and x <= 10 end}}
E(pcall(c, 11))
local opt2 = argcheck{{name='a', type='number', opt=true}, {name='b', type='string', opt=true}}
print(opt2()); print(opt2(1)); print(opt2('s')); print(opt2(nil, 's')); print(opt2(1,'s'))
local idx = 0
local df = argcheck{{name = 'x', type = 'number'}, {name = 'y', type = 'number', defaultf = function() idx = idx + 1 return idx end}}
print(df(3), df(3), df(3, 7))
local nn_ = argcheck{nonamed = true, {name = 'x', type = 'number', default = 0, help = 'the age'}, {name = 'msg', type = 'string', help = 'a message'}}
print(nn_('blah'))
E(pcall(nn_, {msg = 'blah'}))
local no = argcheck{noordered = true, {name = 'x', type = 'number'}}
print(no{x = 4})
E(pcall(no, 4))
local d = require 'argcheck.doc'
d.record()
local documented = argcheck{help = 'f(@ARGP)\n@ARGT', {name = 'a', type = 'number', help = 'first'}, {name = 'b', type = 'string', default = 'x', help = 'second'}}
d'some text\n'
print(d.stop())
E(pcall(documented))
local env = require 'argcheck.env'
print(env.istype(torch.FloatTensor(), 'torch.*Tensor'), env.istype(nn.Linear(2, 2), 'nn.Module'), env.istype(3, 'number'), env.type(torch.LongTensor()))
