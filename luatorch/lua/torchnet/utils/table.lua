-- tnt.utils.table: copies, merges and tensor stacking of tables
local argcheck = require 'argcheck'

local utable = {}

-- a deep copy (through serialization)
function utable.clone(tbl)
   return torch.deserializeFromStorage(torch.serializeToStorage(tbl))
end

-- a shallow copy
function utable.copy(tbl)
   local cpy = {}
   for k, v in pairs(tbl) do cpy[k] = v end
   return cpy
end

utable.merge = argcheck{
   {name = 'dst', type = 'table'},
   {name = 'src', type = 'table'},
   call = function(dst, src)
      for k, v in pairs(src) do dst[k] = v end
      return dst
   end
}

-- a new table of closure(value) for each value (recursing into sub-tables when recursive)
utable.foreach = argcheck{
   {name = 'tbl', type = 'table'},
   {name = 'closure', type = 'function'},
   {name = 'recursive', type = 'boolean', default = false},
   call = function(tbl, closure, recursive)
      local out = {}
      for k, v in pairs(tbl) do
         if recursive and type(v) == 'table' then
            out[k] = utable.foreach(v, closure, recursive)
         else
            out[k] = closure(v)
         end
      end
      return out
   end
}

-- true for a table of tensors with the same number of elements
function utable.canmergetensor(tbl)
   if type(tbl) ~= 'table' then return false end
   local typename = torch.typename(tbl[1])
   if typename and typename:match('Tensor') then
      local n = tbl[1]:nElement()
      for i = 2, #tbl do
         if tbl[i]:nElement() ~= n then return false end
      end
      return true
   end
   return false
end

-- the tensors stacked along a new first dimension
utable.mergetensor = argcheck{
   {name = 'tbl', type = 'table'},
   call = function(tbl)
      local size = tbl[1]:size():totable()
      table.insert(size, 1, #tbl)
      local res = tbl[1].new():resize(torch.LongStorage(size))
      for i = 1, #tbl do res:select(1, i):copy(tbl[i]) end
      return res
   end
}

return utable
