-- A character-level language model as in rnn's README: LookupTable -> SplitTable ->
-- Sequencer(FastLSTM) -> Sequencer(Linear) -> Sequencer(LogSoftMax), trained with
-- SequencerCriterion(ClassNLLCriterion) and dpnn's momentum and gradient clipping.
require 'rnn'
torch.manualSeed(123)
local text = ('hello world, hello torch. '):rep(6)
local chars, vocab = {}, {}
for c in text:gmatch('.') do
   if not vocab[c] then chars[#chars + 1] = c; vocab[c] = #chars end
end
local data = torch.LongTensor(#text)
for i = 1, #text do data[i] = vocab[text:sub(i, i)] end
local V, H, rho, batch = #chars, 24, 8, 4

local lm = nn.Sequential()
   :add(nn.LookupTable(V, H))
   :add(nn.SplitTable(1))
   :add(nn.Sequencer(nn.FastLSTM(H, H)))
   :add(nn.Sequencer(nn.Linear(H, V)))
   :add(nn.Sequencer(nn.LogSoftMax()))
local criterion = nn.SequencerCriterion(nn.ClassNLLCriterion())
print(lm)

local nstart = data:size(1) - rho - 1
local losses = {}
for epoch = 1, 60 do
   local input, target = torch.LongTensor(rho, batch), torch.LongTensor(rho, batch)
   for b = 1, batch do
      local s = torch.random(1, nstart)
      input[{{}, b}] = data:narrow(1, s, rho)
      target[{{}, b}] = data:narrow(1, s + 1, rho)
   end
   local targets = nn.SplitTable(1):forward(target)
   local output = lm:forward(input)
   local loss = criterion:forward(output, targets)
   lm:zeroGradParameters()
   lm:backward(input, criterion:backward(output, targets))
   lm:updateGradParameters(0.9)
   lm:gradParamClip(5)
   lm:updateParameters(0.1)
   losses[epoch] = loss / rho
   if epoch % 10 == 0 then print(string.format('epoch %d loss %.10f', epoch, losses[epoch])) end
end
local first, last = 0, 0
for i = 1, 5 do first = first + losses[i] / 5; last = last + losses[55 + i] / 5 end
assert(last < 0.5 * first, 'the loss must fall')
-- generate from the trained model
lm:evaluate()
local seq = torch.LongTensor(1, 1):fill(vocab.h)
local out = {'h'}
local lstm = lm:get(3)
lstm:remember('eval')
lstm:forget()
for i = 1, 25 do
   local logp = lm:forward(seq)[1]
   local _, idx = logp:max(2)
   out[#out + 1] = chars[idx[1][1]]
   seq[1][1] = idx[1][1]
end
print(table.concat(out))
