-- multi-file project: paths.dofile next to the script, package.path tweak, arg handling, os.exit
require 'torch'
require 'nn'
local dir = paths.dirname(paths.thisfile())
package.path = paths.concat(dir, 'helpers', '?.lua') .. ';' .. package.path
local util = require 'util'
local M = paths.dofile('helpers/model_def.lua')
print(arg and arg[0] ~= nil, #arg)
torch.manualSeed(5)
local model = M.build(2, 2)
local X = torch.randn(64, 2)
local Y = torch.Tensor(64)
for i = 1, 64 do Y[i] = X[i][1] + X[i][2] > 0 and 1 or 2 end
local crit = nn.ClassNLLCriterion()
for i = 1, 200 do
   model:zeroGradParameters()
   crit:forward(model:forward(X), Y)
   model:backward(X, crit:backward(model.output, Y))
   model:updateParameters(0.5)
end
local acc = util.accuracy(model:forward(X), Y)
print(string.format('accuracy %.3f', acc))
assert(acc > 0.9)
local ok, err = pcall(function() error({code = 42}) end)
print(ok, type(err), err.code)
local ok2, err2 = pcall(function() return torch.Tensor(2, 2) + torch.Tensor(3) end)
print(ok2, err2 ~= nil)
io.stdout:write('done\n')
os.exit(0)
print('not reached')
