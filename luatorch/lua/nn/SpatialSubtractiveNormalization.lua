--[[ Subtracts from each pixel the kernel-weighted mean of its neighbourhood over all planes:
y = x - S(x) / S(1), S the zero-padded correlation with the normalized kernel (a 1D kernel k
stands for the separable outer(k, k)). Built as Torch builds it, from nn modules kept as fields
(meanestimator, subtractor, divider), so that results and fields are Torch's. ]]
local SpatialSubtractiveNormalization, parent =
   torch.class('nn.SpatialSubtractiveNormalization', 'nn.Module')

-- the kernel's checks, shared by the divisive and contrastive normalizations
function nn._localNormCheck(name, kernel)
   local kdim = kernel:nDimension()
   if kdim ~= 2 and kdim ~= 1 then
      error('<' .. name .. '> averaging kernel must be 2D or 1D')
   end
   if (kernel:size(1) % 2) == 0 or (kdim == 2 and (kernel:size(2) % 2) == 0) then
      error('<' .. name .. '> averaging kernel must have ODD dimensions')
   end
end

-- zero padding, then the kernel as a convolution (2D) or as a row then a column pass (1D),
-- then the single output plane replicated over the input planes; the kernel is copied into
-- each convolution's weight and biases are zero
function nn._localNormEstimator(nInputPlane, kernel)
   local kdim = kernel:nDimension()
   local padH = math.floor(kernel:size(1) / 2)
   local padW = padH
   if kdim == 2 then
      padW = math.floor(kernel:size(2) / 2)
   end
   local estimator = nn.Sequential()
   estimator:add(nn.SpatialZeroPadding(padW, padW, padH, padH))
   if kdim == 2 then
      estimator:add(nn.SpatialConvolution(nInputPlane, 1, kernel:size(2), kernel:size(1)))
   else
      estimator:add(nn.SpatialConvolutionMap(nn.tables.oneToOne(nInputPlane), kernel:size(1), 1))
      estimator:add(nn.SpatialConvolution(nInputPlane, 1, 1, kernel:size(1)))
   end
   estimator:add(nn.Replicate(nInputPlane, 1, 3))
   return estimator
end

-- the kernel into the estimator's convolutions (first: the index of the first one)
function nn._localNormSetKernel(estimator, first, nInputPlane, kernel)
   if kernel:nDimension() == 2 then
      for i = 1, nInputPlane do
         estimator.modules[first].weight[1][i] = kernel
      end
      estimator.modules[first].bias:zero()
   else
      for i = 1, nInputPlane do
         estimator.modules[first].weight[i]:copy(kernel)
         estimator.modules[first + 1].weight[1][i]:copy(kernel)
      end
      estimator.modules[first].bias:zero()
      estimator.modules[first + 1].bias:zero()
   end
end

function SpatialSubtractiveNormalization:__init(nInputPlane, kernel)
   parent.__init(self)
   self.nInputPlane = nInputPlane or 1
   self.kernel = kernel or torch.Tensor(9, 9):fill(1)
   nn._localNormCheck('SpatialSubtractiveNormalization', self.kernel)
   self.kernel:div(self.kernel:sum() * self.nInputPlane)
   self.meanestimator = nn._localNormEstimator(self.nInputPlane, self.kernel)
   nn._localNormSetKernel(self.meanestimator, 2, self.nInputPlane, self.kernel)
   self.subtractor = nn.CSubTable()
   self.divider = nn.CDivTable()
   -- the estimator's output on ones: how much of the kernel falls inside the image
   self.coef = torch.Tensor(1, 1, 1)
end

function SpatialSubtractiveNormalization:updateOutput(input)
   local dim = input:dim()
   if not self._inpsz or not input:isSize(self._inpsz) then
      self._inpsz = input:size()
      self.ones = self.ones or input.new()
      self._coef = self._coef or self.coef.new()
      if dim == 4 then
         self.ones:resizeAs(input[1]):fill(1)
         local coef = self.meanestimator:updateOutput(self.ones)
         self._coef:resizeAs(coef):copy(coef)
         local size = coef:size():totable()
         table.insert(size, 1, input:size(1))
         self.coef = self._coef:view(1, unpack(self._coef:size():totable())):expand(unpack(size))
      else
         self.ones:resizeAs(input):fill(1)
         local coef = self.meanestimator:updateOutput(self.ones)
         self._coef:resizeAs(coef):copy(coef)
         self.coef = self._coef
      end
   end
   self.localsums = self.meanestimator:updateOutput(input)
   self.adjustedsums = self.divider:updateOutput{self.localsums, self.coef}
   self.output = self.subtractor:updateOutput{input, self.adjustedsums}
   return self.output
end

function SpatialSubtractiveNormalization:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):zero()
   local gradsub = self.subtractor:updateGradInput({input, self.adjustedsums}, gradOutput)
   local graddiv = self.divider:updateGradInput({self.localsums, self.coef}, gradsub[2])
   -- Torch runs the estimator's backward twice (the first only for its size); its modules'
   -- buffers are what the second leaves
   self.meanestimator:updateGradInput(input, graddiv[1])
   self.gradInput:add(self.meanestimator:updateGradInput(input, graddiv[1]))
   self.gradInput:add(gradsub[1])
   return self.gradInput
end

function SpatialSubtractiveNormalization:clearState()
   self._inpsz = nil
   if self.ones then self.ones:set() end
   if self._coef then self._coef:set() end
   self.meanestimator:clearState()
   return parent.clearState(self)
end
