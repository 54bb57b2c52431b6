-- nn: modules are Lua classes whose numeric work is one call into a Python kernel (nn.THNN).
require 'torch'

nn = nn or {}
local nn = nn

nn.THNN = require 'nn.THNN'

-- every module file defines its class with torch.class('nn.X', parent, nn)
local files = {
   'utils', 'Module', 'Container', 'Sequential', 'Criterion',
   'Linear', 'Identity', 'Tanh', 'Sigmoid', 'Threshold', 'ReLU', 'MSECriterion',
}
for _, name in ipairs(files) do
   require('nn.' .. name)
end

-- further modules, one per file, listed by family in nn/modules_<family>.lua
for _, family in ipairs({'containers', 'layers', 'tables', 'transfer', 'criterions', 'spatial',
                         'testing', 'extra', 'late'}) do
   local list = 'nn.modules_' .. family
   if package.searchpath(list, package.path) then
      for _, name in ipairs(require(list)) do require('nn.' .. name) end
   end
end

-- Real Torch7's nn builds an nn.Linear(1, 2) while loading, which draws four uniform numbers;
-- scripts that seed before `require 'nn'` depend on it.
nn.Linear(1, 2)

return nn
