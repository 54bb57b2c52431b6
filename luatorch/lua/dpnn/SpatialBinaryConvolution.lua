-- XNOR-Net's binary-weight convolution (Rastegari et al. 2016): a SpatialConvolution without
-- bias whose forward uses the weights' signs (+1/-1), each output plane scaled by alpha, the
-- mean absolute weight of its filter. The backward pass uses the binary weights too, and
-- scales gradInput per input plane by the mean absolute weight feeding from it (an
-- approximation, not the exact derivative). In training the binary weights stay in `weight`
-- from forward until accGradParameters restores the real ones (kept in tempWeight); in
-- evaluation forward restores them at once.
local SBC, parent = torch.class('nn.SpatialBinaryConvolution', 'nn.SpatialConvolution')

function SBC:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
   parent.__init(self, nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
   parent.noBias(self)
   self.iwh = self.nInputPlane * self.kW * self.kH
   self.owh = self.nOutputPlane * self.kW * self.kH
   self.train = true
end

-- (as dpnn: these set the flag only)
function SBC:training()
   self.train = true
end

function SBC:evaluate()
   self.train = false
end

-- saves the weights in tempWeight, computes the scales, replaces weight by its signs
function SBC:binarizeWeight()
   self.tempWeight = self.tempWeight or self.weight.new()
   -- per input plane: sum |w| over the filters reading it, / (nOutputPlane kW kH)
   self.gradInputAlphas = self.gradInputAlphas or self.weight.new()
   self.gradInputAlphas:resize(self.nInputPlane)
   local byInput = self.weight:transpose(1, 2)
   self.tempWeight:resizeAs(byInput):copy(byInput)
   self.gradInputAlphas:norm(self.tempWeight:view(self.nInputPlane, -1), 1, 2)
   self.gradInputAlphas:div(self.owh)
   -- per output plane: sum |w| of its filter / (nInputPlane kW kH)
   self.tempWeight:resizeAs(self.weight):copy(self.weight)
   self.alphas = self.alphas or self.weight.new()
   self.alphas:resize(self.nOutputPlane)
   self.alphas:norm(self.weight:view(self.nOutputPlane, -1), 1, 2)
   self.alphas:div(self.iwh)
   self.wmask = self.wmask or torch.ByteTensor()
   self.weight.ge(self.wmask, self.weight, 0)
   self.weight[self.wmask] = 1
   self.weight.lt(self.wmask, self.weight, 0)
   self.weight[self.wmask] = -1
end

-- t (n x planes x h x w, or planes x h x w) *= scales, one per plane
local function scalePlanes(t, scales, expanded, copy)
   local size = t:size():totable()
   local shape = {}
   for i = 1, #size do shape[i] = 1 end
   shape[#size - 2] = scales:size(1)
   expanded:expand(scales:view(unpack(shape)), t:size())
   copy:resizeAs(expanded):copy(expanded)
   t:cmul(copy)
end

function SBC:updateOutput(input)
   self:binarizeWeight()
   self.output = parent.updateOutput(self, input)
   self._tempAlphasExpanded = self._tempAlphasExpanded or self.output.new()
   self._tempAlphasSamples = self._tempAlphasSamples or self.output.new()
   scalePlanes(self.output, self.alphas, self._tempAlphasExpanded, self._tempAlphasSamples)
   if not self.train then self.weight:copy(self.tempWeight) end
   return self.output
end

function SBC:updateGradInput(input, gradOutput)
   self.gradInput = parent.updateGradInput(self, input, gradOutput)
   self._tempGradAlphasExpanded = self._tempGradAlphasExpanded or self.gradInput.new()
   self._tempGradAlphasSamples = self._tempGradAlphasSamples or self.gradInput.new()
   scalePlanes(self.gradInput, self.gradInputAlphas, self._tempGradAlphasExpanded,
      self._tempGradAlphasSamples)
   return self.gradInput
end

-- the gradient of the binary weights goes to the real ones, which come back into weight
function SBC:accGradParameters(input, gradOutput, scale)
   parent.accGradParameters(self, input, gradOutput, scale)
   self.weight:copy(self.tempWeight)
end

-- as dpnn, type() returns nothing (m:float() is nil; a container's :float() works)
function SBC:type(typename, tensorCache)
   for _, name in ipairs{'tempWeight', 'alphas', 'gradInputAlphas', 'wmask', '_tempAlphas',
         '_tempAlphasExpanded', '_tempAlphasSamples', '_tempGradAlphas',
         '_tempGradAlphasExpanded', '_tempGradAlphasSamples'} do
      self[name] = nil
   end
   parent.type(self, typename, tensorCache)
end

function SBC:__tostring__()
   return 'Binary Convolution: ' .. parent.__tostring__(self)
end
