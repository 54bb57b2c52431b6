local DistKLDivCriterion, parent = torch.class('nn.DistKLDivCriterion', 'nn.Criterion')
local THNN = nn.THNN

-- KL divergence: sum y (log y - x), x being log-probabilities
function DistKLDivCriterion:__init(sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then
      self.sizeAverage = sizeAverage
   else
      self.sizeAverage = true
   end
end

function DistKLDivCriterion:updateOutput(input, target)
   self.output = THNN.DistKLDivCriterion_updateOutput(input, target, self.sizeAverage)
   -- Torch keeps the loss in a one-element tensor of the input's type
   self.output_tensor = self.output_tensor or input.new(1)
   self.output_tensor[1] = self.output
   return self.output
end

function DistKLDivCriterion:updateGradInput(input, target)
   THNN.DistKLDivCriterion_updateGradInput(input, target, self.gradInput, self.sizeAverage)
   return self.gradInput
end
