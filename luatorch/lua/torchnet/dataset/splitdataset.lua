-- tnt.SplitDataset(dataset, partitions[, initialpartition]): named consecutive partitions of
-- a dataset (sizes as numbers of samples, or fractions summing to at most 1); select(name)
-- chooses the one size() and get() see. Partitions are laid out in the order of their names.
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local SplitDataset = torch.class('tnt.SplitDataset', 'tnt.Dataset', tnt)

SplitDataset.__init = argcheck{
   {name = 'self', type = 'tnt.SplitDataset'},
   {name = 'dataset', type = 'tnt.Dataset'},
   {name = 'partitions', type = 'table'},
   {name = 'initialpartition', type = 'string', opt = true},
   call = function(self, dataset, partitions, initialpartition)
      local names = {}
      for name in pairs(partitions) do table.insert(names, name) end
      table.sort(names)
      self.__dataset = dataset
      self.__partitionsizes = torch.DoubleTensor(#names)
      self.__names = {}
      for n, key in ipairs(names) do
         self.__partitionsizes[n] = partitions[key]
         self.__names[key] = n
      end
      local sizes = self.__partitionsizes
      assert(sizes:nElement() >= 2, 'SplitDataset should have at least two partitions')
      assert(sizes:min() >= 0, 'some partition sizes are negative')
      assert(sizes:max() > 0, 'all partitions are empty')
      if sizes:sum() <= 1 then
         sizes:mul(dataset:size()):floor()
      else
         assert(torch.eq(sizes, torch.floor(sizes)):all(),
                'partition sizes should be integer numbers, or sum up to <= 1 ')
      end
      self.__partitionsizes = sizes:long()
      assert(self.__partitionsizes:sum() <= dataset:size(),
             'split cannot involve more samples than dataset size')
      if initialpartition then self:select(initialpartition) end
   end
}

SplitDataset.select = argcheck{
   {name = 'self', type = 'tnt.SplitDataset'},
   {name = 'partition', type = 'string'},
   call = function(self, partition)
      local id = self.__names[partition]
      if not id then error('partition not found') end
      if self.__partition then
         self.__partition[1] = id
      else
         self.__partition = torch.LongTensor{id}
      end
   end
}

SplitDataset.size = argcheck{
   {name = 'self', type = 'tnt.SplitDataset'},
   call = function(self)
      assert(self.__partition, 'select a partition before accessing data')
      return self.__partitionsizes[self.__partition[1]]
   end
}

SplitDataset.get = argcheck{
   {name = 'self', type = 'tnt.SplitDataset'},
   {name = 'idx', type = 'number'},
   call = function(self, idx)
      assert(self.__partition, 'select a partition before accessing data')
      assert(idx >= 1 and idx <= self:size(), 'index out of bounds')
      local p = self.__partition[1]
      local offset = (p == 1) and 0 or self.__partitionsizes:narrow(1, 1, p - 1):sum()
      return self.__dataset:get(offset + idx)
   end
}
