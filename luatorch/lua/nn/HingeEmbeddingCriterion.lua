local HingeEmbeddingCriterion, parent =
   torch.class('nn.HingeEmbeddingCriterion', 'nn.Criterion')
local THNN = nn.THNN

-- x where y == 1, max(0, margin - x) where y == -1
function HingeEmbeddingCriterion:__init(margin)
   parent.__init(self)
   self.margin = margin or 1
   self.sizeAverage = true
end

local function targetTensor(self, input, y)
   if not torch.isTensor(y) then
      self.ty = self.ty or input.new():resize(1)
      self.ty[1] = y
      return self.ty
   end
   return y
end

function HingeEmbeddingCriterion:updateOutput(input, y)
   y = targetTensor(self, input, y)
   self.output = THNN.HingeEmbeddingCriterion_updateOutput(input, y, self.margin,
      self.sizeAverage == nil or self.sizeAverage == true)
   return self.output
end

function HingeEmbeddingCriterion:updateGradInput(input, y)
   y = targetTensor(self, input, y)
   THNN.HingeEmbeddingCriterion_updateGradInput(input, y, self.gradInput, self.margin,
      self.sizeAverage == nil or self.sizeAverage == true)
   return self.gradInput
end
