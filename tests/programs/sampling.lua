-- char-rnn style sampling: multinomial with temperature, softmax by hand, string building
require 'nn'
torch.manualSeed(321)
local chars = {'a', 'b', 'c', 'd', ' '}
local vocab = {}
for i, c in ipairs(chars) do vocab[c] = i end
local logits = torch.Tensor{2.0, 1.0, 0.5, 0.1, 1.5}
local function sample(temperature)
   local p = (logits / temperature):exp()
   p:div(torch.sum(p))
   return torch.multinomial(p:float(), 1):resize(1):float()[1]
end
local counts = torch.zeros(#chars)
local out = {}
for i = 1, 2000 do
   local idx = sample(1.0)
   counts[idx] = counts[idx] + 1
   if i <= 40 then out[#out + 1] = chars[idx] end
end
print(table.concat(out))
local probs = nn.SoftMax():forward(logits)
print(probs)
local freq = counts / counts:sum()
print(freq)
print(string.format('max abs deviation %.3f', (freq - probs):abs():max()))
assert((freq - probs):abs():max() < 0.05)
-- argmax sampling (temperature -> 0)
local _, prev_char = logits:max(1)
print(chars[prev_char[1]])
-- multinomial without replacement, batched
local P = torch.Tensor(3, 5):uniform()
local draws = torch.multinomial(P, 5, false)
print(draws:size(1), draws:size(2), torch.type(draws))
for r = 1, 3 do
   local sorted = draws[r]:clone():sort()
   assert((sorted - torch.range(1, 5):long()):abs():sum() == 0)
end
-- bernoulli / random integer helpers often used
local b = torch.Tensor(1000):bernoulli(0.3)
print(string.format('bernoulli mean %.2f', b:mean()))
print(torch.random(1, 10) <= 10, torch.uniform() < 1, type(torch.normal(0, 1)))
local perm = torch.randperm(6)
print(perm:sum())
-- string <-> tensor conversions char-rnn does
local text = 'abcd abcd'
local data = torch.ByteTensor(#text)
for i = 1, #text do data[i] = vocab[text:sub(i, i)] end
print(data)
local s = torch.CharStorage():string('hello')
print(s:size(), s:string())
