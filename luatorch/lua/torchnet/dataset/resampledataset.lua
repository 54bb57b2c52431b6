-- tnt.ResampleDataset(dataset[, sampler][, size]): sample i is dataset:get(sampler(dataset, i));
-- size defaults to the dataset's
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local ResampleDataset = torch.class('tnt.ResampleDataset', 'tnt.Dataset', tnt)

ResampleDataset.__init = argcheck{
   {name = 'self', type = 'tnt.ResampleDataset'},
   {name = 'dataset', type = 'tnt.Dataset'},
   {name = 'sampler', type = 'function', default = function(dataset, idx) return idx end},
   {name = 'size', type = 'number', opt = true},
   call = function(self, dataset, sampler, size)
      self.__sampler = sampler
      self.__dataset = dataset
      self.__size = size
   end
}

ResampleDataset.size = argcheck{
   {name = 'self', type = 'tnt.ResampleDataset'},
   call = function(self)
      return (self.__size and self.__size > 0) and self.__size or self.__dataset:size()
   end
}

ResampleDataset.get = argcheck{
   {name = 'self', type = 'tnt.ResampleDataset'},
   {name = 'idx', type = 'number'},
   call = function(self, idx)
      assert(idx >= 1 and idx <= self:size(), 'index out of bound')
      idx = self.__sampler(self.__dataset, idx)
      assert(idx >= 1 and idx <= self.__dataset:size(), 'index out of bound (sampler)')
      return self.__dataset:get(idx)
   end
}
