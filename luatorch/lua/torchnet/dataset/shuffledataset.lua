-- tnt.ShuffleDataset(dataset[, size][, replacement]): the samples in a random order (a
-- permutation, or draws with replacement); resample() draws a new order
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local ShuffleDataset, ResampleDataset =
   torch.class('tnt.ShuffleDataset', 'tnt.ResampleDataset', tnt)

ShuffleDataset.__init = argcheck{
   {name = 'self', type = 'tnt.ShuffleDataset'},
   {name = 'dataset', type = 'tnt.Dataset'},
   {name = 'size', type = 'number', opt = true},
   {name = 'replacement', type = 'boolean', default = false},
   call = function(self, dataset, size, replacement)
      if size and not replacement and size > dataset:size() then
         error('size cannot be larger than underlying dataset size when sampling without replacement')
      end
      self.__replacement = replacement
      local function sampler(_, idx) return self.__perm[idx] end
      ResampleDataset.__init(self, {dataset = dataset, sampler = sampler, size = size})
      self:resample()
   end
}

ShuffleDataset.resample = argcheck{
   {name = 'self', type = 'tnt.ShuffleDataset'},
   call = function(self)
      if self.__replacement then
         self.__perm = torch.LongTensor(self:size()):random(self.__dataset:size())
      else
         self.__perm = torch.randperm(self.__dataset:size()):long():narrow(1, 1, self:size())
      end
   end
}
