-- the element-wise product of a table of tensors
local CMulTable, parent = torch.class('nn.CMulTable', 'nn.Module')

function CMulTable:__init()
   parent.__init(self)
   self.gradInput = {}
end

-- a and b of one type and the same sizes: r:cmul(a, b) then does what r:copy(a):cmul(b) does
local function sameSizes(a, b)
   return getmetatable(a) == getmetatable(b) and nn.utils.sameSizes(a, b)
end

-- Torch's products in Torch's order: the output is input[1] copied, then multiplied by
-- input[2], input[3]...; gradInput[i] is gradOutput copied, then multiplied by the other
-- inputs in turn. The copy and the first product are one pass here (r:cmul(a, b)): the same
-- single rounding of each product.
function CMulTable:updateOutput(input)
   local output = self.output
   output:resizeAs(input[1])
   if #input >= 2 and sameSizes(input[1], input[2]) and sameSizes(output, input[1]) then
      output:cmul(input[1], input[2])
      for i = 3, #input do output:cmul(input[i]) end
   else
      output:copy(input[1])
      for i = 2, #input do output:cmul(input[i]) end
   end
   return output
end

function CMulTable:updateGradInput(input, gradOutput)
   -- the product of the other inputs, never a division (inputs may be zero)
   for i = 1, #input do
      self.gradInput[i] = self.gradInput[i] or input[1].new()
      local gradInput = self.gradInput[i]:resizeAs(input[i])
      local copied = not sameSizes(gradInput, gradOutput)
      if copied then gradInput:copy(gradOutput) end
      for j = 1, #input do
         if i ~= j then
            if copied then
               gradInput:cmul(input[j])
            else
               gradInput:cmul(gradOutput, input[j])
               copied = true
            end
         end
      end
      if not copied then gradInput:copy(gradOutput) end
   end
   for i = #input + 1, #self.gradInput do
      self.gradInput[i] = nil
   end
   return self.gradInput
end
