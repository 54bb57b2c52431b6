-- The logistic loss for targets in {-1, 1}: mean (or sum) of log(1 + exp(-target * input));
-- input and target are a batch of scores (N or N x 1)
local BLR, parent = torch.class('nn.BinaryLogisticRegression', 'nn.Criterion')

function BLR:__init(sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then
      self.sizeAverage = sizeAverage
   else
      self.sizeAverage = true
   end
end

function BLR:updateOutput(input, target)
   local inputDim, targetDim = input:nDimension(), target:nDimension()
   assert(inputDim == 1 or inputDim == 2, "Input:Expecting batchSize or batchSize x 1")
   assert(targetDim == 1 or targetDim == 2, "Target:Expecting batchSize or batchSize x 1")
   if inputDim == 2 then
      assert(input:size(1) == 1 or input:size(2) == 1, "Input: Expecting batchSize x 1.")
   end
   if targetDim == 2 then
      assert(target:size(1) == 1 or target:size(2) == 1, "Target: Expecting batchSize x 1.")
   end
   assert(input:nElement() == target:nElement(), "No of input and target elements should be same.")
   self._k = input:nElement()
   self.output = self:logisticSum(input:view(-1), target:view(-1))
   if self.sizeAverage then self.output = self.output / self._k end
   return self.output
end

-- sum of log(1 + exp(-t x)); e = exp(-t x) and 1 + e are kept for the gradient
-- (shared with SpatialBinaryLogisticRegression)
function BLR:logisticSum(input, target)
   self._baseExponents = self._baseExponents or input.new()
   self._coeff = self._coeff or input.new()
   self._logCoeff = self._logCoeff or input.new()
   self._baseExponents:resize(input:size()):copy(input):cmul(target):mul(-1):exp()
   self._coeff:resize(input:size()):copy(self._baseExponents):add(1)
   self._logCoeff:resize(input:size()):copy(self._coeff):log()
   return self._logCoeff:sum()
end

-- into self.gradInput, of the size of shape: d/dx log(1 + e) = -t e / (1 + e)
function BLR:logisticGradient(shape, target)
   self.gradInput = self.gradInput or shape.new()
   local g = self.gradInput:resize(shape:size()):copy(target):mul(-1)
   g:cmul(self._baseExponents:viewAs(g)):cdiv(self._coeff:viewAs(g))
   return g
end

function BLR:updateGradInput(input, target)
   self:logisticGradient(input, target)
   if self.sizeAverage then self.gradInput:div(self._k) end
   return self.gradInput
end

function BLR:type(typename, tensorCache)
   if typename then
      self._baseExponents = nil
      self._coeff = nil
      self._logCoeff = nil
   end
   return parent.type(self, typename, tensorCache)
end
