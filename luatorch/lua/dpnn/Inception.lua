-- A GoogLeNet inception block (Szegedy et al. 2014). config fields: inputSize, outputSize and
-- reduceSize (per convolution column), reduceStride, kernelSize ({5, 3}), kernelStride,
-- transfer (nn.ReLU()), batchNorm, padding (true), pool (3x3 max pooling: poolSize,
-- poolStride). Columns: 1x1 reduce -> kxk convolution for each kernel size; pooling -> optional
-- 1x1 reduce; an optional lone 1x1 convolution. They are joined by an nn.DepthConcat on planes.
local Inception, parent = torch.class('nn.Inception', 'nn.Decorator')

function Inception:__init(config)
   self.inputSize = config.inputSize
   self.outputSize = config.outputSize
   self.reduceSize = config.reduceSize
   self.reduceStride = config.reduceStride or {}
   self.transfer = config.transfer or nn.ReLU()
   self.batchNorm = config.batchNorm
   self.padding = true
   if config.padding ~= nil then self.padding = config.padding end
   self.kernelSize = config.kernelSize or {5, 3}
   self.kernelStride = config.kernelStride or {1, 1}
   self.poolSize = config.poolSize or 3
   self.poolStride = config.poolStride or 1
   self.pool = config.pool or nn.SpatialMaxPooling(self.poolSize, self.poolSize,
                                                   self.poolStride, self.poolStride)

   -- a 1x1 reduction to reduceSize[i] planes (with batch norm and transfer)
   local function reduce(mlp, i)
      local stride = self.reduceStride[i] or 1
      mlp:add(nn.SpatialConvolution(self.inputSize, self.reduceSize[i], 1, 1, stride, stride))
      if self.batchNorm then mlp:add(nn.SpatialBatchNormalization(self.reduceSize[i])) end
      mlp:add(self.transfer:clone())
      return mlp
   end
   -- the output size of each column for a probe input of 200x100 (to warn of mismatches)
   local iWidth, iHeight = 100, 200
   local oWidth, oHeight
   local concat = nn.DepthConcat(2)
   for i = 1, #self.kernelSize do
      local mlp = reduce(nn.Sequential(), i)
      local k, s = self.kernelSize[i], self.kernelStride[i]
      local pad = self.padding and math.floor(k / 2) or 0
      mlp:add(nn.SpatialConvolution(self.reduceSize[i], self.outputSize[i], k, k, s, s, pad))
      if self.batchNorm then mlp:add(nn.SpatialBatchNormalization(self.outputSize[i])) end
      mlp:add(self.transfer:clone())
      concat:add(mlp)
      local w = math.floor((iWidth + 2 * pad - k) / s + 1)
      local h = math.floor((iHeight + 2 * pad - k) / s + 1)
      if oWidth == nil then
         oWidth, oHeight = w, h
      elseif oWidth ~= w or oHeight ~= h then
         print("dpnn.Inception: Warning: Inconsistent output sizes.")
      end
   end
   local i = #self.kernelSize + 1
   local poolColumn = nn.Sequential():add(self.pool)
   if self.reduceSize[i] then reduce(poolColumn, i) end
   concat:add(poolColumn)
   local p = self.pool
   if p.kW ~= nil and p.dW ~= nil and p.padW ~= nil then
      assert(oWidth ~= nil and oHeight ~= nil)
      local w = math.floor((iWidth + 2 * p.padW - p.kW) / p.dW + 1)
      local h = math.floor((iHeight + 2 * p.padH - p.kH) / p.dH + 1)
      if oWidth ~= w or oHeight ~= h then
         print("dpnn.Inception: Warning: Inconsistent output sizes in pooling.")
      end
   end
   i = i + 1
   if self.reduceSize[i] then
      concat:add(reduce(nn.Sequential(), i))
      local stride = self.reduceStride[i] or 1
      local w = math.floor((iWidth - 1) / stride + 1)
      local h = math.floor((iHeight - 1) / stride + 1)
      if oWidth ~= w or oHeight ~= h then
         print("dpnn.Inception: Warning: Inconsistent output sizes in 1x1 conv.")
      end
   end
   parent.__init(self, concat)
end

-- a single image (3 dimensions) goes through as a batch of one
function Inception:updateOutput(input)
   local output = self.modules[1]:updateOutput(self:toBatch(input, 3))
   self.output = self:fromBatch(output, 3)
   return self.output
end

function Inception:updateGradInput(input, gradOutput)
   input, gradOutput = self:toBatch(input, 3), self:toBatch(gradOutput, 3)
   self.gradInput = self:fromBatch(self.modules[1]:updateGradInput(input, gradOutput), 3)
   return self.gradInput
end

function Inception:accGradParameters(input, gradOutput, scale)
   input, gradOutput = self:toBatch(input, 3), self:toBatch(gradOutput, 3)
   self.modules[1]:accGradParameters(input, gradOutput, scale)
end

function Inception:accUpdateGradParameters(input, gradOutput, lr)
   input, gradOutput = self:toBatch(input, 3), self:toBatch(gradOutput, 3)
   self.modules[1]:accUpdateGradParameters(input, gradOutput, lr)
end
