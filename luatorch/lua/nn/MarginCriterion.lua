local MarginCriterion, parent = torch.class('nn.MarginCriterion', 'nn.Criterion')
local THNN = nn.THNN

-- two-class hinge loss: sum max(0, margin - x y)
function MarginCriterion:__init(margin)
   parent.__init(self)
   self.sizeAverage = true
   self.margin = margin or 1
end

function MarginCriterion:updateOutput(input, target)
   -- Torch keeps the loss in a one-element tensor of the input's type, made first (an
   -- input that is no tensor fails there)
   self.output_tensor = self.output_tensor or input.new(1)
   self.output = THNN.MarginCriterion_updateOutput(input, target, self.sizeAverage, self.margin)
   self.output_tensor[1] = self.output
   return self.output
end

function MarginCriterion:updateGradInput(input, target)
   THNN.MarginCriterion_updateGradInput(input, target, self.gradInput, self.sizeAverage,
                                        self.margin)
   return self.gradInput
end
