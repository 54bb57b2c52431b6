-- small helpers shared by nngraph's files
local utils = {}

-- a Torch object (a table with a class)
function utils.istorchclass(x)
   return type(x) == 'table' and torch.typename(x)
end

-- a plain Lua table (a list of inputs, not an object)
function utils.istable(x)
   return type(x) == 'table' and not torch.typename(x)
end

-- the message for a value that should have been an nngraph.Node (as argument list[idx])
function utils.expectingNodeErrorMessage(value, list, idx)
   if value == nil then
      return string.format('%s[%d] is nil (typo / bad index?)', list, idx)
   end
   if torch.isTypeOf(value, 'nn.Module') then
      return string.format('%s[%d] is an nn.Module, specifically a %s, but the only valid thing '
         .. 'to pass is an instance of nngraph.Node. Did you forget a second set of parens, '
         .. 'which convert a nn.Module to a nngraph.Node?', list, idx, torch.typename(value))
   end
   return string.format('%s[%d] should be an nngraph.Node but is of type %s', list, idx,
                        torch.typename(value) or type(value))
end

-- the largest positive integer key (so a nil in the middle of a list is seen)
utils.tableMaxN = table.maxn or function(t)
   local n = 0
   for k in pairs(t) do
      if type(k) == 'number' and k > n then n = k end
   end
   return n
end

return utils
