-- loaded with paths.dofile from multi_file.lua: returns a model builder
require 'nn'
local M = {}
function M.build(nIn, nOut)
   return nn.Sequential():add(nn.Linear(nIn, nOut)):add(nn.LogSoftMax())
end
return M
