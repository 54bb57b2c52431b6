-- operations on nested tables of tensors (the gradients summed at graph forks)
local nesting = {}

local isTensor = torch.isTensor

-- a deep copy of a tensor or a nested table of tensors
function nesting.cloneNested(obj)
   if isTensor(obj) then return obj:clone() end
   local copy = {}
   for k, v in pairs(obj) do copy[k] = nesting.cloneNested(v) end
   return copy
end

function nesting.fillNested(obj, value)
   if isTensor(obj) then
      obj:fill(value)
   else
      for _, v in pairs(obj) do nesting.fillNested(v, value) end
   end
end

-- give `output` the structure and sizes of `input` (adding and dropping table entries)
function nesting.resizeNestedAs(output, input)
   if isTensor(output) then
      output:resizeAs(input)
      return
   end
   for k, v in pairs(input) do
      if output[k] == nil then
         output[k] = nesting.cloneNested(v)
      else
         nesting.resizeNestedAs(output[k], v)
      end
   end
   for k in pairs(output) do
      if input[k] == nil then output[k] = nil end
   end
end

function nesting.copyNested(output, input)
   if isTensor(output) then
      output:copy(input)
      return
   end
   for k, v in pairs(input) do nesting.copyNested(output[k], v) end
   for k in pairs(output) do
      if input[k] == nil then
         error('key ' .. tostring(k) .. ' present in output but not in input')
      end
   end
end

-- output += input, elementwise through the nesting
function nesting.addNestedTo(output, input)
   if isTensor(output) then
      output:add(input)
      return
   end
   for k, v in pairs(input) do
      assert(output[k] ~= nil, 'missing key')
      nesting.addNestedTo(output[k], v)
   end
end

return nesting
