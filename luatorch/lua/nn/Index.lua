-- input {tensor, LongTensor of indices}: the output is tensor:index(dimension, indices)
local Index, parent = torch.class('nn.Index', 'nn.Module')
local THNN = nn.THNN

function Index:__init(dimension)
   parent.__init(self)
   self.dimension = dimension
   self.gradInput = {self.gradInput, self.gradInput.new()}
end

function Index:updateOutput(input)
   THNN.Index_updateOutput(input[1], input[2], self.output, self.dimension)
   return self.output
end

function Index:updateGradInput(input, gradOutput)
   local gradInput = self.gradInput[1]
   self.gradInput[2] = self.gradInput[2] or input[2].new()
   self.gradInput[2]:resize(input[2]:size()):zero()
   THNN.Index_updateGradInput(input[1], input[2], gradOutput, gradInput, self.dimension)
   return self.gradInput
end

function Index:clearState()
   self.gradInput[1]:set()
   self.gradInput[2]:set()
   self.output:set()
   return self
end
