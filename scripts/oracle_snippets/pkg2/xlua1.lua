for i = 1, 5 do xlua.progress(i, 5) end
print(xlua.require('torch') ~= nil, xlua.require('nonexistmod'))
print(pcall(xlua.require, 'nonexistmod', true))
print(type(xlua.print), type(xlua.error), type(xlua.unpack), type(xlua.Profiler))
local a, b = xlua.unpack({{x=1}}, 'f', 'help', {arg='x', type='number', help='xx', default=3}, {arg='y', type='string', default='s'})
print(a, b)
print(pcall(xlua.error, 'boom', 'fn'))
xlua.print({a=1})
