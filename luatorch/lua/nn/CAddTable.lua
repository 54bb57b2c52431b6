-- the sum of a table of tensors
local CAddTable, parent = torch.class('nn.CAddTable', 'nn.Module')

function CAddTable:__init(ip)
   parent.__init(self)
   self.inplace = ip
   self.gradInput = {}
end

-- a and b of one type and the same sizes
local function sameSizes(a, b)
   return getmetatable(a) == getmetatable(b) and nn.utils.sameSizes(a, b)
end

-- Torch's sums in Torch's order: input[1] copied, then input[2], input[3]... added. The copy
-- and the first sum are one pass here (r:add(a, b)): the same single rounding of each sum.
function CAddTable:updateOutput(input)
   local output = self.output
   local first = 2
   if self.inplace then
      output:set(input[1])
   else
      output:resizeAs(input[1])
      if #input >= 2 and sameSizes(input[1], input[2]) and sameSizes(output, input[1]) then
         output:add(input[1], input[2])
         first = 3
      else
         output:copy(input[1])
      end
   end
   for i = first, #input do
      output:add(input[i])
   end
   return output
end

function CAddTable:updateGradInput(input, gradOutput)
   for i = 1, #input do
      self.gradInput[i] = self.gradInput[i] or input[1].new()
      if self.inplace then
         self.gradInput[i]:set(gradOutput)
      else
         self.gradInput[i]:resizeAs(input[i]):copy(gradOutput)
      end
   end
   for i = #input + 1, #self.gradInput do
      self.gradInput[i] = nil
   end
   return self.gradInput
end
