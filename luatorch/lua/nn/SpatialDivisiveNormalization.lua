--[[ Divides each pixel by the kernel-weighted standard deviation of its neighbourhood over all
planes (thresholded): y = x / max(sqrt(S(x^2)) / S(1), threshold), S as in
SpatialSubtractiveNormalization. Built as Torch builds it, from nn modules kept as fields
(meanestimator, stdestimator, normalizer, divider, thresholder). ]]
local SpatialDivisiveNormalization, parent =
   torch.class('nn.SpatialDivisiveNormalization', 'nn.Module')

function SpatialDivisiveNormalization:__init(nInputPlane, kernel, threshold, thresval)
   parent.__init(self)
   self.nInputPlane = nInputPlane or 1
   self.kernel = kernel or torch.Tensor(9, 9):fill(1)
   self.threshold = threshold or 1e-4
   self.thresval = thresval or threshold or 1e-4
   nn._localNormCheck('SpatialDivisiveNormalization', self.kernel)
   -- the mean estimator's modules, then the std estimator's: Square, the same estimator, Sqrt
   self.meanestimator = nn._localNormEstimator(self.nInputPlane, self.kernel)
   self.stdestimator = nn.Sequential()
   self.stdestimator:add(nn.Square())
   for _, m in ipairs(nn._localNormEstimator(self.nInputPlane, self.kernel).modules) do
      self.stdestimator:add(m)
   end
   self.stdestimator:add(nn.Sqrt())
   if self.kernel:nDimension() == 2 then
      self.kernel:div(self.kernel:sum() * self.nInputPlane)
   else
      self.kernel:div(self.kernel:sum() * math.sqrt(self.nInputPlane))
   end
   nn._localNormSetKernel(self.meanestimator, 2, self.nInputPlane, self.kernel)
   nn._localNormSetKernel(self.stdestimator, 3, self.nInputPlane, self.kernel)
   self.normalizer = nn.CDivTable()
   self.divider = nn.CDivTable()
   self.thresholder = nn.Threshold(self.threshold, self.thresval)
   self.coef = torch.Tensor(1, 1, 1)
end

function SpatialDivisiveNormalization:updateOutput(input)
   self.localstds = self.stdestimator:updateOutput(input)
   local dim = input:dim()
   if self.localstds:dim() ~= self.coef:dim() or (input:size(dim) ~= self.coef:size(dim))
         or (input:size(dim - 1) ~= self.coef:size(dim - 1)) then
      self.ones = self.ones or input.new()
      if dim == 4 then
         self.ones:resizeAs(input[1]):fill(1)
         local coef = self.meanestimator:updateOutput(self.ones)
         self._coef = self._coef or input.new()
         self._coef:resizeAs(coef):copy(coef)
         self.coef = self._coef:view(1, unpack(self._coef:size():totable()))
            :expandAs(self.localstds)
      else
         self.ones:resizeAs(input):fill(1)
         self.coef = self.meanestimator:updateOutput(self.ones)
      end
   end
   self.adjustedstds = self.divider:updateOutput{self.localstds, self.coef}
   self.thresholdedstds = self.thresholder:updateOutput(self.adjustedstds)
   self.output = self.normalizer:updateOutput{input, self.thresholdedstds}
   return self.output
end

function SpatialDivisiveNormalization:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):zero()
   local gradnorm = self.normalizer:updateGradInput({input, self.thresholdedstds}, gradOutput)
   local gradadj = self.thresholder:updateGradInput(self.adjustedstds, gradnorm[2])
   local graddiv = self.divider:updateGradInput({self.localstds, self.coef}, gradadj)
   self.gradInput:add(self.stdestimator:updateGradInput(input, graddiv[1]))
   self.gradInput:add(gradnorm[1])
   return self.gradInput
end

function SpatialDivisiveNormalization:clearState()
   if self.ones then self.ones:set() end
   if self._coef then self._coef:set() end
   self.meanestimator:clearState()
   self.stdestimator:clearState()
   return parent.clearState(self)
end
