-- More of optim's methods (adam, rmsprop, adadelta, nag, adamax, cg, sgd with nesterov) on a
-- Linear-ReLU-Linear-LogSoftMax network with ClassNLLCriterion: every loss printed.
dofile(paths.concat(paths.dirname(paths.thisfile()), 'common.lua'))
require 'optim'
local function train(name, method, config, iters)
   torch.manualSeed(2)
   local model = nn.Sequential():add(nn.Linear(5, 7)):add(nn.ReLU()):add(nn.Linear(7, 3)):add(nn.LogSoftMax())
   local crit = nn.ClassNLLCriterion()
   local x, t = torch.randn(20, 5), torch.LongTensor(20):random(3)
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
train('adam', optim.adam, {learningRate = 0.01}, 20)
train('rmsprop', optim.rmsprop, {learningRate = 0.01}, 20)
train('adadelta', optim.adadelta, {}, 20)
train('nag', optim.nag, {learningRate = 0.05, momentum = 0.9}, 20)
train('adamax', optim.adamax, {}, 20)
train('cg', optim.cg, {maxIter = 3}, 4)
train('sgd nesterov', optim.sgd, {learningRate = 0.05, momentum = 0.9, nesterov = true, dampening = 0}, 20)
