local WeightedMSECriterion, parent = torch.class('nn.WeightedMSECriterion', 'nn.MSECriterion')
local THNN = nn.THNN

-- MSE against the target multiplied element-wise by w (per sample in batch mode), as Torch
-- computes it: the weighted target in self.buffer, then MSECriterion's kernel
function WeightedMSECriterion:__init(w)
   parent.__init(self)
   self.weight = w:clone()
end

local function weightedTarget(self, input, target)
   self.buffer = self.buffer or input.new()
   self.buffer:resizeAs(input):copy(target)
   if input:dim() - 1 == self.weight:dim() then
      for i = 1, input:size(1) do
         self.buffer[i]:cmul(self.weight)
      end
   else
      self.buffer:cmul(self.weight)
   end
   return self.buffer
end

function WeightedMSECriterion:updateOutput(input, target)
   self.output = THNN.MSECriterion_updateOutput(input, weightedTarget(self, input, target),
      self.sizeAverage)
   -- Torch keeps the loss in a one-element tensor of the input's type
   self.output_tensor = self.output_tensor or input.new(1)
   self.output_tensor[1] = self.output
   return self.output
end

function WeightedMSECriterion:updateGradInput(input, target)
   THNN.MSECriterion_updateGradInput(input, weightedTarget(self, input, target), self.gradInput,
      self.sizeAverage)
   return self.gradInput
end
