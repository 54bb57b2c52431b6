-- tnt.IndexedDataset on the archives real torchnet wrote (../data/torchnet_indexed), the
-- reader, writer (append mode, table archives), their errors; tnt.CoroutineBatchDataset
local tnt = require 'torchnet'
local dir = '../data/torchnet_indexed'
local ds = tnt.IndexedDataset{fields = {'input', 'target', 'pixels', 'meta'}, path = dir}
print(ds:size())
local s = ds:get(2)
print(s.input, s.target, s.pixels, s.meta.name, s.meta.id, s.meta.tags[2], s.meta.even)
print(ds:get(5).input)
local one = tnt.IndexedDataset{fields = {meta = {idx = dir .. '/meta.idx', bin = dir .. '/meta.bin'}},
                              standalone = true, maxload = 3, mmap = true, mmapidx = true}
print(one:size(), one:get(3).name)
local function try(f, ...)
   local ok, err = pcall(f, ...)
   print(ok, (tostring(err):gsub('^.-:%d+: ', '')))
end
try(function() return ds:get(6) end)
try(function() return one:get(4) end)

local tmp = os.tmpname()
local w = tnt.IndexedDatasetWriter(tmp .. '.idx', tmp .. '.bin', 'short')
w:add(torch.ShortTensor{{1, 2}, {3, 4}})
w:add(torch.ShortTensor())
w:close()
w = tnt.IndexedDatasetWriter(tmp .. '.idx', tmp .. '.bin')
w:add(torch.ShortTensor{7, 8, 9})
try(w.add, w, torch.IntTensor{1})
try(w.add, w, {a = 1})
w:close()
local r = tnt.IndexedDatasetReader(tmp .. '.idx', tmp .. '.bin')
print(r:size(), r:get(1), r:get(2), r:get(3))
try(r.get, r, 0)
try(tnt.IndexedDatasetWriter, tmp .. '.idx', tmp .. '.bin', 'half')
local t = tnt.IndexedDatasetWriter(tmp .. 't.idx', tmp .. 't.bin', 'table')
t:add({x = 1})
t:add({2, 3, {4}})
t:close()
local rt = tnt.IndexedDatasetReader(tmp .. 't.idx', tmp .. 't.bin')
print(rt:get(1).x, rt:get(2)[3][1])
os.remove(tmp); os.remove(tmp .. '.idx'); os.remove(tmp .. '.bin')
os.remove(tmp .. 't.idx'); os.remove(tmp .. 't.bin')

-- a dataset whose get() yields once: CoroutineBatchDataset starts the whole batch first
local order = {}
local yielding = tnt.ListDataset{list = torch.range(1, 5):long(), load = function(i)
   order[#order + 1] = 'start' .. i
   coroutine.yield()
   order[#order + 1] = 'end' .. i
   return {input = torch.Tensor{i, 10 * i}}
end}
local cb = tnt.CoroutineBatchDataset{dataset = yielding, batchsize = 2}
print(cb:size(), cb:get(3).input)
print(cb:get(1).input, table.concat(order, ' '))
