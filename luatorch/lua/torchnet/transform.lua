-- tnt.transform: closures building and composing sample transformations
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'
local utils = require 'torchnet.utils'

local transform = {}
tnt.transform = transform

-- a function returning the given values
function transform.identity(...)
   local args = {...}
   return function() return unpack(args) end
end

-- z -> transforms[n](...transforms[1](z))
transform.compose = argcheck{
   {name = 'transforms', type = 'table'},
   call = function(transforms)
      for _, v in ipairs(transforms) do
         assert(type(v) == 'function', 'table of functions expected')
      end
      transforms = utils.table.copy(transforms)
      return function(z)
         for _, f in ipairs(transforms) do z = f(z) end
         return z
      end
   end
}

-- z -> the results of every transform on z, stacked
transform.merge = argcheck{
   {name = 'transforms', type = 'table'},
   call = function(transforms)
      for _, v in pairs(transforms) do
         assert(type(v) == 'function', 'table of functions expected')
      end
      transforms = utils.table.copy(transforms)
      return function(z)
         local out = {}
         for k, f in pairs(transforms) do out[k] = f(z) end
         return utils.table.mergetensor(out)
      end
   end
}

transform.tablenew = argcheck{
   call = function()
      return function(func)
         local tbl = {}
         for k, v in pairs(func) do tbl[k] = v end
         return tbl
      end
   end
}

transform.tableapply = argcheck{
   {name = 'transform', type = 'function'},
   call = function(f)
      return function(tbl) return utils.table.foreach(tbl, f) end
   end
}

-- {{a = 1, b = 2}, {a = 3, b = 4}} -> {a = {1, 3}, b = {2, 4}}
transform.tablemergekeys = argcheck{
   call = function()
      return function(tbl)
         local merged = {}
         for idx, elem in pairs(tbl) do
            for key, value in pairs(elem) do
               merged[key] = merged[key] or {}
               merged[key][idx] = value
            end
         end
         return merged
      end
   end
}

-- samples -> one batch: fields merged by key, tensors stacked (or merge's doing)
transform.makebatch = argcheck{
   {name = 'merge', type = 'function', opt = true},
   call = function(merge)
      local makebatch
      if merge then
         makebatch = transform.compose{transform.tablemergekeys(), merge}
      else
         makebatch = transform.compose{
            transform.tablemergekeys(),
            transform.tableapply(function(field)
               if utils.table.canmergetensor(field) then
                  return utils.table.mergetensor(field)
               end
               return field
            end)
         }
      end
      return function(samples)
         assert(type(samples) == 'table', 'makebatch: table of samples expected')
         return makebatch(samples)
      end
   end
}

transform.randperm = argcheck{
   {name = 'size', type = 'number'},
   call = function(size)
      local perm = torch.randperm(size, 'torch.LongTensor')
      return function(idx) return perm[idx] end
   end
}

-- z -> (z - mean) / std (the division only when std > threshold), in place
transform.normalize = argcheck{
   {name = 'threshold', type = 'number', default = 0},
   call = function(threshold)
      return function(z)
         local std = z:std()
         z:add(-z:mean())
         if std > threshold then z:div(std) end
         return z
      end
   end
}

return transform
