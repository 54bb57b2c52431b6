-- helpers over nested tables of tensors, as rnn.* (and nn.rnn.*)

local function mismatch(t1, t2)
   error("expecting nested tensors or tables. Got " .. torch.type(t1) .. " and " ..
         torch.type(t2) .. " instead")
end

-- make t1 like t2 by applying f(t1tensor, t2tensor) at the leaves; returns t1, t2
local function recurse(name, leaf)
   local function r(t1, t2)
      if torch.type(t2) == 'table' then
         t1 = (torch.type(t1) == 'table') and t1 or {t1}
         for key in pairs(t2) do t1[key], t2[key] = r(t1[key], t2[key]) end
      elseif torch.isTensor(t2) then
         t1 = leaf(t1, t2)
      else
         mismatch(t1, t2)
      end
      return t1, t2
   end
   rnn[name] = r
end

recurse('recursiveResizeAs', function(t1, t2)
   t1 = torch.isTensor(t1) and t1 or t2.new()
   return t1:resizeAs(t2)
end)
recurse('recursiveSet', function(t1, t2)
   t1 = torch.isTensor(t1) and t1 or t2.new()
   return t1:set(t2)
end)
recurse('recursiveCopy', function(t1, t2)
   t1 = torch.isTensor(t1) and t1 or t2.new()
   return t1:resizeAs(t2):copy(t2)
end)

function rnn.recursiveAdd(t1, t2)
   if torch.type(t2) == 'table' then
      t1 = (torch.type(t1) == 'table') and t1 or {t1}
      for key in pairs(t2) do t1[key], t2[key] = rnn.recursiveAdd(t1[key], t2[key]) end
   elseif torch.isTensor(t1) and torch.isTensor(t2) then
      t1:add(t2)
   else
      mismatch(t1, t2)
   end
   return t1, t2
end

-- true when all leaves differ by less than 1e-5
function rnn.recursiveTensorEq(t1, t2)
   if torch.type(t2) == 'table' then
      if torch.type(t1) ~= 'table' then return false end
      local equal = true
      for key in pairs(t2) do equal = equal and rnn.recursiveTensorEq(t1[key], t2[key]) end
      return equal
   elseif torch.isTensor(t1) and torch.isTensor(t2) then
      return (t1 - t2):abs():max() < 0.00001
   end
   mismatch(t1, t2)
end

local function leaves(name, f)
   local function r(t, ...)
      if torch.type(t) == 'table' then
         for key in pairs(t) do t[key] = r(t[key], ...) end
      elseif torch.isTensor(t) then
         f(t, ...)
      else
         error("expecting tensor or table thereof. Got " .. torch.type(t) .. " instead")
      end
      return t
   end
   rnn[name] = r
end
leaves('recursiveNormal', function(t) t:normal() end)
leaves('recursiveFill', function(t, val) t:fill(val) end)

function rnn.recursiveType(param, typename)
   if torch.type(param) == 'table' then
      for i = 1, #param do param[i] = rnn.recursiveType(param[i], typename) end
   elseif torch.isTensor(param) then
      param = param:type(typename)
   end
   return param
end

function rnn.recursiveSum(t)
   if torch.type(t) == 'table' then
      local sum = 0
      for key in pairs(t) do sum = sum + rnn.recursiveSum(t[key]) end
      return sum
   elseif torch.isTensor(t) then
      return t:sum()
   end
   error("expecting tensor or table thereof. Got " .. torch.type(t) .. " instead")
end

function rnn.recursiveNew(t)
   if torch.type(t) == 'table' then
      local out = {}
      for key in pairs(t) do out[key] = rnn.recursiveNew(t[key]) end
      return out
   elseif torch.isTensor(t) then
      return t.new()
   end
   error("expecting tensor or table thereof. Got " .. torch.type(t) .. " instead")
end
