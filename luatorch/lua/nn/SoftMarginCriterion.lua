local SoftMarginCriterion, parent = torch.class('nn.SoftMarginCriterion', 'nn.Criterion')
local THNN = nn.THNN

-- two-class logistic loss: sum log(1 + exp(-y x))
function SoftMarginCriterion:__init()
   -- Torch7 takes no argument here: nn.SoftMarginCriterion(false) still averages (set
   -- the sizeAverage field instead)
   parent.__init(self)
   self.sizeAverage = true
end

function SoftMarginCriterion:updateOutput(input, target)
   -- Torch keeps the loss in a one-element tensor of the input's type, made first (an
   -- input that is no tensor fails there)
   self.output_tensor = self.output_tensor or input.new(1)
   self.output = THNN.SoftMarginCriterion_updateOutput(input, target, self.sizeAverage)
   self.output_tensor[1] = self.output
   return self.output
end

function SoftMarginCriterion:updateGradInput(input, target)
   THNN.SoftMarginCriterion_updateGradInput(input, target, self.gradInput, self.sizeAverage)
   return self.gradInput
end
