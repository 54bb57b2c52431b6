dofile '../h.lua'
require 'nn'
require 'optim'
torch.manualSeed(42)
local X = torch.randn(16, 5)
local Y = torch.LongTensor(16):random(1, 3)
local function run(name, method, config, iters)
   torch.manualSeed(7)
   local model = nn.Sequential():add(nn.Linear(5, 8)):add(nn.Tanh()):add(nn.Linear(8, 3)):add(nn.LogSoftMax())
   local crit = nn.ClassNLLCriterion()
   local params, grads = model:getParameters()
   local state = {}
   local losses = {}
   for i = 1, iters do
      local function feval(x)
         if x ~= params then params:copy(x) end
         grads:zero()
         local out = model:forward(X)
         local loss = crit:forward(out, Y)
         model:backward(X, crit:backward(out, Y))
         return loss, grads
      end
      local _, fx = method(feval, params, config, state)
      losses[#losses+1] = string.format('%.17g', fx[1])
   end
   print(name, table.concat(losses, ' '))
   dump(name .. ' params', params:narrow(1, 1, 6))
   dump(name .. ' grads', grads:narrow(1, 1, 6))
   local keys = {}
   for k in pairs(state) do keys[#keys+1] = k end
   table.sort(keys)
   for _, k in ipairs(keys) do if k ~= 'tmp' or name ~= 'asgd' then
      local v = state[k]
      if torch.isTensor(v) and v:dim() == 1 then dump(name .. ' state.' .. k, v:narrow(1,1,math.min(4, v:nElement()))) elseif torch.isTensor(v) then dump(name .. ' state.' .. k, v) elseif type(v) ~= 'table' then print(name .. ' state.' .. k, v) end
   end end
end
run('sgd', optim.sgd, {learningRate = 0.1}, 5)
run('sgdm', optim.sgd, {learningRate = 0.1, momentum = 0.9, weightDecay = 1e-3}, 5)
run('sgdn', optim.sgd, {learningRate = 0.1, momentum = 0.9, dampening = 0, nesterov = true, learningRateDecay = 1e-2}, 5)
run('adam', optim.adam, {learningRate = 0.01}, 5)
run('adamw', optim.adam, {learningRate = 0.01, weightDecay = 0.1}, 5)
run('adagrad', optim.adagrad, {learningRate = 0.1}, 5)
run('adadelta', optim.adadelta, {}, 5)
run('rmsprop', optim.rmsprop, {learningRate = 0.01}, 5)
run('adamax', optim.adamax, {}, 5)
run('nag', optim.nag, {learningRate = 0.1, momentum = 0.5}, 5)
run('lbfgs', optim.lbfgs, {maxIter = 5}, 2)
run('cg', optim.cg, {maxIter = 5}, 2)
run('asgd', optim.asgd, {eta0 = 0.1}, 5)
run('rprop', optim.rprop, {}, 5)
run('adamax2', optim.adamax, {learningRate=0.01, beta1=0.8, weightDecay=0.01}, 5)
run('adamlrd', optim.adam, {learningRate=0.01, learningRateDecay=0.1}, 5)
run('adagradwd', optim.adagrad, {learningRate=0.01, weightDecay=0.1}, 5)
run('adadeltawd', optim.adadelta, {weightDecay=0.1}, 5)
run('rmspropwd', optim.rmsprop, {weightDecay=0.1, initialMean=1}, 5)
run('nagwd', optim.nag, {learningRate=0.1, weightDecay=0.01, learningRates=torch.Tensor(75):fill(0.5)}, 5)
run('sgdlrs', optim.sgd, {learningRate=0.1, weightDecays=torch.Tensor(75):fill(0.01), learningRates=torch.Tensor(75):fill(0.5)}, 5)
