-- optim's methods with the options of Torch7's last optim (weightDecay in adam, adamax, adagrad,
-- adadelta and rmsprop; adam's learningRateDecay; rmsprop's initialMean; per-parameter rates
-- and decays): every loss, the first parameters and gradients, the state's tensors, to 17 digits.
require 'nn'
require 'optim'

local function show(name, t)
   local f = t:contiguous():view(-1)
   local parts = {}
   for i = 1, math.min(4, f:nElement()) do parts[#parts + 1] = string.format('%.17g', f[i]) end
   print(name, table.concat(parts, ' '))
end

torch.manualSeed(42)
local X = torch.randn(16, 5)
local Y = torch.LongTensor(16):random(1, 3)

local function run(name, method, config, iters)
   torch.manualSeed(7)
   local model = nn.Sequential():add(nn.Linear(5, 8)):add(nn.Tanh()):add(nn.Linear(8, 3))
      :add(nn.LogSoftMax())
   local crit = nn.ClassNLLCriterion()
   local params, grads = model:getParameters()
   local state = {}
   local losses = {}
   for _ = 1, iters do
      local function feval(x)
         if x ~= params then params:copy(x) end
         grads:zero()
         local out = model:forward(X)
         local loss = crit:forward(out, Y)
         model:backward(X, crit:backward(out, Y))
         return loss, grads
      end
      local _, fx = method(feval, params, config, state)
      losses[#losses + 1] = string.format('%.17g', fx[1])
   end
   print(name, table.concat(losses, ' '))
   show(name .. ' params', params)
   show(name .. ' grads', grads)
   local keys = {}
   for k in pairs(state) do keys[#keys + 1] = k end
   table.sort(keys)
   for _, k in ipairs(keys) do
      local v = state[k]
      if torch.isTensor(v) then
         show(name .. ' state.' .. k, v)
      elseif type(v) ~= 'table' then
         print(name .. ' state.' .. k, v)
      end
   end
end

run('adam', optim.adam, {learningRate = 0.01}, 4)
run('adam weightDecay', optim.adam, {learningRate = 0.01, weightDecay = 0.1}, 4)
run('adam learningRateDecay', optim.adam, {learningRate = 0.01, learningRateDecay = 0.1}, 4)
run('adamax weightDecay', optim.adamax, {learningRate = 0.01, beta1 = 0.8, weightDecay = 0.01}, 4)
run('adagrad weightDecay', optim.adagrad, {learningRate = 0.01, weightDecay = 0.1}, 4)
run('adadelta weightDecay', optim.adadelta, {weightDecay = 0.1}, 4)
run('rmsprop weightDecay', optim.rmsprop, {weightDecay = 0.1, initialMean = 1}, 4)
run('nag learningRates', optim.nag,
   {learningRate = 0.1, weightDecay = 0.01, learningRates = torch.Tensor(75):fill(0.5)}, 4)
run('sgd weightDecays', optim.sgd, {learningRate = 0.1, weightDecays = torch.Tensor(75):fill(0.01),
   learningRates = torch.Tensor(75):fill(0.5), momentum = 0.5}, 4)

-- derivative-free: cmaes's progress lines, and Torch7's failure without verb_disp
local function rosenbrock(x)
   local a, b = x[1], x[2]
   return (1 - a)^2 + 100 * (b - a * a)^2
end
torch.manualSeed(1)
local xs, fs = optim.cmaes(rosenbrock, torch.Tensor{-1.2, 1}, {maxEval = 50, sigma = 0.5, verb_disp = 1})
print('cmaes', #fs, string.format('%.17g %.17g', xs[1], xs[2]))
torch.manualSeed(1)
local ok, err = pcall(optim.cmaes, rosenbrock, torch.Tensor{-1.2, 1}, {maxEval = 50, sigma = 0.5})
print('cmaes without verb_disp', ok, (tostring(err):gsub('^[^ :]*%.lua:%d+: ', '')))
