local MultiLabelMarginCriterion, parent =
   torch.class('nn.MultiLabelMarginCriterion', 'nn.Criterion')
local THNN = nn.THNN

-- targets: class indices, ended by the first 0; hinge between each target and each non-target
function MultiLabelMarginCriterion:__init()
   parent.__init(self)
   self.sizeAverage = true
   self.isTarget = torch.Tensor()
end

-- Torch7 reads torch.typename(input) first (a nil for an input that is no tensor, which it
-- then indexes) and converts the target with target:long(): both fail as they fail there
local function checkArguments(input, target)
   -- (a tensor's name always has a match to make or not: only other inputs can fail here)
   if not torch.isTensor(input) then
      local _ = torch.typename(input):find('torch%.Cuda.*Tensor')
   end
   if not torch.isTensor(target) then target:long() end
end

function MultiLabelMarginCriterion:updateOutput(input, target)
   checkArguments(input, target)
   self.output = THNN.MultiLabelMarginCriterion_updateOutput(input, target, self.isTarget,
      self.sizeAverage)
   -- Torch keeps the loss in a one-element tensor of the input's type
   self.output_tensor = self.output_tensor or input.new(1)
   self.output_tensor[1] = self.output
   return self.output
end

function MultiLabelMarginCriterion:updateGradInput(input, target)
   checkArguments(input, target)
   THNN.MultiLabelMarginCriterion_updateGradInput(input, target, self.gradInput, self.isTarget,
      self.sizeAverage)
   return self.gradInput
end
