-- nngraph: char-rnn's LSTM cell as a gModule (printing, outputs and gradients to 17 digits,
-- parameters, clone, its nodes in order), a gModule inside another, the errors of a wrong call.
dofile 'lib/dump.lua'
require 'nngraph'
torch.manualSeed(12)
-- an LSTM cell as char-rnn writes it
local function lstm(n)
   local x = nn.Identity()()
   local prev_c = nn.Identity()()
   local prev_h = nn.Identity()()
   local i2h = nn.Linear(n, 4 * n)(x)
   local h2h = nn.Linear(n, 4 * n)(prev_h)
   local all = nn.CAddTable()({i2h, h2h})
   local reshaped = nn.Reshape(4, n)(all)
   local n1, n2, n3, n4 = nn.SplitTable(2)(reshaped):split(4)
   local in_gate = nn.Sigmoid()(n1)
   local forget_gate = nn.Sigmoid()(n2)
   local out_gate = nn.Sigmoid()(n3)
   local in_transform = nn.Tanh()(n4)
   local next_c = nn.CAddTable()({nn.CMulTable()({forget_gate, prev_c}), nn.CMulTable()({in_gate, in_transform})})
   local next_h = nn.CMulTable()({out_gate, nn.Tanh()(next_c)})
   return nn.gModule({x, prev_c, prev_h}, {next_c, next_h})
end
local m = lstm(3)
print(m)
local inp = {torch.randn(2, 3), torch.randn(2, 3), torch.randn(2, 3)}
dump('lstm out', m:forward(inp))
dump('lstm gi', m:backward(inp, {torch.randn(2, 3), torch.randn(2, 3)}))
local p, gp = m:getParameters()
print(p:nElement())
dump('gp', gp:narrow(1, 1, 5))
print(#m:parameters())
m:evaluate(); print(m.train)
m:training(); print(m.train)
local c = m:clone()
dump('clone out', c:forward(inp))
print(#m.forwardnodes, #m.backwardnodes)
for i, node in ipairs(m.forwardnodes) do print(i, node.id, torch.typename(node.data.module), node.data.nSplitOutputs) end
for i, node in ipairs(m.forwardnodes) do if node.data.module then print(i, tostring(node.data.module)) end end
print(m:size())
print(torch.typename(m:get(1)))
-- nested gModule
local a = nn.Identity()()
local inner = lstm(2)
local outs = {inner({a, nn.Identity()(), nn.Identity()()})}
print(#outs, torch.typename(outs[1]))
-- errors
perr('wrong n inputs', function() return m:forward({torch.randn(2,3)}) end)
perr('split bad', function() local y = nn.Identity()(); local a, b = y:split(1) end)
perr('gModule no outputs', function() local y = nn.Identity()(); return nn.gModule({y}, {}) end)
perr('call with non-node', function() return nn.Tanh()(3) end)
perr('call with table of non-node', function() return nn.CAddTable()({1, 2}) end)
local h = nn.Linear(3, 4)(nn.Identity()())
print(h, tostring(h), torch.typename(h))
