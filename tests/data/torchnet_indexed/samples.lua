-- The samples of the archives in this folder: sample i of each field (i = 1..5), built without
-- random numbers so that any Torch can rebuild them. make_archives.lua wrote the .idx/.bin files
-- with real torchnet (Torch7): `th make_archives.lua` from this folder.
local fields = {}

function fields.input(i)  -- float, of varying shape; the last one empty
   if i == 5 then return torch.FloatTensor() end
   return torch.range(1, 6 * i):float():mul(0.5):add(-1):view(i, 2, 3)
end

function fields.target(i)  -- long, 1-D
   return torch.LongTensor{i, 10 * i, -i}
end

function fields.pixels(i)  -- byte, 3-D
   return torch.ByteTensor(2, 2, 3):fill(40 * i):add(torch.range(0, 11):byte():view(2, 2, 3))
end

function fields.meta(i)  -- any Lua value, serialized into a table archive
   return {name = 'sample' .. i, id = i, tags = {'a', i * 1.5}, even = i % 2 == 0}
end

-- archive type of each field
local types = {input = 'float', target = 'long', pixels = 'byte', meta = 'table'}

return {fields = fields, types = types, n = 5, names = {'input', 'target', 'pixels', 'meta'}}
