-- an Elman RNN unrolled by hand with clones sharing weights; gradient check by finite differences
require 'nn'
torch.manualSeed(77)
local nIn, nH, T = 3, 5, 4
local cell = nn.Sequential()
   :add(nn.ParallelTable():add(nn.Linear(nIn, nH)):add(nn.Linear(nH, nH)))
   :add(nn.CAddTable())
   :add(nn.Tanh())
local readout = nn.Linear(nH, 1)
local params, grads = nn.Sequential():add(cell):add(readout):getParameters()
local clones = {}
for t = 1, T do
   clones[t] = cell:clone('weight', 'bias', 'gradWeight', 'gradBias')
end
local crit = nn.MSECriterion()
local xs = {}
for t = 1, T do xs[t] = torch.randn(nIn) end
local y = torch.Tensor{0.5}

local function fb(doBackward)
   local h = {[0] = torch.zeros(nH)}
   for t = 1, T do h[t] = clones[t]:forward({xs[t], h[t - 1]}):clone() end
   local out = readout:forward(h[T])
   local loss = crit:forward(out, y)
   if doBackward then
      grads:zero()
      local dh = readout:backward(h[T], crit:backward(out, y)):clone()
      for t = T, 1, -1 do
         local g = clones[t]:backward({xs[t], h[t - 1]}, dh)
         dh = g[2]:clone()
      end
   end
   return loss
end
local loss = fb(true)
print(string.format('loss %.6f', loss))
local analytic = grads:clone()
local numeric = torch.zeros(params:nElement())
local eps = 1e-6
for i = 1, params:nElement() do
   local orig = params[i]
   params[i] = orig + eps
   local lp = fb(false)
   params[i] = orig - eps
   local lm = fb(false)
   params[i] = orig
   numeric[i] = (lp - lm) / (2 * eps)
end
local relerr = (analytic - numeric):norm() / (analytic + numeric):norm()
print(string.format('relative gradient error %.2e', relerr))
assert(relerr < 1e-6)
print(params:nElement(), #clones)
for i = 1, 100 do
   local l = fb(true)
   params:add(-0.1, grads)
end
local final = fb(false)
print(string.format('final loss %.2e', final))
assert(final < loss)
