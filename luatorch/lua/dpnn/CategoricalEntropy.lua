-- Identity in the forward pass; in the backward pass adds the gradient of -scale * H(p), the
-- entropy of the batch's mean categorical distribution, so that training maximizes it (until
-- it reaches minEntropy). The input is a batch of probabilities.
local CE, parent = torch.class('nn.CategoricalEntropy', 'nn.Module')

function CE:__init(scale, minEntropy)
   parent.__init(self)
   self.scale = scale or 1
   self.minEntropy = minEntropy
   -- H(p) = -sum(p log p), p = the batch's summed probabilities normalized to one
   self._mul = nn.MulConstant(1)
   local plogp = nn.ConcatTable()
      :add(nn.Identity())
      :add(nn.Sequential():add(nn.AddConstant(0.000001)):add(nn.Log()))
   self.module = nn.Sequential()
      :add(nn.Sum(1))
      :add(self._mul)
      :add(plogp)
      :add(nn.CMulTable())
      :add(nn.Sum())
      :add(nn.MulConstant(-1))
   self.modules = {self.module}
   self.minusOne = torch.Tensor{-self.scale}
   self.sizeAverage = true
end

function CE:updateOutput(input)
   assert(input:dim() == 2, "CategoricalEntropy only works with batches")
   self.output:set(input)
   return self.output
end

function CE:updateGradInput(input, gradOutput, scale)
   assert(input:dim() == 2, "CategoricalEntropy only works with batches")
   self.gradInput:resizeAs(input):copy(gradOutput)
   self._mul.constant_scalar = 1 / input:sum()
   self.entropy = self.module:updateOutput(input)[1]
   if (not self.minEntropy) or (self.entropy < self.minEntropy) then
      local gradEntropy = self.module:updateGradInput(input, self.minusOne, scale)
      if self.sizeAverage then gradEntropy:div(input:size(1)) end
      self.gradInput:add(gradEntropy)
   end
   return self.gradInput
end
