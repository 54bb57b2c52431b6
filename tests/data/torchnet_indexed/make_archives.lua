-- Writes <field>.idx and <field>.bin for every field of samples.lua with torchnet's
-- IndexedDatasetWriter (run with real Torch7 from this folder: th make_archives.lua)
local tnt = require 'torchnet'
local samples = dofile('samples.lua')
for _, name in ipairs(samples.names) do
   local writer = tnt.IndexedDatasetWriter(name .. '.idx', name .. '.bin', samples.types[name])
   for i = 1, samples.n do
      writer:add(samples.fields[name](i))
   end
   writer:close()
end
