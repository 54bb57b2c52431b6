-- torch/demos linear-regression: corn yield from fertilizer and insecticide, optim.sgd and lbfgs
require 'torch'
require 'optim'
require 'nn'

data = torch.Tensor{
   {40,  6,  4},
   {44, 10,  4},
   {46, 12,  5},
   {48, 14,  7},
   {52, 16,  9},
   {58, 18, 12},
   {60, 22, 14},
   {68, 24, 20},
   {74, 26, 21},
   {80, 32, 24}
}

model = nn.Sequential()
ninputs = 2; noutputs = 1
model:add(nn.Linear(ninputs, noutputs))
criterion = nn.MSECriterion()
x, dl_dx = model:getParameters()

feval = function(x_new)
   if x ~= x_new then x:copy(x_new) end
   _nidx_ = (_nidx_ or 0) + 1
   if _nidx_ > (#data)[1] then _nidx_ = 1 end
   local sample = data[_nidx_]
   local target = sample[{ {1} }]
   local inputs = sample[{ {2,3} }]
   dl_dx:zero()
   local loss_x = criterion:forward(model:forward(inputs), target)
   model:backward(inputs, criterion:backward(model.output, target))
   return loss_x, dl_dx
end

sgd_params = {
   learningRate = 1e-3,
   learningRateDecay = 1e-4,
   weightDecay = 0,
   momentum = 0
}

torch.manualSeed(1)
model:reset()
for i = 1, 1e3 do
   current_loss = 0
   for i = 1, (#data)[1] do
      _, fs = optim.sgd(feval, x, sgd_params)
      current_loss = current_loss + fs[1]
   end
   current_loss = current_loss / (#data)[1]
end
print('current loss = ' .. current_loss)

text = {40.32, 42.92, 45.33, 48.85, 52.37, 57, 61.82, 69.78, 72.19, 79.42}
print('id  approx   text')
for i = 1, (#data)[1] do
   local myPrediction = model:forward(data[i][{{2,3}}])
   print(string.format("%2d  %6.2f %6.2f", i, myPrediction[1], text[i]))
end
assert(current_loss < 20)

-- batch lbfgs on the full data set
model:reset()
local inputs = data[{{}, {2,3}}]
local targets = data[{{}, {1}}]
local fevalb = function(x_new)
   if x ~= x_new then x:copy(x_new) end
   dl_dx:zero()
   local loss = criterion:forward(model:forward(inputs), targets)
   model:backward(inputs, criterion:backward(model.output, targets))
   return loss, dl_dx
end
local state = {maxIter = 100, lineSearch = optim.lswolfe}
local xs, losses = optim.lbfgs(fevalb, x, state)
print(string.format('lbfgs: %d evaluations, final loss %.4f', #losses, losses[#losses]))
assert(losses[#losses] < 5)
-- closed-form check: least squares via torch.gels
local A = torch.cat(torch.ones(10, 1), inputs, 2)
local sol = torch.gels(targets:clone(), A:clone())
print(sol:narrow(1, 1, 3):t())
local pred = A * sol:narrow(1, 1, 3)
local mse = (pred - targets):pow(2):mean()
print(string.format('lstsq mse %.4f', mse))
assert(math.abs(mse - losses[#losses]) < 0.05)
