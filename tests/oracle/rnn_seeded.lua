require 'rnn'
local function report(name, m, x, go)
   local y = m:forward(x)
   m:zeroGradParameters()
   local gi = m:backward(x, go)
   local _, gp = m:parameters()
   local function s(t)
      if torch.type(t) == 'table' then local a = 0; for _, v in ipairs(t) do a = a + s(v) end; return a end
      return t:sum() + t:abs():sum() * 0.001
   end
   print(string.format('%-14s out=%.12f gi=%.12f gp=%.12f', name, s(y), s(gi), s(gp)))
end
local cases = {
   {'LSTM', function() return nn.Sequencer(nn.LSTM(3, 4)) end},
   {'LSTMnoc2g', function() return nn.Sequencer(nn.LSTM(3, 4, 9, false)) end},
   {'FastLSTM', function() return nn.Sequencer(nn.FastLSTM(3, 4)) end},
   {'GRU', function() return nn.Sequencer(nn.GRU(3, 4)) end},
   {'Recurrent', function() return nn.Sequencer(nn.Recurrent(4, nn.Linear(3, 4), nn.Linear(4, 4), nn.Tanh(), 9)) end},
   {'SeqLSTM', function() return nn.SeqLSTM(3, 4) end},
   {'SeqLSTMP', function() return nn.SeqLSTMP(3, 5, 4) end},
   {'SeqGRU', function() return nn.SeqGRU(3, 4) end},
   {'SeqBRNN', function() return nn.SeqBRNN(3, 4) end},
   {'BiSeq', function() return nn.BiSequencer(nn.LSTM(3, 4)) end, true},
   {'BiSeqLM', function() return nn.BiSequencerLM(nn.LSTM(3, 4)) end, true},
   {'MaskLin', function() return nn.Sequencer(nn.MaskZero(nn.Linear(3, 4), 1)) end},
   {'LSTMmask', function() return nn.Sequencer(nn.FastLSTM(3, 4):maskZero(1)) end},
   {'GRUtrim', function() return nn.Sequencer(nn.GRU(3, 4):trimZero(1)) end},
   {'SeqLSTMmask', function() local m = nn.SeqLSTM(3, 4); m:maskZero(); return m end},
   {'SeqGRUmask', function() local m = nn.SeqGRU(3, 4); m:maskZero(); return m end},
   {'Repeater', function() return nn.Repeater(nn.LSTM(3, 4), 3) end, 'rep'},
   {'GRUdrop', function() return nn.Sequencer(nn.GRU(3, 4, 9, 0.3)) end},
   {'FastLSTMdrop', function() return nn.Sequencer(nn.FastLSTM(3, 4, 9, nil, nil, nil, 0.3)) end},
   {'LSTMdrop', function() return nn.Sequencer(nn.LSTM(3, 4, 9, true, 0.3)) end},
   {'FastLSTMgraph', function() nn.FastLSTM.usenngraph = true; local m = nn.Sequencer(nn.FastLSTM(3, 4)); nn.FastLSTM.usenngraph = false; return m end},
}
for _, c in ipairs(cases) do
   torch.manualSeed(42)
   local m = c[2]()
   local x = torch.randn(4, 2, 3)
   x[{{2, 3}, 2}]:zero()
   local go = torch.randn(4, 2, 4)
   if c[3] == 'rep' then
      x = torch.randn(2, 3); go = {torch.randn(2, 4), torch.randn(2, 4), torch.randn(2, 4)}
   elseif c[3] then
      local xt, gt = {}, {}
      for i = 1, 4 do xt[i] = x[i]; gt[i] = torch.randn(2, 8) end
      x, go = xt, gt
   end
   local ok, err = pcall(report, c[1], m, x, go)
   if not ok then print(c[1], 'ERROR', err:sub(1, 150)) end
end
print(torch.randn(1)[1])
-- module trees
print(nn.Sequencer(nn.FastLSTM(3, 4)))
print(nn.Recurrent(4, nn.Linear(3, 4), nn.Linear(4, 4), nn.Tanh(), 9))
print(nn.GRU(3, 4, 9, 0.25))
print(nn.Repeater(nn.LSTM(3, 4), 3))
print(nn.BiSequencer(nn.LSTM(3, 4)))
print(nn.BiSequencerLM(nn.GRU(3, 4)))
print(nn.SeqBRNN(3, 4, true))
print(nn.Recursor(nn.Sequential():add(nn.Linear(3, 4)):add(nn.Dropout(0.5, false, false, true))))
print(nn.Recurrence(nn.Linear(4, 4), 4, 1))
print(nn.MaskZero(nn.Linear(3, 4), 1))
print(nn.LSTM(3, 4))
print(nn.SeqLSTM(3, 4), nn.SeqGRU(3, 4), nn.LookupTableMaskZero(5, 3))
