local SpatialFractionalMaxPooling, parent =
   torch.class('nn.SpatialFractionalMaxPooling', 'nn.Module')
local THNN = nn.THNN

-- nn.SpatialFractionalMaxPooling(poolSizeW, poolSizeH, outW, outH): fixed output size, or
-- nn.SpatialFractionalMaxPooling(poolSizeW, poolSizeH, ratioW, ratioH): output
-- floor(in * ratio), ratios in (0, 1). Pooling regions are pseudo-random: two uniform samples
-- (width, height) per batch item and plane, redrawn at every updateOutput unless fixed.
function SpatialFractionalMaxPooling:__init(poolSizeW, poolSizeH, arg1, arg2)
   parent.__init(self)
   assert(poolSizeW >= 2)
   assert(poolSizeH >= 2)
   self.poolSizeW = poolSizeW
   self.poolSizeH = poolSizeH
   self.indices = torch.LongTensor()
   self.randomSamples = nil
   -- true: keep the current samples (:fixPoolingRegions())
   self.newRandomPool = false
   if arg1 >= 1 and arg2 >= 1 then
      self.outW = arg1
      self.outH = arg2
   else
      self.ratioW = arg1
      self.ratioH = arg2
      assert(self.ratioW > 0 and self.ratioW < 1)
      assert(self.ratioH > 0 and self.ratioH < 1)
   end
end

function SpatialFractionalMaxPooling:getBufferSize_(input)
   local batchSize, planeSize
   if input:nDimension() == 3 then
      batchSize = 1
      planeSize = input:size(1)
   elseif input:nDimension() == 4 then
      batchSize = input:size(1)
      planeSize = input:size(2)
   else
      error('input must be dim 3 or 4')
   end
   return torch.LongStorage({batchSize, planeSize, 2})
end

function SpatialFractionalMaxPooling:initSampleBuffer_(input)
   local size = self:getBufferSize_(input)
   if self.randomSamples == nil then
      self.randomSamples = input.new():resize(size):uniform()
   elseif self.randomSamples:size(1) ~= size[1] or self.randomSamples:size(2) ~= size[2] then
      self.randomSamples:resize(size):uniform()
   elseif not self.newRandomPool then
      -- a subsequent call: new pooling regions
      self.randomSamples:uniform()
   end
end

function SpatialFractionalMaxPooling:getOutputSizes_(input)
   local outW, outH = self.outW, self.outH
   if self.ratioW ~= nil and self.ratioH ~= nil then
      if input:nDimension() == 4 then
         outW = math.floor(input:size(4) * self.ratioW)
         outH = math.floor(input:size(3) * self.ratioH)
      elseif input:nDimension() == 3 then
         outW = math.floor(input:size(3) * self.ratioW)
         outH = math.floor(input:size(2) * self.ratioH)
      else
         error('input must be dim 3 or 4')
      end
      assert(outW > 0, 'reduction ratio or input width too small')
      assert(outH > 0, 'reduction ratio or input height too small')
   else
      assert(outW ~= nil and outH ~= nil)
   end
   return outW, outH
end

function SpatialFractionalMaxPooling:fixPoolingRegions(val)
   if val == nil then val = true end
   self.newRandomPool = val
   return self
end

function SpatialFractionalMaxPooling:updateOutput(input)
   if torch.type(self.indices) ~= 'torch.LongTensor' then
      self.indices = (self.indices or torch.LongTensor()):long()
   end
   self:initSampleBuffer_(input)
   local outW, outH = self:getOutputSizes_(input)
   THNN.SpatialFractionalMaxPooling_updateOutput(input, self.output, outW, outH,
      self.poolSizeW, self.poolSizeH, self.indices, self.randomSamples)
   return self.output
end

function SpatialFractionalMaxPooling:updateGradInput(input, gradOutput)
   assert(self.randomSamples ~= nil, 'must call updateOutput/forward first')
   local outW, outH = self:getOutputSizes_(input)
   THNN.SpatialFractionalMaxPooling_updateGradInput(input, gradOutput, self.gradInput, outW,
      outH, self.poolSizeW, self.poolSizeH, self.indices)
   return self.gradInput
end

-- for backward compat
function SpatialFractionalMaxPooling:empty()
   self:clearState()
end

function SpatialFractionalMaxPooling:clearState()
   nn.utils.clear(self, 'indices', 'randomSamples')
   return parent.clearState(self)
end

function SpatialFractionalMaxPooling:__tostring__()
   return string.format('%s(%dx%d, %d,%d)', torch.type(self),
                        self.outW and self.outW or self.ratioW,
                        self.outH and self.outH or self.ratioH,
                        self.poolSizeW, self.poolSizeH)
end
