-- LookupTable + TemporalConvolution + max over time, batched, optim.adagrad; Dropout/training modes
require 'nn'
require 'optim'
torch.manualSeed(99)
local vocab, emb, seqLen, nClass = 30, 8, 10, 2
local N = 128
local X = torch.LongTensor(N, seqLen)
local Y = torch.Tensor(N)
for i = 1, N do
   X[i]:random(1, vocab)
   if i % 2 == 0 then
      -- positive class contains the keyword 7 somewhere
      X[i][torch.random(1, seqLen)] = 7
      Y[i] = 1
   else
      X[i][X[i]:eq(7)] = 8
      Y[i] = 2
   end
end

local model = nn.Sequential()
model:add(nn.LookupTable(vocab, emb))
model:add(nn.TemporalConvolution(emb, 16, 3))
model:add(nn.ReLU())
model:add(nn.Max(2))
model:add(nn.Dropout(0.2))
model:add(nn.Linear(16, nClass))
model:add(nn.LogSoftMax())
print(model)
local crit = nn.ClassNLLCriterion()
local w, dw = model:getParameters()
local state = {learningRate = 0.1}
local conf = optim.ConfusionMatrix({'pos', 'neg'})
for epoch = 1, 15 do
   model:training()
   local perm = torch.randperm(N):long()
   for b = 1, N, 16 do
      local idx = perm:narrow(1, b, 16)
      local xb, yb = X:index(1, idx), Y:index(1, idx)
      optim.adagrad(function()
         dw:zero()
         local out = model:forward(xb)
         local l = crit:forward(out, yb)
         model:backward(xb, crit:backward(out, yb))
         return l, dw
      end, w, state)
   end
end
model:evaluate()
local out = model:forward(X)
conf:batchAdd(out, Y)
print(conf)
conf:updateValids()
print(string.format('accuracy %.2f', conf.totalValid))
assert(conf.totalValid > 0.9)
local _, pred = out:max(2)
print(pred:size(1), pred:size(2), torch.type(pred))
print(model:get(1).weight:size(1), model:get(1).weight:size(2))
