-- Small networks trained with optim: Linear-Tanh-Linear + MSECriterion with sgd (momentum,
-- weight decay), adagrad and lbfgs; Linear-LogSoftMax + ClassNLLCriterion with sgd on
-- single samples (the non-batch paths: addmv, addr, add(scale, gradOutput)). Every loss printed.
dofile(paths.concat(paths.dirname(paths.thisfile()), 'common.lua'))
require 'optim'

local function mlp()
   return nn.Sequential():add(nn.Linear(5, 7)):add(nn.Tanh()):add(nn.Linear(7, 3))
end

local function train(name, method, config, iters)
   torch.manualSeed(2)
   local model = mlp()
   local crit = nn.MSECriterion()
   local x, t = torch.randn(20, 5), torch.randn(20, 3)
   local params, grads = model:getParameters()
   local function feval(p)
      if p ~= params then params:copy(p) end
      grads:zero()
      local out = model:forward(x)
      local loss = crit:forward(out, t)
      model:backward(x, crit:backward(out, t))
      return loss, grads
   end
   for i = 1, iters do
      local _, fs = method(feval, params, config)
      show(name .. ' ' .. i, fs[#fs])
   end
end

train('sgd', optim.sgd, {learningRate = 0.1, momentum = 0.9, weightDecay = 1e-3}, 30)
train('adagrad', optim.adagrad, {learningRate = 0.1}, 30)
train('lbfgs', optim.lbfgs, {maxIter = 5, learningRate = 1}, 6)

-- one sample at a time: ClassNLL on LogSoftMax of a Linear, plain gradient steps
torch.manualSeed(3)
local model = nn.Sequential():add(nn.Linear(6, 4)):add(nn.LogSoftMax())
local crit = nn.ClassNLLCriterion()
local xs, ys = torch.randn(10, 6), torch.LongTensor(10):random(4)
for epoch = 1, 3 do
   local total = 0
   for i = 1, 10 do
      model:zeroGradParameters()
      local out = model:forward(xs[i])
      total = total + crit:forward(out, ys[i])
      model:backward(xs[i], crit:backward(out, ys[i]))
      model:updateParameters(0.05)
   end
   show('nll epoch ' .. epoch, total / 10)
end
