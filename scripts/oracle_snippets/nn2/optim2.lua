dofile '../h.lua'
require 'optim'
local function rosen(x)
   local fx = (1 - x[1])^2 + 100 * (x[2] - x[1]^2)^2
   local g = torch.Tensor{-2 * (1 - x[1]) - 400 * x[1] * (x[2] - x[1]^2), 200 * (x[2] - x[1]^2)}
   return fx, g
end
local x = torch.Tensor{-1.2, 1}
local xs, fs, n = optim.lbfgs(rosen, x, {maxIter = 30, verbose = true, lineSearch = optim.lswolfe})
print(#fs, n)
local x = torch.Tensor{-1.2, 1}
local xs, fs, n = optim.lbfgs(rosen, x, {maxIter = 30, verbose = true, tolX = 1e-3})
print(#fs, n)
local x = torch.Tensor{1, 1}
local xs, fs, n = optim.lbfgs(rosen, x, {maxIter = 30, verbose = true})
print(#fs, n)
local x = torch.Tensor{-1.2, 1}
local xs, fs, n = optim.lbfgs(rosen, x, {maxIter = 3, maxEval = 2, verbose = true})
print(#fs, n)
local x = torch.Tensor{-1.2, 1}
local xs, fs, n = optim.cg(rosen, x, {maxIter = 5, verbose = true})
print(#fs, n and n or 'nil')
for i = 1, #fs do io.write(string.format('%.17g ', fs[i])) end print()
local x = torch.Tensor{-1.2, 1}
local st = {}
for i = 1, 3 do optim.adagrad(rosen, x, {learningRate = 0.01}, st) end
dump('adagrad', x); print(st.evalCounter)
local x = torch.Tensor{-1.2, 1}
local cfg = {learningRate = 1e-3, momentum = 0.9, learningRates = torch.Tensor{1, 0.5}}
for i = 1, 3 do optim.sgd(rosen, x, cfg) end
dump('sgd lrs', x)
local keys = {} for k in pairs(cfg) do keys[#keys+1] = k end table.sort(keys) print(table.concat(keys, ' '))
print(cfg.evalCounter, torch.type(cfg.dfdx), torch.type(cfg.deltaParameters))
local x = torch.Tensor{-1.2, 1}
local st = {}
print(pcall(optim.sgd, rosen, x, {learningRate = 1e-3, nesterov = true}, st))
print(pcall(optim.sgd, rosen, x, {learningRate = 1e-3, nesterov = true, momentum = 0.9}, st))
local x = torch.Tensor{-1.2, 1}
local st = {}
for i = 1, 3 do optim.adam(rosen, x, nil, st) end
dump('adam default', x)
local x = torch.Tensor{-1.2, 1}
for i = 1, 3 do optim.sgd(rosen, x) end
dump('sgd default', x)
local x = torch.Tensor{-1.2, 1}
local st = {}
for i = 1, 4 do optim.rprop(rosen, x, {stepsize = 0.1}, st) end
dump('rprop', x)
dump('rprop delta', st.delta); dump('rprop stepsize', st.stepsize)
local x = torch.Tensor{-1.2, 1}
local st = {}
for i = 1, 4 do optim.asgd(rosen, x, {eta0 = 1e-3, lambda = 1e-2, alpha = 0.8, t0 = 1}, st) end
dump('asgd x', x); dump('asgd ax', st.ax); print(st.eta_t, st.mu_t, st.t)
