dofile '../h.lua'
require 'nn'
require 'optim'
-- quadratic / rosenbrock sequences
local function rosen(x)
   local d = x:size(1)
   local fx = 0
   local g = torch.zeros(d)
   for i = 1, d - 1 do
      fx = fx + (1 - x[i])^2 + 100 * (x[i+1] - x[i]^2)^2
      g[i] = g[i] - 2 * (1 - x[i]) - 400 * x[i] * (x[i+1] - x[i]^2)
      g[i+1] = g[i+1] + 200 * (x[i+1] - x[i]^2)
   end
   return fx, g
end
local function run(name, method, config, iters, x0)
   local x = x0 and x0:clone() or torch.Tensor{-1.2, 1, 0.5}
   local state = {}
   local seq = {}
   for i = 1, iters do
      local xn, fx = method(rosen, x, config, state)
      local parts = {}
      for j = 1, #fx do parts[#parts+1] = string.format('%.17g', fx[j]) end
      seq[#seq+1] = '[' .. table.concat(parts, ',') .. ']'
      if xn ~= x then print(name, 'returned another x') end
   end
   print(name, table.concat(seq, ' '))
   dump(name .. ' x', x)
   local keys = {}
   for k in pairs(state) do keys[#keys+1] = k end
   table.sort(keys)
   for _, k in ipairs(keys) do
      local v = state[k]
      if k == 'ro' then dump(name .. ' state.ro', v:narrow(1, 1, math.min(v:size(1), #state.old_dirs)))
      elseif torch.isTensor(v) then dump(name .. ' state.' .. k, v)
      elseif type(v) == 'table' then print(name .. ' state.' .. k, 'table', #v)
      else print(name .. ' state.' .. k, type(v) == 'number' and string.format('%.17g', v) or tostring(v)) end
   end
   local ck = {}
   for k in pairs(config) do ck[#ck+1] = k end
   table.sort(ck)
   print(name .. ' config', table.concat(ck, ' '))
end
run('sgd', optim.sgd, {learningRate = 1e-3}, 4)
run('sgd mom', optim.sgd, {learningRate = 1e-3, momentum = 0.9}, 4)
run('sgd damp', optim.sgd, {learningRate = 1e-3, momentum = 0.9, dampening = 0.5}, 4)
run('sgd nest', optim.sgd, {learningRate = 1e-3, momentum = 0.9, nesterov = true, dampening = 0}, 4)
run('sgd wd lrd', optim.sgd, {learningRate = 1e-3, weightDecay = 0.1, learningRateDecay = 0.5}, 4)
run('adam', optim.adam, {learningRate = 0.1, beta1 = 0.8, beta2 = 0.99, epsilon = 1e-6}, 4)
run('adamax', optim.adamax, {learningRate = 0.1}, 4)
run('adagrad', optim.adagrad, {learningRate = 0.1, learningRateDecay = 0.01}, 4)
run('adadelta', optim.adadelta, {rho = 0.5, eps = 1e-3}, 4)
run('rmsprop', optim.rmsprop, {learningRate = 0.01, alpha = 0.9, epsilon = 1e-4}, 4)
run('nag', optim.nag, {learningRate = 1e-3, momentum = 0.8}, 4)
run('lbfgs', optim.lbfgs, {maxIter = 10, learningRate = 1e-3}, 2)
run('lbfgs ls', optim.lbfgs, {maxIter = 20, lineSearch = optim.lswolfe}, 2)
run('lbfgs ls tol', optim.lbfgs, {maxIter = 50, lineSearch = optim.lswolfe, tolFun = 1e-3, nCorrection = 3}, 1)
run('lbfgs maxEval', optim.lbfgs, {maxIter = 50, maxEval = 7, lineSearch = optim.lswolfe}, 1)
run('cg', optim.cg, {maxIter = 10}, 2)
run('cg2', optim.cg, {maxIter = 3, rho = 0.02, sig = 0.4}, 3)
run('rprop', optim.rprop, {stepsize = 0.01, etaplus = 1.5, etaminus = 0.4}, 5)
run('asgd', optim.asgd, {eta0 = 1e-3, t0 = 2}, 5)
run('fista?', optim.fista and function(f, x, c, s) return x, {f(x)} end or optim.sgd, {learningRate=0}, 1)
local q = function(x) return x:dot(x), x * 2 end
local x = torch.Tensor{1, 2}
local xs, fs = optim.lbfgs(q, x, {maxIter = 100, lineSearch = optim.lswolfe})
print('lbfgs quad', #fs, string.format('%.17g %.17g', fs[1], fs[#fs]))
dump('lbfgs quad x', x)
local x0 = torch.Tensor{-1.2, 1}
local f0, g0 = rosen(x0)
local r, fr, gr, nf, lt = optim.lswolfe(rosen, x0, 1e-3, -g0, f0, g0, -g0:dot(g0), {})
print('lswolfe', r, fr, nf, lt)
dump('lswolfe g', gr)
print('polyinterp', optim.polyinterp(torch.Tensor{{0, 1, -1}, {1, 0.5, 0.2}}))
print('polyinterp3', optim.polyinterp(torch.Tensor{{0, 1, -1}, {1, 0.5, 0.2}, {2, 0.7, 0.5}}))
print('polyinterp b', optim.polyinterp(torch.Tensor{{0, 1, -1}, {1, 0.5, 0.2}}, -1, 3))
print('polyinterp c', optim.polyinterp(torch.Tensor{{0, 1, 1}, {1, 0.5, 1}}, 0, 1))
-- checkgrad
local cg = function(x) return x:dot(x) + x[1]^3, (x * 2):add(torch.Tensor{3 * x[1]^2, 0}) end
local diff, dC, dC_est = optim.checkgrad(cg, torch.Tensor{0.5, -1}, 1e-6)
print('checkgrad', string.format('%.6g', diff))
dump('checkgrad dC', dC)
dump('checkgrad est', dC_est)
-- fista
local A = torch.Tensor{{1, 2}, {3, 4}, {5, 6}}
local b = torch.Tensor{1, 2, 3}
local function f(x, mode)
   local r = A * x - b
   if mode == 'dx' then return r:dot(r) / 2, A:t() * r end
   return r:dot(r) / 2
end
local function g(x) return x:norm(1) * 0.1 end
local function pl(x, L) local y = x:clone(); y:apply(function(v) local s = math.max(math.abs(v) - 0.1 / L, 0); return v > 0 and s or -s end); return y end
local fx, hist = optim.FistaLS(f, g, pl, torch.Tensor{0, 0}, {maxiter = 5, maxline = 5, errthres = 1e-9, L = 0.1, verbose = false})
print('fista', torch.type(fx), #hist)
if hist[1] then for _, k in ipairs{'F', 'Fply', 'Gply', 'L', 'Q', 'nline'} do print('fista h', k, string.format('%.17g', hist[#hist][k])) end end
dump('fista x', fx)
