-- The logistic loss per pixel for two-class segmentation: input and target are one-channel
-- images (1 x h x w) or batches of them (n x 1 x h x w), targets in {-1, 1}. Loss
-- sum(log(1 + exp(-target * input))) / (2 h w), also divided by n with sizeAverage.
local SBLR, parent = torch.class('nn.SpatialBinaryLogisticRegression', 'nn.Criterion')

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
   -- e = exp(-t x) and 1 + e, kept for the gradient
   self._baseExponents = self._baseExponents or input.new()
   self._coeff = self._coeff or input.new()
   self._logCoeff = self._logCoeff or input.new()
   self._baseExponents:resize(input:size()):copy(input):cmul(target):mul(-1):exp()
   self._coeff:resize(input:size()):copy(self._baseExponents):add(1)
   self._logCoeff:resize(input:size()):copy(self._coeff):log()
   self.output = self._logCoeff:sum() / self:normalizer()
   return self.output
end

-- d/dx log(1 + e) = -t e / (1 + e)
function SBLR:updateGradInput(input, target)
   self.gradInput = self.gradInput or input.new()
   self.gradInput:resize(target:size()):copy(target):mul(-1)
   self.gradInput:cmul(self._baseExponents):cdiv(self._coeff)
   self.gradInput:div(self:normalizer())
   return self.gradInput
end
