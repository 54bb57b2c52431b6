-- inception-like containers, table modules, and every common optim method on one problem
require 'nn'
require 'optim'
torch.manualSeed(8)
local branch = nn.Concat(2)
branch:add(nn.Linear(4, 3))
branch:add(nn.Sequential():add(nn.Linear(4, 2)):add(nn.Tanh()))
local ct = nn.ConcatTable():add(nn.Identity()):add(nn.Linear(5, 5))
local model = nn.Sequential():add(branch):add(ct):add(nn.CAddTable()):add(nn.Linear(5, 1))
print(model)
local x = torch.randn(16, 4)
local y = x:sum(2):mul(0.5)
local crit = nn.MSECriterion()
local w0 = model:getParameters():clone()
local results = {}
for _, name in ipairs({'sgd', 'adam', 'adagrad', 'rmsprop', 'adadelta', 'nag', 'adamax', 'cg', 'lbfgs'}) do
   local m = model:clone()
   local w, dw = m:getParameters()
   w:copy(w0)
   local feval = function(p)
      if p ~= w then w:copy(p) end
      dw:zero()
      local l = crit:forward(m:forward(x), y)
      m:backward(x, crit:backward(m.output, y))
      return l, dw
   end
   local cfg = {learningRate = 0.01, momentum = 0.9, maxIter = 5}
   if name == 'adadelta' then cfg = {rho = 0.9} end
   local first, last
   for i = 1, 50 do
      local _, f = optim[name](feval, w, cfg)
      first = first or f[1]
      last = f[#f]
   end
   results[#results + 1] = string.format('%-8s %.4f -> %.4f', name, first, last)
   assert(last < first, name .. ' did not decrease the loss')
end
print(table.concat(results, '\n'))

-- table containers
local pt = nn.ParallelTable():add(nn.Linear(2, 3)):add(nn.Linear(4, 3))
local jt = nn.Sequential():add(pt):add(nn.JoinTable(1))
print(jt:forward({torch.randn(2), torch.randn(4)}):size(1))
local st = nn.Sequential():add(nn.SplitTable(1)):add(nn.MapTable(nn.Linear(3, 1)))
local outs = st:forward(torch.randn(4, 3))
print(#outs, outs[1]:size(1))
local sel = nn.SelectTable(2):forward({torch.ones(1), torch.zeros(2)})
print(sel:size(1))
local flat = nn.FlattenTable():forward({torch.ones(1), {torch.ones(2), {torch.ones(3)}}})
print(#flat)
local narrowed = nn.NarrowTable(2, 2):forward({1, 2, 3, 4})
print(#narrowed)
local dc = nn.DepthConcat(1):add(nn.SpatialConvolution(1, 2, 3, 3)):add(nn.SpatialConvolution(1, 3, 1, 1))
print(dc:forward(torch.randn(1, 6, 6)):size())
print(dc)
