-- tnt.DatasetIterator(dataset[, perm][, filter][, transform]): iterator() (or run()) returns a
-- Lua iterator over transform(dataset:get(perm(i))) for the samples filter accepts; an
-- iterator can also wrap another iterator (DatasetIterator{iterator = ..., filter = ...})
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local DatasetIterator = torch.class('tnt.DatasetIterator', tnt)

DatasetIterator.__init = argcheck{
   {name = 'self', type = 'tnt.DatasetIterator'},
   {name = 'dataset', type = 'tnt.Dataset'},
   {name = 'perm', type = 'function', default = function(idx) return idx end},
   {name = 'filter', type = 'function', default = function(sample) return true end},
   {name = 'transform', type = 'function', default = function(sample) return sample end},
   call = function(self, dataset, perm, filter, transform)
      self.dataset = dataset
      function self.run()
         local size = dataset:size()
         local idx = 1
         return function()
            while idx <= size do
               local sample = transform(dataset:get(perm(idx)))
               idx = idx + 1
               if filter(sample) then return sample end
            end
         end
      end
   end
}

DatasetIterator.__init = argcheck{
   {name = 'self', type = 'tnt.DatasetIterator'},
   {name = 'iterator', type = 'tnt.DatasetIterator'},
   {name = 'filter', type = 'function', default = function(sample) return true end},
   {name = 'transform', type = 'function', default = function(sample) return sample end},
   overload = DatasetIterator.__init,
   call = function(self, iterator, filter, transform)
      self.iterator = iterator
      function self.run()
         local loop = iterator:run()
         return function()
            repeat
               local sample = loop()
               if sample then
                  sample = transform(sample)
                  if filter(sample) then return sample end
               end
            until not sample
         end
      end
   end
}

function DatasetIterator:__call__(...)
   return self:run(...)
end

function DatasetIterator:exec(name, ...)
   if type(self[name]) == 'function' then
      return self[name](self, ...)
   elseif self.dataset then
      return self.dataset:exec(name, ...)
   elseif self.iterator then
      return self.iterator:exec(name, ...)
   end
   error(string.format('unknown function <%s>', name))
end

function DatasetIterator:filter(filter)
   return tnt.DatasetIterator{iterator = self, filter = filter}
end

function DatasetIterator:transform(transform)
   return tnt.DatasetIterator{iterator = self, transform = transform}
end
