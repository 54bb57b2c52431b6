-- dpnn: Element-Research's extensions to nn (Module methods for parameter sharing, serialization
-- and training tricks) and the modules it adds. Modules dpnn gave to nn itself (Decorator,
-- DontCast, Collapse, Convert, Constant, ...) live in luatorch/lua/nn/.
require 'torch'
require 'nn'

dpnn = dpnn or {}
dpnn.version = 2
unpack = unpack or table.unpack

function dpnn.require(packagename)
   assert(torch.type(packagename) == 'string')
   local ok, message = pcall(require, packagename)
   if not ok then
      print("missing package " .. packagename .. ": run 'luarocks install nnx'")
      error(message)
   end
end

-- extensions of existing classes
for _, name in ipairs{'Module', 'Container', 'Sequential', 'ParallelTable', 'LookupTable',
      'SerialBuffers', 'Criterion', 'BatchNormalization'} do
   require('dpnn.' .. name)
end

-- modules, one per file
for _, name in ipairs(require 'dpnn.modules') do
   require('dpnn.' .. name)
end

return dpnn
