-- ../shared/bench/h_lstm_train.lua's LSTM (plain nn modules, 25 steps through time, batch 32),
-- every loss printed (2 + 10 steps).
dofile(paths.concat(paths.dirname(paths.thisfile()), 'common.lua'))
torch.manualSeed(1)
local V, H, T, B = 64, 128, 25, 32
-- cell: input {x, h, c} -> {h', c'}
local function lstm_cell()
   local gates = nn.Sequential()
   gates:add(nn.ParallelTable():add(nn.Linear(V, 4 * H)):add(nn.Linear(H, 4 * H)))
   gates:add(nn.CAddTable()):add(nn.Reshape(4, H)):add(nn.SplitTable(2))
   local act = nn.ParallelTable()
   act:add(nn.Sigmoid()):add(nn.Sigmoid()):add(nn.Sigmoid()):add(nn.Tanh())
   gates:add(act)   -- {i, f, o, g}
   local cell = nn.Sequential()
   cell:add(nn.ConcatTable()
      :add(nn.Sequential():add(nn.NarrowTable(1, 2)):add(gates))
      :add(nn.SelectTable(3)))                                   -- {{i,f,o,g}, c}
   cell:add(nn.FlattenTable())                                   -- {i, f, o, g, c}
   local newc = nn.Sequential():add(nn.ConcatTable()
      :add(nn.Sequential():add(nn.ConcatTable():add(nn.SelectTable(1)):add(nn.SelectTable(4))):add(nn.CMulTable()))
      :add(nn.Sequential():add(nn.ConcatTable():add(nn.SelectTable(2)):add(nn.SelectTable(5))):add(nn.CMulTable())))
      :add(nn.CAddTable())
   cell:add(nn.ConcatTable():add(nn.SelectTable(3)):add(newc))   -- {o, c'}
   cell:add(nn.ConcatTable()
      :add(nn.Sequential():add(nn.ConcatTable():add(nn.SelectTable(1))
         :add(nn.Sequential():add(nn.SelectTable(2)):add(nn.Tanh()))):add(nn.CMulTable()))
      :add(nn.SelectTable(2)))                                   -- {h', c'}
   return cell
end
local proto = nn.Sequential():add(lstm_cell())
local head = nn.Sequential():add(nn.Linear(H, V)):add(nn.LogSoftMax())
local params, grads = nn.Sequential():add(proto):add(head):getParameters()
params:uniform(-0.08, 0.08)
local cells, heads = {}, {}
for t = 1, T do
   cells[t] = proto:clone('weight', 'bias', 'gradWeight', 'gradBias')
   heads[t] = head:clone('weight', 'bias', 'gradWeight', 'gradBias')
end
local crit = nn.ClassNLLCriterion()
local data = torch.LongTensor(T + 1, B):random(V)
local function onehot(idx)
   local x = torch.zeros(B, V)
   x:scatter(2, idx:view(B, 1), 1)
   return x
end
local xs = {}
for t = 1, T do xs[t] = onehot(data[t]) end
local function step()
   grads:zero()
   local h, c = {[0] = torch.zeros(B, H)}, {[0] = torch.zeros(B, H)}
   local outs, loss = {}, 0
   for t = 1, T do
      local hc = cells[t]:forward({xs[t], h[t - 1], c[t - 1]})
      h[t], c[t] = hc[1], hc[2]
      outs[t] = heads[t]:forward(h[t])
      loss = loss + crit:forward(outs[t], data[t + 1])
   end
   local dh, dc = torch.zeros(B, H), torch.zeros(B, H)
   for t = T, 1, -1 do
      local dout = crit:backward(outs[t], data[t + 1])
      local dht = heads[t]:backward(h[t], dout):clone():add(dh)
      local d = cells[t]:backward({xs[t], h[t - 1], c[t - 1]}, {dht, dc})
      dh, dc = d[2], d[3]
   end
   params:add(-0.05, grads)
   return loss / T
end
for i = 1, tonumber(arg[2]) or 12 do show('step ' .. i, step()) end
