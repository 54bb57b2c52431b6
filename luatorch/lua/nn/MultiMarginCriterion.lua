local MultiMarginCriterion, parent = torch.class('nn.MultiMarginCriterion', 'nn.Criterion')
local THNN = nn.THNN

-- multi-class hinge loss: sum over i ~= y of max(0, margin - x[y] + x[i])^p / dim
function MultiMarginCriterion:__init(p, weights, margin)
   assert(p == nil or p == 1 or p == 2, 'only p=1 and p=2 supported')
   self.p = p or 1
   self.margin = margin or 1.0
   parent.__init(self)
   self.sizeAverage = true
   if weights then
      assert(weights:dim() == 1, 'weights input should be 1-D Tensor')
      self.weights = weights
   end
end

-- Torch7 reads torch.typename(input) after making the target a tensor (a nil name for an
-- input that is no tensor, which it then indexes)
local function targetTensor(self, input, target)
   if not torch.isTensor(target) then
      self.target_tensor = self.target_tensor or torch.LongTensor(1)
      self.target_tensor[1] = target
      target = self.target_tensor
   end
   -- (a tensor's name always has a match to make or not: only other inputs can fail here)
   if not torch.isTensor(input) then
      local _ = torch.typename(input):find('torch%.Cuda.*Tensor')
   end
   return target
end

function MultiMarginCriterion:updateOutput(input, target)
   target = targetTensor(self, input, target)
   self.p = self.p or 1
   self.output = THNN.MultiMarginCriterion_updateOutput(input, target, self.sizeAverage, self.p,
      self.weights, self.margin)
   -- Torch keeps the loss in a one-element tensor of the input's type
   self.output_tensor = self.output_tensor or input.new(1)
   self.output_tensor[1] = self.output
   return self.output
end

function MultiMarginCriterion:updateGradInput(input, target)
   target = targetTensor(self, input, target)
   THNN.MultiMarginCriterion_updateGradInput(input, target, self.gradInput, self.sizeAverage,
      self.p, self.weights, self.margin)
   return self.gradInput
end
