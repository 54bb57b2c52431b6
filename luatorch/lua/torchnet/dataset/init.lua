-- tnt.Dataset: the base of datasets, which have size() and get(idx) (a sample, usually a
-- table such as {input = ..., target = ...}), and shortcuts building derived datasets
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local Dataset = torch.class('tnt.Dataset', tnt)

function Dataset.__init() end

function Dataset:size()
   error(string.format('size not implemented for class <%s>', torch.type(self)))
end

-- calls a method of this dataset, or of the first underlying dataset that has it
function Dataset:exec(name, ...)
   if type(self[name]) == 'function' then
      return self[name](self, ...)
   elseif self.dataset then
      return self.dataset:exec(name, ...)
   elseif self.__dataset then
      return self.__dataset:exec(name, ...)
   end
   error(string.format('unknown function <%s>', name))
end

function Dataset:get()
   error(string.format('get not implemented for class <%s>', torch.type(self)))
end

function Dataset.batch(...) return tnt.BatchDataset(...) end
function Dataset.sample(...) return tnt.ResampleDataset(...) end
function Dataset.shuffle(...) return tnt.ShuffleDataset(...) end
function Dataset.split(...) return tnt.SplitDataset(...) end
function Dataset.transform(...) return tnt.TransformDataset(...) end
function Dataset.iterator(...) return tnt.DatasetIterator(...) end

Dataset.parallel = argcheck{
   {name = 'self', type = 'tnt.Dataset'},
   {name = 'init', type = 'function', default = function(idx) end},
   {name = 'nthread', type = 'number'},
   {name = 'perm', type = 'function', default = function(idx) return idx end},
   {name = 'filter', type = 'function', default = function(sample) return true end},
   {name = 'transform', type = 'function', default = function(sample) return sample end},
   {name = 'ordered', type = 'boolean', default = false},
   call = function(self, init, nthread, perm, filter, transform, ordered)
      local closure = function() return self end
      return tnt.ParallelDatasetIterator(init, closure, nthread, perm, filter, transform, ordered)
   end
}
