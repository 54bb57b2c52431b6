dofile '../h.lua'
local TMP = os.tmpname() .. '_'  -- files written here
require 'nn'
torch.manualSeed(11)
local m = nn.Sequential():add(nn.SpatialConvolution(1,2,3,3)):add(nn.ReLU()):add(nn.View(-1):setNumInputDims(3)):add(nn.Linear(8,3)):add(nn.LogSoftMax())
local x = torch.randn(2,1,4,4)
local o1 = m:forward(x):clone()
torch.save(TMP .. 'm.t7', m)
local m2 = torch.load(TMP .. 'm.t7')
print(m2)
dump('reload', m2:forward(x))
print(torch.typename(m2), torch.typename(m2.modules[1]), m2.modules[1].nInputPlane, m2.modules[1].kW, m2.modules[3].numInputDims)
m:clearState()
torch.save(TMP .. 'm2.t7', m, 'ascii')
local m3 = torch.load(TMP .. 'm2.t7', 'ascii')
dump('ascii', m3:forward(x))
local keys = {}
for k, v in pairs(m3.modules[1]) do keys[#keys+1] = k .. ':' .. type(v) end
table.sort(keys)
print(table.concat(keys, ' '))
local keys = {}
for k, v in pairs(m3.modules[4]) do keys[#keys+1] = k .. ':' .. type(v) end
table.sort(keys)
print(table.concat(keys, ' '))
local keys = {}
for k, v in pairs(m3) do keys[#keys+1] = k .. ':' .. type(v) end
table.sort(keys)
print(table.concat(keys, ' '))
local f = io.open(TMP .. 'm2.t7'); local s = f:read('*a'); f:close()
print(#s)
local mf = m:clone():float()
local s = torch.serialize(mf)
print(#s)
local mm = torch.deserialize(s)
print(torch.typename(mm.modules[1].weight))
