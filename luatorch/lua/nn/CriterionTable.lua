local CriterionTable, parent = torch.class('nn.CriterionTable', 'nn.Module')
local unpack = unpack or table.unpack

-- a criterion as a module: input {input, target}, output the loss
function CriterionTable:__init(criterion)
   parent.__init(self)
   self.criterion = criterion
   self.gradInput = {criterion.gradInput}
end

function CriterionTable:updateOutput(input)
   self.output = self.criterion:updateOutput(unpack(input))
   return self.output
end

function CriterionTable:updateGradInput(input, gradOutput)
   self.criterion:updateGradInput(unpack(input))
   return self.gradInput
end
