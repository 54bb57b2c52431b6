local HingeEmbeddingCriterion, parent =
   torch.class('nn.HingeEmbeddingCriterion', 'nn.Criterion')

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

-- Torch's tensor operations in its order, with its buffer: the two sums (x where y == 1,
-- max(0, margin - x) where y == -1) each added in TH's order, then their sum in Lua
function HingeEmbeddingCriterion:updateOutput(input, y)
   y = targetTensor(self, input, y)
   self.buffer = self.buffer or input.new()
   self.buffer:resizeAs(input):copy(input)
   self.buffer[torch.eq(y, -1)] = 0
   self.output = self.buffer:sum()
   self.buffer:fill(self.margin):add(-1, input)
   self.buffer:cmax(0)
   self.buffer[torch.eq(y, 1)] = 0
   self.output = self.output + self.buffer:sum()
   if self.sizeAverage == nil or self.sizeAverage == true then
      self.output = self.output / input:nElement()
   end
   return self.output
end

function HingeEmbeddingCriterion:updateGradInput(input, y)
   y = targetTensor(self, input, y)
   self.gradInput:resizeAs(input):copy(y)
   self.gradInput[torch.cmul(torch.eq(y, -1), torch.gt(input, self.margin))] = 0
   if self.sizeAverage == nil or self.sizeAverage == true then
      self.gradInput:mul(1 / input:nElement())
   end
   return self.gradInput
end
