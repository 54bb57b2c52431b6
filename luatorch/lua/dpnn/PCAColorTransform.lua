-- Data augmentation (AlexNet's "PCA colour noise"): in training, adds to every pixel of an
-- image (c x h x w), or of each image of a batch, the colour sum_i alpha_i lambda_i v_i, with
-- v_i the eigenvectors (one per row of eigenVectors) and lambda_i the eigenvalues of the
-- pixels' colour covariance and alpha_i ~ N(0, std^2) drawn per image. The gradient passes
-- through unchanged; evaluation is the identity (and has no backward).
local PCA, parent = torch.class('nn.PCAColorTransform', 'nn.Module')

function PCA:__init(inputChannels, eigenVectors, eigenValues, std)
   parent.__init(self)
   self.train = true
   self.inputChannels = inputChannels
   assert(inputChannels == eigenVectors:size(1),
      "Number of input channels do not match number of eigen vectors.")
   assert(eigenVectors:size(2) == eigenVectors:size(1), "Invalid dimensionality: eigen vectors.")
   assert(inputChannels == eigenValues:nElement(),
      "Number of input channels do not match number of eigen values.")
   self.eigenVectors = eigenVectors
   self.eigenValues = eigenValues
   self.std = std or 0.1
end

function PCA:updateOutput(input)
   self.output:resizeAs(input):copy(input)
   if not self.train then return self.output end
   self.noise = self.noise or self.output.new()
   self.alphas = self.alphas or self.output.new()
   self._tempNoiseExpanded = self._tempNoiseExpanded or self.output.new()
   local nDim, c = self.output:nDimension(), self.inputChannels
   if nDim ~= 3 and nDim ~= 4 then error("Invalid input dimensionality.") end
   local n = nDim == 4 and self.output:size(1) or 1
   assert(self.output:size(nDim - 2) == c)
   -- alphas: c x n, scaled by the eigenvalues
   self.alphas:resize(c, n):normal(0, self.std)
   self._tempLambda = self.eigenValues:view(c, 1)
   self._tempLambdaExpanded = self._tempLambda:expand(c, n)
   self.alphas:cmul(self._tempLambdaExpanded)
   -- noise^T = eigenVectors * alphas: one colour offset per image
   self.noise:resize(n, c):zero()
   self.noise:t():addmm(self.eigenVectors, self.alphas)
   if nDim == 4 then
      self._tempNoise = self.noise:view(n, c, 1, 1)
   else
      self._tempNoise = self.noise:view(c, 1, 1)
   end
   self._tempNoiseExpanded:expand(self._tempNoise, self.output:size())
   self.output:add(self._tempNoiseExpanded)
   return self.output
end

function PCA:updateGradInput(input, gradOutput)
   if not self.train then error('backprop only defined while training') end
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   return self.gradInput
end

-- as dpnn, type() returns nothing (m:float() is nil; a container's :float() works)
function PCA:type(typename, tensorCache)
   self.noise = nil
   self.alphas = nil
   self._tempLambda = nil
   self._tempLambdaExpanded = nil
   self._tempNoise = nil
   self._tempNoiseExpanded = nil
   parent.type(self, typename, tensorCache)
end

function PCA:__tostring__()
   return string.format('%s channels: %d, std: %f', torch.type(self), self.inputChannels, self.std)
end
