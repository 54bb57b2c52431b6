-- The scenarios of torch/optim's own test scripts (test/test_*.lua), shortened, with assertions
-- where those scripts only print.

require 'optim'

local tester = torch.Tester()

-- test/rosenbrock.lua's function, written with the same tensor operations
local function rosenbrock(x)
   local d = x:size(1)
   local x1 = x.new(d - 1):copy(x:narrow(1, 1, d - 1))
   x1:cmul(x1):mul(-1):add(x:narrow(1, 2, d - 1))
   x1:cmul(x1):mul(100)
   local x0 = x.new(d - 1):copy(x:narrow(1, 1, d - 1))
   x0:mul(-1):add(1)
   x0:cmul(x0)
   x1:add(x0)
   local fout = x1:sum()
   local dxout = x.new():resizeAs(x):zero()
   x1:copy(x:narrow(1, 1, d - 1))
   x1:cmul(x1):mul(-1):add(x:narrow(1, 2, d - 1)):cmul(x:narrow(1, 1, d - 1)):mul(-400)
   x0:copy(x:narrow(1, 1, d - 1)):mul(-1):add(1):mul(-2)
   x1:add(x0)
   dxout:narrow(1, 1, d - 1):copy(x1)
   x0:copy(x:narrow(1, 1, d - 1))
   x0:cmul(x0):mul(-1):add(x:narrow(1, 2, d - 1)):mul(200)
   dxout:narrow(1, 2, d - 1):add(x0)
   return fout, dxout
end

-- test/l2.lua's function
local function l2(x)
   local xx = x:clone():cmul(x)
   return xx:sum(), x:clone():mul(2)
end

-- the loop of test_sgd.lua, test_adam.lua, ...: f sampled every `every` steps must fall
local function descends(name, config, n, every)
   local x = torch.Tensor(2):fill(0)
   local fx = {}
   for i = 1, n do
      local f
      x, f = optim[name](rosenbrock, x, config)
      if (i - 1) % every == 0 then table.insert(fx, f[1]) end
   end
   tester:assertlt(fx[#fx], fx[1], name .. ' did not descend')
   return x, fx
end

function test_sgd_script()
   local _, fx = descends('sgd', {learningRate = 1e-3}, 1001, 100)
   tester:eq(fx[1], 1)          -- f(0, 0) = 1
   tester:assertlt(fx[#fx], 0.5)
end

function test_adaptive_scripts()
   descends('adam', {learningRate = 0.002}, 501, 100)
   descends('adamax', {learningRate = 0.002}, 501, 100)
   descends('rmsprop', {learningRate = 1e-3}, 501, 100)
   descends('adagrad', {learningRate = 1e-1}, 501, 100)
   descends('adadelta', {}, 501, 100)
   descends('nag', {learningRate = 1e-3, momentum = 0.9}, 501, 100)
   descends('asgd', {eta0 = 1e-3}, 501, 100)
   descends('rprop', {stepsize = 1e-3}, 101, 10)
end

function test_cg_script()
   local x, fx, i = optim.cg(rosenbrock, torch.Tensor(2):fill(0), {maxIter = 50})
   tester:assertlt(fx[#fx], 1e-9)
   tester:assertTensorEq(x, torch.Tensor{1, 1}, 1e-5)
   tester:assertle(i, 50 * 1.25 + 2)
   local xq = torch.Tensor{3, -2, 1}
   local _, fq = optim.cg(l2, xq, {maxIter = 10})
   tester:assertlt(fq[#fq], 1e-20)
end

function test_lbfgs_script()
   -- regular batch test
   local x, fx, n = optim.lbfgs(rosenbrock, torch.Tensor(2):fill(0),
                                {maxIter = 100, learningRate = 1e-1})
   tester:eq(#fx, 100)
   tester:eq(n, 100)
   tester:assertlt(fx[#fx], 1e-5)
   -- stochastic test: one iteration per call, state carried in config
   x = torch.Tensor(2):fill(0)
   local config = {learningRate = 1e-1, maxIter = 1}
   local hist = {}
   for i = 1, 100 do
      local f
      x, f = optim.lbfgs(rosenbrock, x, config)
      hist[i] = f[1]
   end
   tester:eq(config.nIter, 100)
   tester:eq(config.funcEval, 100)
   tester:assertlt(hist[100], 1e-5)
end

function test_lbfgs_with_line_search_script()
   local x, fx, n = optim.lbfgs(rosenbrock, torch.Tensor(2):fill(0),
                                {maxIter = 100, lineSearch = optim.lswolfe})
   tester:assertlt(fx[#fx], 1e-12)
   tester:assertTensorEq(x, torch.Tensor{1, 1}, 1e-6)
   tester:assertlt(n, 100)
end

function test_cmaes_script()
   torch.manualSeed(1)
   local x = torch.Tensor(4):fill(0)
   local best, fx, n = optim.cmaes(rosenbrock, x, {maxEval = 2000, sigma = 0.5, verb_disp = 0})
   tester:eq(x:sum(), 0)                 -- cmaes leaves x alone
   tester:eq(best:dim(), 1)
   tester:assertle(n, 2000)
   tester:assertlt(fx[#fx], 1e-6)
   tester:eq(fx[#fx], (rosenbrock(best)))
end

function test_de_script()
   local x, fx = optim.de(rosenbrock, torch.Tensor(2):fill(0),
                          {popsize = 20, scaleFactor = 0.5, crossoverRate = 0.9, maxFEs = 600})
   tester:eq(fx:size(1), 600)
   tester:assertlt((rosenbrock(x)), 1e-2)
   tester:assertlt(fx:min(), fx[1])
end

function test_confusion_script()
   local classes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
   local cm = optim.ConfusionMatrix(#classes, classes)
   local prediction = torch.randn(#classes)
   cm:add(prediction, 3)
   cm:add(prediction, torch.randn(#classes))
   local batch_size = 8
   cm:batchAdd(torch.randn(batch_size, #classes), torch.randperm(batch_size))
   tester:eq(cm.mat:sum(), batch_size + 2, 'missing examples')
   cm:updateValids()
   local s = tostring(cm)
   tester:assert(s:find('^ConfusionMatrix:\n%[%[') ~= nil)
   tester:assert(s:find('%[class: 9%]\n %+ average row correct: ') ~= nil)
   cm:add(prediction, 0)
   tester:eq(cm.mat:sum(), batch_size + 2, 'too many examples')
   cm.mat = torch.eye(#classes, #classes)
   local classFrrs, classFars = cm:farFrr()
   tester:eq(classFrrs:sum() + classFars:sum(), 0, 'Incorrect values')
end

function test_logger_script()
   local dir = os.tmpname()
   os.remove(dir)
   local former = optim.Logger(dir .. '/accuracy-former.log')
   local new = optim.Logger(dir .. '/accuracy-new.log')
   new:setNames({'channel 1', 'channel 2', 'channel 3'})
   for i = 1, 20 do
      former:add({['channel 1'] = 1, ['channel 2'] = 0.1 * i, ['channel 3'] = 1 - 0.2 * i})
      new:add({1, 0.1 * i, 1 - 0.2 * i})
   end
   former:style({['channel 1'] = '-', ['channel 2'] = '-', ['channel 3'] = '-'})
   new:style{'-', '-', '-'}
   local f = io.open(dir .. '/accuracy-new.log')
   local text = f:read('*a')
   f:close()
   local want = 'channel 1\tchannel 2\tchannel 3\t\n' ..
                ' 1.0000e+00\t 1.0000e-01\t 8.0000e-01\t\n' ..
                ' 1.0000e+00\t 2.0000e-01\t 6.0000e-01\t\n'
   tester:eq(text:sub(1, #want), want)
   local _, rows = text:gsub('\n', '')
   tester:eq(rows, 21)
   for _, name in ipairs{'accuracy-former.log', 'accuracy-new.log'} do
      os.remove(dir .. '/' .. name)
   end
   os.remove(dir)
end
