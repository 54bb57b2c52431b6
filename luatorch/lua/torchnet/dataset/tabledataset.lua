-- tnt.TableDataset{data = {...}}: sample i is a deep copy of data[i]
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'
local utils = require 'torchnet.utils'

local TableDataset = torch.class('tnt.TableDataset', 'tnt.ListDataset', tnt)

TableDataset.__init = argcheck{
   noordered = true,
   {name = 'self', type = 'tnt.TableDataset'},
   {name = 'data', type = 'table'},
   call = function(self, data)
      for i = 1, #data do
         assert(data[i], "keys are not contiguous integers starting at 1")
      end
      local size = 0
      for _ in pairs(data) do size = size + 1 end
      assert(size == #data, "keys are not contiguous integers starting at 1")
      self.data = data
   end
}

TableDataset.size = argcheck{
   {name = 'self', type = 'tnt.TableDataset'},
   call = function(self) return #self.data end
}

TableDataset.get = argcheck{
   {name = 'self', type = 'tnt.TableDataset'},
   {name = 'idx', type = 'number'},
   call = function(self, idx)
      assert(idx >= 1 and idx <= self:size(), 'index out of bound')
      assert(idx == math.floor(idx), 'index must be an integer')
      return utils.table.clone(self.data[idx])
   end
}
