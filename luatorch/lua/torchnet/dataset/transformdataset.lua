-- tnt.TransformDataset(dataset, transform[, key]): sample i is transform(sample, i) (or the
-- sample with its field key transformed); with a table of transforms, each applies to its key
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'
local utils = require 'torchnet.utils'

local TransformDataset = torch.class('tnt.TransformDataset', 'tnt.Dataset', tnt)

TransformDataset.__init = argcheck{
   {name = 'self', type = 'tnt.TransformDataset'},
   {name = 'dataset', type = 'tnt.Dataset'},
   {name = 'transform', type = 'function'},
   {name = 'key', type = 'string', opt = true},
   call = function(self, dataset, transform, key)
      self.dataset = dataset
      if key then
         function self.__transform(z, idx)
            assert(z[key], 'missing key in sample')
            z[key] = transform(z[key], idx)
            return z
         end
      else
         function self.__transform(z, idx) return transform(z, idx) end
      end
   end
}

TransformDataset.__init = argcheck{
   {name = 'self', type = 'tnt.TransformDataset'},
   {name = 'dataset', type = 'tnt.Dataset'},
   {name = 'transforms', type = 'table'},
   overload = TransformDataset.__init,
   call = function(self, dataset, transforms)
      for _, v in pairs(transforms) do
         assert(type(v) == 'function', 'key/function table expected for transforms')
      end
      self.dataset = dataset
      transforms = utils.table.copy(transforms)
      function self.__transform(z)
         for key, transform in pairs(transforms) do
            assert(z[key], 'missing key in sample')
            z[key] = transform(z[key])
         end
         return z
      end
   end
}

TransformDataset.size = argcheck{
   {name = 'self', type = 'tnt.TransformDataset'},
   call = function(self) return self.dataset:size() end
}

TransformDataset.get = argcheck{
   {name = 'self', type = 'tnt.TransformDataset'},
   {name = 'idx', type = 'number'},
   call = function(self, idx) return self.__transform(self.dataset:get(idx), idx) end
}
