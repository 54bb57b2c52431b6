-- A char-rnn-like language model (nngraph LSTM of two layers, as karpathy/char-rnn's
-- model/LSTM.lua builds it, from nn.Linear, CAddTable, Reshape, SplitTable, Sigmoid, Tanh and
-- CMulTable), unrolled over 8 steps with clones sharing parameters, dropout between layers,
-- gradients clamped and optim.rmsprop, with char-rnn's progress line for every iteration.
dofile(paths.concat(paths.dirname(paths.thisfile()), 'common.lua'))
require 'nngraph'
require 'optim'
torch.manualSeed(123)

local vocab, rnnSize, layers, seqLength, batch = 11, 16, 2, 8, 3
local iterations = tonumber(arg[2]) or 12

local function lstm()
   local inputs = {nn.Identity()()}
   for L = 1, layers do
      table.insert(inputs, nn.Identity()())
      table.insert(inputs, nn.Identity()())
   end
   local x, inSize
   local outputs = {}
   for L = 1, layers do
      local prevC, prevH = inputs[L * 2], inputs[L * 2 + 1]
      if L == 1 then
         x = nn.LookupTable(vocab, vocab)(inputs[1])
         inSize = vocab
      else
         x = nn.Dropout(0.25)(outputs[(L - 1) * 2])
         inSize = rnnSize
      end
      local sums = nn.CAddTable()({nn.Linear(inSize, 4 * rnnSize)(x),
                                   nn.Linear(rnnSize, 4 * rnnSize)(prevH)})
      local n1, n2, n3, n4 = nn.SplitTable(2)(nn.Reshape(4, rnnSize)(sums)):split(4)
      local nextC = nn.CAddTable()({nn.CMulTable()({nn.Sigmoid()(n2), prevC}),
                                    nn.CMulTable()({nn.Sigmoid()(n1), nn.Tanh()(n4)})})
      local nextH = nn.CMulTable()({nn.Sigmoid()(n3), nn.Tanh()(nextC)})
      table.insert(outputs, nextC)
      table.insert(outputs, nextH)
   end
   local top = nn.Dropout(0.25)(outputs[#outputs])
   table.insert(outputs, nn.LogSoftMax()(nn.Linear(rnnSize, vocab)(top)))
   return nn.gModule(inputs, outputs)
end

local proto = lstm()
local criterion = nn.ClassNLLCriterion()
local params, gradParams = proto:getParameters()
params:uniform(-0.08, 0.08)
local clones = {}
for t = 1, seqLength do
   clones[t] = proto:clone('weight', 'bias', 'gradWeight', 'gradBias')
end

local text = torch.LongTensor(batch, seqLength * iterations + 1):random(vocab)
local zero = torch.zeros(batch, rnnSize)
local state = {}
for L = 1, 2 * layers do state[L] = zero:clone() end

local function feval(p, i)
   if p ~= params then params:copy(p) end
   gradParams:zero()
   local x = text:narrow(2, (i - 1) * seqLength + 1, seqLength)
   local y = text:narrow(2, (i - 1) * seqLength + 2, seqLength)
   local states, predictions, loss = {[0] = state}, {}, 0
   for t = 1, seqLength do
      clones[t]:training()
      local outs = clones[t]:forward({x:select(2, t), unpack(states[t - 1])})
      states[t] = {}
      for L = 1, 2 * layers do states[t][L] = outs[L] end
      predictions[t] = outs[#outs]
      loss = loss + criterion:forward(predictions[t], y:select(2, t))
   end
   loss = loss / seqLength
   local dstate = {}
   for L = 1, 2 * layers do dstate[L] = zero:clone() end
   for t = seqLength, 1, -1 do
      local dout = criterion:backward(predictions[t], y:select(2, t))
      local grads = {}
      for L = 1, 2 * layers do grads[L] = dstate[L] end
      grads[2 * layers + 1] = dout
      local dins = clones[t]:backward({x:select(2, t), unpack(states[t - 1])}, grads)
      for L = 1, 2 * layers do dstate[L] = dins[L + 1] end
   end
   state = states[seqLength]
   gradParams:clamp(-5, 5)
   return loss, gradParams
end

local optimState = {learningRate = 2e-3, alpha = 0.95}
for i = 1, iterations do
   local _, loss = optim.rmsprop(function(p) return feval(p, i) end, params, optimState)
   show('loss', loss[1])
   print(string.format('%d/%d (epoch %.3f), train_loss = %6.8f, grad/param norm = %6.4e',
                       i, iterations, i / iterations, loss[1], gradParams:norm() / params:norm()))
end
show('param sum', params:sum())
