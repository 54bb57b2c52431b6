local WeightedMSECriterion, parent = torch.class('nn.WeightedMSECriterion', 'nn.MSECriterion')
local THNN = nn.THNN

-- MSE against the target multiplied element-wise by w (per sample in batch mode)
function WeightedMSECriterion:__init(w)
   parent.__init(self)
   self.weight = w:clone()
end

function WeightedMSECriterion:updateOutput(input, target)
   self.output = THNN.WeightedMSECriterion_updateOutput(input, target, self.weight,
      self.sizeAverage)
   return self.output
end

function WeightedMSECriterion:updateGradInput(input, target)
   THNN.WeightedMSECriterion_updateGradInput(input, target, self.weight, self.gradInput,
      self.sizeAverage)
   return self.gradInput
end
