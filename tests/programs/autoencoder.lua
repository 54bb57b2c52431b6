-- autoencoder with optim.adam, MSE, Dropout, evaluate/training
require 'nn'
require 'optim'
torch.manualSeed(11)

local N, D, H = 256, 20, 5
-- data on a 5-dim subspace
local basis = torch.randn(H, D)
local data = torch.randn(N, H) * basis

local encoder = nn.Sequential():add(nn.Linear(D, 12)):add(nn.ReLU()):add(nn.Linear(12, H))
local decoder = nn.Sequential():add(nn.Linear(H, 12)):add(nn.ReLU()):add(nn.Linear(12, D))
local ae = nn.Sequential():add(encoder):add(decoder)
print(ae)
local crit = nn.MSECriterion()
local w, dw = ae:getParameters()
local config = {learningRate = 0.01}
local state = {}
local losses = {}
for epoch = 1, 30 do
   local total = 0
   for i = 1, N, 32 do
      local xb = data:narrow(1, i, 32)
      local feval = function(params)
         dw:zero()
         local out = ae:forward(xb)
         local l = crit:forward(out, xb)
         ae:backward(xb, crit:backward(out, xb))
         return l, dw
      end
      local _, fx = optim.adam(feval, w, config, state)
      total = total + fx[1]
   end
   losses[epoch] = total / (N / 32)
   if epoch % 10 == 0 then print(string.format('epoch %2d  mse = %.5f', epoch, losses[epoch])) end
end
assert(losses[30] < losses[1] * 0.5)
ae:evaluate()
local code = encoder:forward(data[1])
print(code:size())
print(#code)
print(state.t)
