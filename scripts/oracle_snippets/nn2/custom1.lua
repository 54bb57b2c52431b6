dofile '../h.lua'
require 'nn'
local My, parent = torch.class('nn.MyLayer', 'nn.Module')
function My:__init(k) parent.__init(self); self.k = k; self.weight = torch.ones(k); self.gradWeight = torch.zeros(k) end
function My:updateOutput(input) self.output:resizeAs(input):copy(input):mul(self.k); return self.output end
function My:updateGradInput(input, go) self.gradInput:resizeAs(go):copy(go):mul(self.k); return self.gradInput end
local m = nn.Sequential():add(nn.MyLayer(2)):add(nn.Linear(3, 1))
print(m)
print(nn.MyLayer(3))
print(torch.type(m:get(1)), torch.typename(m:get(1)), m:get(1).__typename)
local p = m:parameters()
print(#p)
local fp = m:getParameters()
print(fp:nElement())
dump('out', m:forward(torch.ones(2, 3)))
local c = m:clone()
print(torch.type(c:get(1)), c:get(1).k)
local s = torch.serialize(m)
local m2 = torch.deserialize(s)
print(torch.type(m2:get(1)))
local Crit, cp = torch.class('nn.MyCrit', 'nn.Criterion')
function Crit:updateOutput(i, t) self.output = (i - t):abs():sum(); return self.output end
print(nn.MyCrit())
print(nn.MyCrit():forward(torch.ones(2), torch.zeros(2)))
local Sub, sp = torch.class('nn.MyLinear', 'nn.Linear')
function Sub:__init(a, b) sp.__init(self, a, b); self.extra = true end
local sl = nn.MySubLinear or nn.MyLinear(2, 3)
print(sl)
print(torch.isTypeOf(sl, 'nn.Linear'), torch.isTypeOf(sl, nn.Module), sl.extra)
print(pcall(torch.class, 'nn.MyLayer', 'nn.Module'))
local ok, e = pcall(function() return nn.Sequential():add(nn.MyLayer(1)):forward(torch.ones(2, 3)) end)
print(ok)
