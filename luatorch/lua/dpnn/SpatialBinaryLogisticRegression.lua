-- The logistic loss per pixel for two-class segmentation: input and target are one-channel
-- images (1 x h x w) or batches of them (n x 1 x h x w), targets in {-1, 1}. Loss
-- sum(log(1 + exp(-target * input))) / (2 h w), also divided by n with sizeAverage.
local SBLR, parent = torch.class('nn.SpatialBinaryLogisticRegression', 'nn.Criterion')
SBLR.logisticSum = nn.BinaryLogisticRegression.logisticSum
SBLR.logisticGradient = nn.BinaryLogisticRegression.logisticGradient

function SBLR:__init()
   parent.__init(self)
   self.sizeAverage = true
end

-- the divisor of the sum: 2 h w (n images of a batch too with sizeAverage)
function SBLR:normalizer()
   return 2 * self._h * self._w * (self.sizeAverage and self._k or 1)
end

function SBLR:updateOutput(input, target)
   local nDim = input:nDimension()
   assert(nDim == target:nDimension(), "nDimension of input and target don't match.")
   assert(nDim == 4 or nDim == 3, "Expecting image or batch on images")
   for i = 1, nDim do
      assert(input:size(i) == target:size(i), "Input and target dimensions don't match.")
   end
   local c = nDim - 2
   assert(input:size(c) == 1, "No. of channels should be 1.")
   self._isBatch = nDim == 4
   self._k = nDim == 4 and input:size(1) or 1
   self._h, self._w = input:size(c + 1), input:size(c + 2)
   self.output = self:logisticSum(input, target) / self:normalizer()
   return self.output
end

function SBLR:updateGradInput(input, target)
   return self:logisticGradient(target, target):div(self:normalizer())
end
