dofile '../h.lua'
require 'optim'
local function rosen(x)
   local a, b = x[1], x[2]
   local f = (1 - a)^2 + 100 * (b - a * a)^2
   local g = torch.Tensor(2)
   g[1] = -2 * (1 - a) - 400 * a * (b - a * a)
   g[2] = 200 * (b - a * a)
   return f, g
end
local x = torch.Tensor{-1.2, 1}
local xs, fs, n = optim.lbfgs(rosen, x, {maxIter = 30, verbose = true, learningRate = 1})
print(#fs, string.format('%.17g %.17g', xs[1], xs[2]))
local x2 = torch.Tensor{-1.2, 1}
local xs2, fs2 = optim.lbfgs(rosen, x2, {maxIter = 30, lineSearch = optim.lswolfe, verbose = true})
print(#fs2, string.format('%.17g %.17g', xs2[1], xs2[2]))
local x3 = torch.Tensor{-1.2, 1}
local xs3, fs3, n3 = optim.cg(rosen, x3, {maxIter = 20})
print(#fs3, n3, string.format('%.17g %.17g', xs3[1], xs3[2]))
local x4 = torch.Tensor{-1.2, 1}
local c = optim.checkgrad(rosen, x4, 1e-6)
print(string.format('%.6g', c))
local x5 = torch.Tensor{-1.2, 1}
torch.manualSeed(1)
local xs5, fs5 = optim.cmaes(function(x) return (rosen(x)) end, x5, {maxEval = 50, sigma = 0.5, verb_disp = 1})
print(#fs5)
local x6 = torch.Tensor{-1.2, 1}
local xs6, fs6 = optim.rprop(rosen, x6, {niter = 5})
print(#fs6, string.format('%.17g', fs6[#fs6]))
local x7 = torch.Tensor{-1.2, 1}
torch.manualSeed(3)
perr('de without maxFEs bounds', optim.de, function(x) return (rosen(x)) end, x7, {popsize = 6, maxFEs = 30, maxRegion = 2, minRegion = -2})
