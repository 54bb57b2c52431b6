--[[ Divides each pixel by the kernel-weighted standard deviation of its neighbourhood over all
planes: a = sqrt(S(x^2)) / S(1), y = x / (a > threshold and a or thresval). ]]
local SpatialDivisiveNormalization, parent =
   torch.class('nn.SpatialDivisiveNormalization', 'nn.Module')
local THNN = nn.THNN

function SpatialDivisiveNormalization:__init(nInputPlane, kernel, threshold, thresval)
   parent.__init(self)
   self.nInputPlane = nInputPlane or 1
   self.kernel = kernel or torch.Tensor(9, 9):fill(1)
   self.threshold = threshold or 1e-4
   self.thresval = thresval or 1e-4
   nn._localNormCheck('SpatialDivisiveNormalization', self.kernel)
   -- the mean and the std estimators each draw like Torch's convolution modules
   nn._localNormDraws(self.nInputPlane, self.kernel)
   nn._localNormDraws(self.nInputPlane, self.kernel)
   if self.kernel:nDimension() == 2 then
      self.kernel:div(self.kernel:sum() * self.nInputPlane)
   else
      self.kernel:div(self.kernel:sum() * math.sqrt(self.nInputPlane))
   end
end

function SpatialDivisiveNormalization:updateOutput(input)
   THNN.SpatialDivisiveNormalization_updateOutput(input, self.output, self.kernel,
      self.nInputPlane, self.threshold, self.thresval)
   return self.output
end

function SpatialDivisiveNormalization:updateGradInput(input, gradOutput)
   THNN.SpatialDivisiveNormalization_updateGradInput(input, gradOutput, self.gradInput,
      self.kernel, self.nInputPlane, self.threshold, self.thresval)
   return self.gradInput
end
