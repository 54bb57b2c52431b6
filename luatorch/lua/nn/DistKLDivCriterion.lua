local DistKLDivCriterion, parent = torch.class('nn.DistKLDivCriterion', 'nn.Criterion')
local THNN = nn.THNN

-- KL divergence: sum y (log y - x), x being log-probabilities
function DistKLDivCriterion:__init()
   -- Torch7 takes no argument here: nn.DistKLDivCriterion(false) still averages (set
   -- the sizeAverage field instead)
   parent.__init(self)
   self.sizeAverage = true
end

-- the sizes must match, not just the element counts
local function checkSizes(input, target)
   assert(input:dim() == target:dim() and input:isSameSizeAs(target),
      'input and target should have the same size')
end

function DistKLDivCriterion:updateOutput(input, target)
   checkSizes(input, target)
   -- Torch keeps the loss in a one-element tensor of the input's type
   self.output_tensor = self.output_tensor or input.new(1)
   self.output = THNN.DistKLDivCriterion_updateOutput(input, target, self.sizeAverage)
   self.output_tensor[1] = self.output
   return self.output
end

function DistKLDivCriterion:updateGradInput(input, target)
   checkSizes(input, target)
   THNN.DistKLDivCriterion_updateGradInput(input, target, self.gradInput, self.sizeAverage)
   return self.gradInput
end
