local AbsCriterion, parent = torch.class('nn.AbsCriterion', 'nn.Criterion')
local THNN = nn.THNN

-- sum |x - y| (divided by the number of elements when sizeAverage)
function AbsCriterion:__init(sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then
      self.sizeAverage = sizeAverage
   else
      self.sizeAverage = true
   end
end

function AbsCriterion:updateOutput(input, target)
   -- Torch keeps the loss in a one-element tensor of the input's type, made first (an
   -- input that is no tensor fails there)
   self.output_tensor = self.output_tensor or input.new(1)
   self.output = THNN.AbsCriterion_updateOutput(input, target, self.sizeAverage)
   self.output_tensor[1] = self.output
   return self.output
end

function AbsCriterion:updateGradInput(input, target)
   THNN.AbsCriterion_updateGradInput(input, target, self.gradInput, self.sizeAverage)
   return self.gradInput
end
