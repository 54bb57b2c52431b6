-- tnt.ConcatDataset{datasets = {...}}: the samples of several datasets one after the other
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local ConcatDataset = torch.class('tnt.ConcatDataset', 'tnt.Dataset', tnt)

ConcatDataset.__init = argcheck{
   noordered = true,
   {name = 'self', type = 'tnt.ConcatDataset'},
   {name = 'datasets', type = 'table'},
   call = function(self, datasets)
      assert(#datasets > 0, 'datasets should not be an empty table')
      -- the first and last index of each dataset's samples
      local indices = torch.LongTensor(#datasets, 2)
      local size = 0
      for i, dataset in ipairs(datasets) do
         assert(torch.isTypeOf(dataset, 'tnt.Dataset'),
                'each member of datasets table should be a tnt.Dataset')
         indices[i][1] = size + 1
         size = size + dataset:size()
         indices[i][2] = size
      end
      self.__datasets = datasets
      self.__indices = indices
      self.__size = size
   end
}

ConcatDataset.size = argcheck{
   {name = 'self', type = 'tnt.ConcatDataset'},
   call = function(self) return self.__size end
}

ConcatDataset.get = argcheck{
   {name = 'self', type = 'tnt.ConcatDataset'},
   {name = 'idx', type = 'number'},
   call = function(self, idx)
      assert(idx >= 1 and idx <= self.__size, 'index out of bound')
      local indices = self.__indices
      -- binary search of the dataset holding idx
      local l, r = 1, indices:size(1)
      while l ~= r do
         local m = math.floor((r - l) / 2) + l
         if l == m then
            if idx > indices[l][2] then l = r else r = l end
         elseif idx > indices[m][2] then
            l = m
         elseif idx < indices[m][1] then
            r = m
         else
            l, r = m, m
         end
      end
      return self.__datasets[l]:get(idx - indices[l][1] + 1)
   end
}
