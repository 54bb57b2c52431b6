--[[ Batch normalization (Ioffe & Szegedy) over the features of a mini-batch:
   y = (x - mean(x)) / sqrt(var(x) + eps) * weight + bias
nn.BatchNormalization(N [, eps] [, momentum] [, affine]); running estimates of mean and
variance (momentum 0.1) are used in evaluation mode. ]]
local BN, parent = torch.class('nn.BatchNormalization', 'nn.Module')
local THNN = nn.THNN

BN.__version = 2

-- expected dimension of input
BN.nDim = 2

function BN:__init(nOutput, eps, momentum, affine)
   parent.__init(self)
   assert(nOutput and type(nOutput) == 'number',
          'Missing argument #1: dimensionality of input. ')
   assert(nOutput ~= 0, 'To set affine=false call BatchNormalization'
          .. '(nOutput,  eps, momentum, false) ')
   if affine ~= nil then
      assert(type(affine) == 'boolean', 'affine has to be true/false')
      self.affine = affine
   else
      self.affine = true
   end
   self.eps = eps or 1e-5
   self.train = true
   self.momentum = momentum or 0.1
   self.running_mean = torch.zeros(nOutput)
   self.running_var = torch.ones(nOutput)
   if self.affine then
      self.weight = torch.Tensor(nOutput)
      self.bias = torch.Tensor(nOutput)
      self.gradWeight = torch.Tensor(nOutput)
      self.gradBias = torch.Tensor(nOutput)
      self:reset()
   end
end

function BN:reset()
   if self.weight then
      self.weight:uniform()
   end
   if self.bias then
      self.bias:zero()
   end
   self.running_mean:zero()
   self.running_var:fill(1)
end

function BN:checkInputDim(input)
   local iDim = input:dim()
   assert(iDim == self.nDim or (iDim == self.nDim - 1 and self.train == false),
      string.format('only mini-batch supported (%dD tensor), got %dD tensor instead',
                    self.nDim, iDim))
   local featDim = (iDim == self.nDim - 1) and 1 or 2
   assert(input:size(featDim) == self.running_mean:nElement(),
      string.format('got %d-feature tensor, expected %d', input:size(featDim),
                    self.running_mean:nElement()))
end

-- evaluation accepts a single sample: it is seen as a batch of one
local function makeBatch(self, input)
   if self.train == false and input:dim() == self.nDim - 1 then
      local size = input:size():totable()
      table.insert(size, 1, 1)
      return input:view((table.unpack or unpack)(size))
   end
   return input
end

function BN:updateOutput(input)
   self:checkInputDim(input)
   input = makeBatch(self, input)
   self.save_mean = self.save_mean or input.new()
   self.save_mean:resizeAs(self.running_mean)
   self.save_std = self.save_std or input.new()
   self.save_std:resizeAs(self.running_var)
   THNN.BatchNormalization_updateOutput(input, self.output, self.weight, self.bias,
      self.running_mean, self.running_var, self.save_mean, self.save_std,
      -- a batch of one has no variance: nn then normalizes with (and keeps) the running stats
      self.train and input:size(1) > 1 or false, self.momentum, self.eps)
   return self.output
end

local function backward(self, input, gradOutput, scale, gradInput, gradWeight, gradBias)
   self:checkInputDim(input)
   self:checkInputDim(gradOutput)
   assert(self.save_mean and self.save_std, 'must call :updateOutput() first')
   input = makeBatch(self, input)
   gradOutput = makeBatch(self, gradOutput)
   THNN.BatchNormalization_backward(input, gradOutput, gradInput, gradWeight, gradBias,
      self.weight, self.running_mean, self.running_var, self.save_mean, self.save_std,
      self.train and input:size(1) > 1 or false, scale or 1, self.eps)
   return self.gradInput
end

function BN:backward(input, gradOutput, scale)
   return backward(self, input, gradOutput, scale, self.gradInput, self.gradWeight,
                   self.gradBias)
end

function BN:updateGradInput(input, gradOutput)
   return backward(self, input, gradOutput, 1, self.gradInput)
end

function BN:accGradParameters(input, gradOutput, scale)
   return backward(self, input, gradOutput, scale, nil, self.gradWeight, self.gradBias)
end

function BN:read(file, version)
   parent.read(self, file)
   if version < 2 then
      if self.running_std then
         self.running_var = self.running_std:pow(-2):add(-self.eps)
         self.running_std = nil
      end
   end
end

function BN:clearState()
   nn.utils.clear(self, {'buffer', 'buffer2', 'centered', 'std', 'normalized', '_input',
                         '_gradOutput', 'save_mean', 'save_std'})
   return parent.clearState(self)
end

function BN:__tostring__()
   return string.format('%s (%dD) (%d)', torch.type(self), self.nDim,
                        self.running_mean:nElement())
end
