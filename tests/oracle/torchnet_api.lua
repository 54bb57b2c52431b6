-- torchnet: datasets, iterators (also on worker threads), engines with hooks and meters, logs
-- (error positions are stripped: file names and lines differ between implementations)
local function E(ok, msg) print(ok, (tostring(msg):gsub('^[^\n]-:%d+: ', ''))) end
local tnt = require 'torchnet'
torch.manualSeed(1)
-- README-style: train a logistic regression with SGDEngine on a ListDataset, with meters and hooks
local N, D, C = 40, 5, 3
local X, Y = torch.randn(N, D), torch.LongTensor(N)
for i = 1, N do Y[i] = (X[i][1] > 0.3) and 1 or ((X[i][2] > 0) and 2 or 3) end
local dataset = tnt.ListDataset{
   list = torch.range(1, N):long(),
   load = function(idx) return {input = X[idx], target = torch.LongTensor{Y[idx]}} end,
}
local batched = dataset:shuffle():batch(8, 'include-last'):transform(function(s) s.target = s.target:view(-1) return s end)
print(dataset:size(), batched:size())
local s = batched:get(1); print(s.input:size(), s.target:size())
local net = nn.Sequential():add(nn.Linear(D, C)):add(nn.LogSoftMax())
local crit = nn.ClassNLLCriterion()
local engine = tnt.SGDEngine()
local meter, clerr, conf = tnt.AverageValueMeter(), tnt.ClassErrorMeter{topk = {1, 2}}, tnt.ConfusionMeter{k = C}
local timer = tnt.TimeMeter{unit = true}
engine.hooks.onStartEpoch = function(state) meter:reset(); clerr:reset(); conf:reset() end
engine.hooks.onForwardCriterion = function(state)
   meter:add(state.criterion.output)
   clerr:add(state.network.output, state.sample.target)
   conf:add(state.network.output, state.sample.target)
end
engine.hooks.onEndEpoch = function(state)
   print(string.format('epoch %d loss %.6f err %.4f err2 %.4f', state.epoch, meter:value(), clerr:value{k = 1}, clerr:value{k = 2}))
end
engine:train{network = net, criterion = crit, iterator = tnt.DatasetIterator(batched), lr = 0.5, maxepoch = 5}
print(conf:value())
engine:test{network = net, iterator = tnt.DatasetIterator(batched), criterion = crit}
local oe = tnt.OptimEngine()
require 'optim'
oe.hooks.onEndEpoch = function(state) print('optim epoch', state.epoch, string.format('%.6f', state.criterion.output)) end
oe:train{network = net, criterion = crit, iterator = batched:iterator(), optimMethod = optim.sgd, config = {learningRate = 0.1}, maxepoch = 2}
-- datasets
local td = tnt.TableDataset{data = {{x = 1}, {x = 2}, {x = 3}, {x = 4}, {x = 5}}}
local cd = tnt.ConcatDataset{datasets = {td, td}}
print(cd:size(), cd:get(7).x)
local sd = tnt.SplitDataset{dataset = cd, partitions = {train = 0.7, val = 0.3}}
sd:select('train'); print(sd:size(), sd:get(7).x); sd:select('val'); print(sd:size(), sd:get(1).x)
local tr = td:transform(function(s) return s.x * 10 end); print(tr:get(2))
local rs = tnt.ResampleDataset{dataset = td, sampler = function(ds, i) return ds:size() - i + 1 end}; print(rs:get(1).x)
local it = tnt.DatasetIterator{dataset = td, filter = function(s) return s.x % 2 == 1 end}
for s in it() do io.write(s.x, ' ') end print()
for s in it:transform(function(s) return s.x + 100 end)() do io.write(s, ' ') end print()
local b = tnt.BatchDataset{dataset = td, batchsize = 2, policy = 'skip-last'}; print(b:size(), #b:get(2).x)
E(pcall(tnt.BatchDataset, {dataset = td, batchsize = 2, policy = 'x'}))
-- meters
local auc = tnt.AUCMeter(); auc:add(torch.Tensor{0.9, 0.2, 0.6, 0.4, 0.8}, torch.Tensor{1, 0, 1, 0, 0}); print(auc:value())
local ap = tnt.APMeter(); ap:add(torch.Tensor{{0.9, 0.1}, {0.2, 0.8}, {0.6, 0.7}}, torch.Tensor{{1, 0}, {0, 1}, {1, 1}}); print(ap:value())
local map = tnt.mAPMeter(); map:add(torch.Tensor{{0.9, 0.1}, {0.2, 0.8}, {0.6, 0.7}}, torch.Tensor{{1, 0}, {0, 1}, {0, 1}}); print(map:value())
local mav = tnt.MovingAverageValueMeter(3); for i = 1, 5 do mav:add(i) end; print(mav:value())
local mse = tnt.MSEMeter(); mse:add(torch.Tensor{1, 2}, torch.Tensor{2, 4}); print(mse:value())
local ncm = tnt.ConfusionMeter{k = 2, normalized = true}; ncm:add(torch.Tensor{{0.2, 0.8}, {0.9, 0.1}, {0.3, 0.7}}, torch.LongTensor{2, 2, 1}); print(ncm:value())
E(pcall(function() return tnt.AverageValueMeter():add('x') end))
E(pcall(function() engine.hooks.onFoo = 1 end))
print(tnt.transform.compose{function(x) return x + 1 end, function(x) return x * 2 end}(3))
print(tnt.utils.table.mergetensor{torch.Tensor{1, 2}, torch.Tensor{3, 4}})
local it = tnt.ParallelDatasetIterator{
   nthread = 2,
   init = function() require 'torchnet' end,
   closure = function()
      local tnt = require 'torchnet'
      return tnt.ListDataset{list = torch.range(1, 10):long(), load = function(x) return {x = x * 10} end}
   end,
   ordered = true,
}
local out = {}
for s in it() do out[#out + 1] = s.x end
print(table.concat(out, ' '))
print(it:execSingle('size'))
local prec = tnt.PrecisionMeter{threshold = {0.3, 0.6}}
prec:add(torch.Tensor{{0.9, 0.4, 0.1}, {0.2, 0.7, 0.65}}, torch.Tensor{{1, 0, 1}, {0, 1, 0}})
print(prec:value()[0.3], prec:value(0.6))
local rec = tnt.RecallMeter{threshold = {0.3, 0.6}, perclass = true}
rec:add(torch.Tensor{{0.9, 0.4, 0.1}, {0.2, 0.7, 0.65}}, torch.Tensor{{1, 0, 1}, {0, 1, 0}})
print(rec:value(0.3))
local pk = tnt.PrecisionAtKMeter{topk = {1, 2}}
pk:add(torch.Tensor{{0.9, 0.4, 0.1}, {0.2, 0.7, 0.65}}, torch.Tensor{{1, 0, 1}, {0, 1, 0}})
print(pk:value(1), pk:value(2))
local nd = tnt.NDCGMeter{K = {1, 2, 3}}
nd:add(torch.Tensor{{0.9, 0.4, 0.1}, {0.2, 0.7, 0.65}}, torch.Tensor{{3, 0, 1}, {0, 2, 1}})
print(nd:value(1), nd:value(2), nd:value(3))
local ml = tnt.MultiLabelConfusionMeter{k = 3}
ml:add(torch.Tensor{{0.9, 0.4, 0.1}, {0.2, 0.7, 0.65}}, torch.Tensor{{1, 0, 1}, {0, 1, 0}})
print(ml:value())
local log = tnt.Log{keys = {'loss', 'acc'}, onFlush = {require('torchnet.log.view.text'){keys = {'loss', 'acc'}, format = {'%10.5f', '%3.2f'}}, require('torchnet.log.view.json'){keys = {'loss', 'acc'}}}}
log:set{loss = 0.25, acc = 97.5}
print(log:get('loss'))
log:flush()
E(pcall(function() log:set{foo = 1} end))
print(tnt.utils.nn.inferoutputsize{specs = {{kw = 3, dw = 1, pw = 1}, {kw = 2, dw = 2}}, size = 32})
print(tnt.utils.nn.inferinputsize{specs = {{kw = 3, dw = 1, pw = 1}, {kw = 2, dw = 2}}, size = 16})
