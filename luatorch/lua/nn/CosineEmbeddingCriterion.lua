local CosineEmbeddingCriterion, parent =
   torch.class('nn.CosineEmbeddingCriterion', 'nn.Criterion')
local THNN = nn.THNN

-- input {x1, x2} (vectors or batches of rows): 1 - cos when y == 1, max(0, cos - margin) when
-- y == -1
function CosineEmbeddingCriterion:__init(margin)
   parent.__init(self)
   margin = margin or 0
   self.margin = margin
   self.gradInput = {torch.Tensor(), torch.Tensor()}
   self.sizeAverage = true
end

local function targetTensor(self, input, y)
   if type(y) == 'number' then
      self._y = self._y or input[1].new(1)
      self._y[1] = y
      return self._y
   end
   return y
end

function CosineEmbeddingCriterion:updateOutput(input, y)
   y = targetTensor(self, input, y)
   self.output = THNN.CosineEmbeddingCriterion_updateOutput(input[1], input[2], y, self.margin,
      self.sizeAverage)
   return self.output
end

function CosineEmbeddingCriterion:updateGradInput(input, y)
   y = targetTensor(self, input, y)
   THNN.CosineEmbeddingCriterion_updateGradInput(input[1], input[2], y, self.gradInput[1],
      self.gradInput[2], self.margin, self.sizeAverage)
   return self.gradInput
end

function CosineEmbeddingCriterion:type(type)
   self._idx = nil
   parent.type(self, type)
   return self
end
