-- torch.class given a module table puts the constructor there and creates no global;
-- torchnet declares every class that way (torch.class('tnt.X', parent, tnt))
require 'torch'
local m = {}
torch.class('foo.Bar', m)
torch.class('baz.Qux', 'foo.Bar', m)
torch.class('Single', m)
print(type(rawget(_G, 'foo')), type(rawget(_G, 'baz')), type(rawget(_G, 'Single')))
local keys = {}
for k in pairs(m) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys, ' '))
print(torch.type(m.Qux()), torch.isTypeOf(m.Qux(), 'foo.Bar'))
local tnt = require 'torchnet'
print(type(rawget(_G, 'tnt')), torch.type(tnt.ListDataset{list = {1}, load = function(x) return x end}))
