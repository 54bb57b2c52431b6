--[[ Subtracts from each pixel the kernel-weighted mean of its neighbourhood over all planes:
y = x - S(x) / S(1), S the zero-padded correlation with the normalized kernel (a 1D kernel k
stands for the separable outer(k, k)). ]]
local SpatialSubtractiveNormalization, parent =
   torch.class('nn.SpatialSubtractiveNormalization', 'nn.Module')
local THNN = nn.THNN

-- Torch builds its mean estimator from convolution modules whose construction draws random
-- numbers (then overwritten by the kernel); draw as many so the generator stays in step.
function nn._localNormDraws(nInputPlane, kernel)
   if kernel:nDimension() == 2 then
      torch.Tensor(nInputPlane * kernel:size(1) * kernel:size(2) + 1):uniform()
   else
      local k = kernel:size(1)
      torch.Tensor(nInputPlane * k + nInputPlane):uniform()   -- SpatialConvolutionMap
      torch.Tensor(nInputPlane * k + 1):uniform()             -- SpatialConvolution
   end
end

function nn._localNormCheck(name, kernel)
   local kdim = kernel:nDimension()
   if kdim ~= 2 and kdim ~= 1 then
      error('<' .. name .. '> averaging kernel must be 2D or 1D')
   end
   if (kernel:size(1) % 2) == 0 or (kdim == 2 and (kernel:size(2) % 2) == 0) then
      error('<' .. name .. '> averaging kernel must have ODD dimensions')
   end
end

function SpatialSubtractiveNormalization:__init(nInputPlane, kernel)
   parent.__init(self)
   self.nInputPlane = nInputPlane or 1
   self.kernel = kernel or torch.Tensor(9, 9):fill(1)
   nn._localNormCheck('SpatialSubtractiveNormalization', self.kernel)
   self.kernel:div(self.kernel:sum() * self.nInputPlane)
   nn._localNormDraws(self.nInputPlane, self.kernel)
end

function SpatialSubtractiveNormalization:updateOutput(input)
   THNN.SpatialSubtractiveNormalization_updateOutput(input, self.output, self.kernel,
      self.nInputPlane)
   return self.output
end

function SpatialSubtractiveNormalization:updateGradInput(input, gradOutput)
   THNN.SpatialSubtractiveNormalization_updateGradInput(input, gradOutput, self.gradInput,
      self.kernel, self.nInputPlane)
   return self.gradInput
end
