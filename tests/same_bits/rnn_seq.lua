-- rnn's recurrent layers (Element-Research rnn) trained a few steps with MSECriterion and a
-- plain parameter update: the whole-sequence SeqLSTM (also with maskzero and batchfirst),
-- SeqLSTMP and SeqGRU, and the step modules LSTM, FastLSTM, GRU and Recurrent inside a
-- Sequencer. Prints each loss and the sums of the parameter gradients and gradInputs.
dofile(paths.concat(paths.dirname(paths.thisfile()), 'common.lua'))
require 'rnn'
torch.manualSeed(11)
local function run(name, m, x, steps)
   local crit = nn.MSECriterion()
   local w, dw = m:getParameters()
   for s = 1, steps do
      local y = m:forward(x)
      local target = y:clone():fill(0.3)
      local loss = crit:forward(y, target)
      m:zeroGradParameters()
      local gi = m:backward(x, crit:backward(y, target))
      w:add(-0.5, dw)
      io.write(string.format('%s %d %.14g %.14g %.14g\n', name, s, loss, dw:sum(), (torch.isTensor(gi) and gi or gi[#gi]):sum()))
   end
end
run('SeqLSTM', nn.SeqLSTM(5, 7), torch.randn(6, 3, 5), 4)
run('SeqLSTMP', nn.SeqLSTMP(5, 6, 4), torch.randn(6, 3, 5), 4)
local x = torch.randn(6, 3, 5); x[2][1]:zero(); x[4][3]:zero()
local m = nn.SeqLSTM(5, 7); m.maskzero = true
run('SeqLSTM maskzero', m, x, 3)
run('SeqGRU', nn.SeqGRU(5, 7), torch.randn(6, 3, 5), 4)
local b = nn.SeqLSTM(5, 7); b.batchfirst = true; run('SeqLSTM batchfirst', b, torch.randn(3, 6, 5), 2)
local function steps(name, m, T, steps)
   local seq = nn.Sequencer(m)
   local xs = {}
   for t = 1, T do xs[t] = torch.randn(3, 5) end
   local crit = nn.SequencerCriterion(nn.MSECriterion())
   local w, dw = seq:getParameters()
   for s = 1, steps do
      local ys = seq:forward(xs)
      local targets = {}
      for t = 1, T do targets[t] = ys[t]:clone():fill(0.2) end
      local loss = crit:forward(ys, targets)
      seq:zeroGradParameters()
      local gi = seq:backward(xs, crit:backward(ys, targets))
      w:add(-0.5, dw)
      io.write(string.format('%s %d %.14g %.14g %.14g\n', name, s, loss, dw:sum(), gi[1]:sum()))
   end
end
steps('LSTM', nn.LSTM(5, 6), 4, 3)
steps('FastLSTM', nn.FastLSTM(5, 6), 4, 3)
steps('GRU', nn.GRU(5, 6), 4, 3)
steps('Recurrent', nn.Recurrent(6, nn.Linear(5, 6), nn.Linear(6, 6), nn.Sigmoid(), 5), 4, 3)
