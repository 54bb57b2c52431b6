-- tnt.ListDataset(list, load[, path]): sample i is load(list[i]) (load(path .. '/' .. list[i])
-- with a path); list is a table, tds.Hash, tds.Vec or LongTensor, or a file name whose lines
-- make the list (tnt.ListDataset(filename, load[, maxload][, path]))
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local ListDataset, Dataset = torch.class('tnt.ListDataset', 'tnt.Dataset', tnt)

local function init(self, list, load, path)
   Dataset.__init(self)
   self.list = list
   self.load = load
   self.path = path
end

for i, listType in ipairs{'tds.Hash', 'table', 'tds.Vec', 'torch.LongTensor'} do
   ListDataset.__init = argcheck{
      doc = (i == 1) and [[
<a name="ListDataset">
#### tnt.ListDataset(@ARGP)
@ARGT

Sample i of the dataset is `load(list[i])` (or `load(path .. '/' .. list[i])` when `path` is
given). `list` can be a `tds.Hash`, a `tds.Vec`, a `table` or a `torch.LongTensor`.
]] or nil,
      {name = 'self', type = 'tnt.ListDataset'},
      {name = 'list', type = listType},
      {name = 'load', type = 'function'},
      {name = 'path', type = 'string', opt = true},
      overload = (i > 1) and ListDataset.__init or nil,
      call = init,
   }
end

ListDataset.__init = argcheck{
   doc = [[
#### tnt.ListDataset(@ARGP)
@ARGT

The lines of the file `filename` make the list (at most `maxload` of them).
]],
   {name = 'self', type = 'tnt.ListDataset'},
   {name = 'filename', type = 'string'},
   {name = 'load', type = 'function'},
   {name = 'maxload', type = 'number', opt = true},
   {name = 'path', type = 'string', opt = true},
   overload = ListDataset.__init,
   call = function(self, filename, load, maxload, path)
      local list = require('tds').hash()
      for line in io.lines(filename) do
         list[#list + 1] = line
         if maxload and maxload > 0 and #list == maxload then break end
      end
      ListDataset.__init(self, list, load, path)
      print(string.format("| loaded <%s> with %d examples", filename, #list))
   end
}

ListDataset.size = argcheck{
   {name = 'self', type = 'tnt.ListDataset'},
   call = function(self)
      return torch.isTensor(self.list) and self.list:size(1) or #self.list
   end
}

ListDataset.get = argcheck{
   {name = 'self', type = 'tnt.ListDataset'},
   {name = 'idx', type = 'number'},
   call = function(self, idx)
      assert(idx >= 1 and idx <= self:size(), 'out of bound')
      if self.path then
         return self.load(string.format("%s/%s", self.path, self.list[idx]))
      end
      return self.load(self.list[idx])
   end
}
