local GatedLinearUnit, parent = torch.class('nn.GatedLinearUnit', 'nn.Module')
local THNN = nn.THNN

-- first half of the input (along dim, default the last) gated by the sigmoid of the second half
function GatedLinearUnit:__init(dim)
   parent.__init(self)
   self.dim = dim
end

local function halvedDim(self, input)
   local dim = self.dim or input:dim()
   local inputSize = input:size(dim)
   assert(inputSize % 2 == 0, 'halving dimension needs to be even')
   return dim
end

function GatedLinearUnit:updateOutput(input)
   THNN.GatedLinearUnit_updateOutput(input, self.output, halvedDim(self, input))
   return self.output
end

function GatedLinearUnit:updateGradInput(input, gradOutput)
   THNN.GatedLinearUnit_updateGradInput(input, gradOutput, self.gradInput,
                                        halvedDim(self, input))
   return self.gradInput
end
