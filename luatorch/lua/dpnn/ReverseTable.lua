-- {x1, x2, ..., xn} -> {xn, ..., x2, x1}
local ReverseTable, parent = torch.class('nn.ReverseTable', 'nn.Module')

function ReverseTable:__init()
   parent.__init(self)
   self.output = {}
   self.gradInput = {}
end

local function reverseInto(out, t)
   for k in ipairs(out) do out[k] = nil end
   local n = #t
   for i = 1, n do out[i] = t[n - i + 1] end
   return out
end

function ReverseTable:updateOutput(input)
   assert(torch.type(input) == 'table', "Expecting table at arg 1")
   return reverseInto(self.output, input)
end

function ReverseTable:updateGradInput(input, gradOutput)
   return reverseInto(self.gradInput, gradOutput)
end
