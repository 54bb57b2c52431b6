-- Fractional max pooling (Graham 2014) over volumes: input [batch x] planes x H x W x T.
-- nn.VolumetricFractionalMaxPooling(poolSizeT, poolSizeW, poolSizeH, outT, outW, outH) gives a
-- fixed output size; with ratios in (0, 1) instead, the output is floor(input * ratio). The
-- windows are pseudo-random (three uniform samples per batch item and plane), redrawn at every
-- updateOutput unless :fixPoolingRegions() was called.
local VolumetricFractionalMaxPooling, parent =
   torch.class('nn.VolumetricFractionalMaxPooling', 'nn.Module')
local THNN = nn.THNN

function VolumetricFractionalMaxPooling:__init(poolSizeT, poolSizeW, poolSizeH, arg1, arg2, arg3)
   parent.__init(self)
   assert(poolSizeT >= 2)
   assert(poolSizeW >= 2)
   assert(poolSizeH >= 2)
   self.poolSizeT = poolSizeT
   self.poolSizeW = poolSizeW
   self.poolSizeH = poolSizeH
   self.randomSamples = nil
   self.newRandomPool = false
   if arg1 >= 1 and arg2 >= 1 and arg3 >= 1 then
      self.outT, self.outW, self.outH = arg1, arg2, arg3
   else
      self.ratioT, self.ratioW, self.ratioH = arg1, arg2, arg3
      assert(self.ratioT > 0 and self.ratioT < 1)
      assert(self.ratioW > 0 and self.ratioW < 1)
      assert(self.ratioH > 0 and self.ratioH < 1)
   end
end

function VolumetricFractionalMaxPooling:getBufferSize_(input)
   if input:nDimension() == 4 then
      return torch.LongStorage({1, input:size(1), 3})
   elseif input:nDimension() == 5 then
      return torch.LongStorage({input:size(1), input:size(2), 3})
   end
   error('input must be dim 4 or 5')
end

function VolumetricFractionalMaxPooling:initSampleBuffer_(input)
   local size = self:getBufferSize_(input)
   if self.randomSamples == nil then
      self.randomSamples = input.new():resize(size):uniform()
   elseif self.randomSamples:size(1) ~= size[1] or self.randomSamples:size(2) ~= size[2] then
      self.randomSamples:resize(size):uniform()
   elseif not self.newRandomPool then
      self.randomSamples:uniform()
   end
end

function VolumetricFractionalMaxPooling:getOutputSizes_(input)
   if self.ratioW == nil or self.ratioH == nil then
      assert(self.outT ~= nil and self.outW ~= nil and self.outH ~= nil)
      return self.outT, self.outW, self.outH
   end
   local first
   if input:nDimension() == 5 then
      first = 3
   elseif input:nDimension() == 4 then
      first = 2
   else
      error('input must be dim 4 or 5')
   end
   local outT = math.floor(input:size(first + 2) * self.ratioT)
   local outW = math.floor(input:size(first + 1) * self.ratioW)
   local outH = math.floor(input:size(first) * self.ratioH)
   assert(outT > 0, 'reduction ratio or input time too small')
   assert(outW > 0, 'reduction ratio or input width too small')
   assert(outH > 0, 'reduction ratio or input height too small')
   return outT, outW, outH
end

function VolumetricFractionalMaxPooling:fixPoolingRegions(val)
   if val == nil then val = true end
   self.newRandomPool = val
   return self
end

function VolumetricFractionalMaxPooling:updateOutput(input)
   self.indices = (self.indices or torch.LongTensor()):long()
   self:initSampleBuffer_(input)
   local outT, outW, outH = self:getOutputSizes_(input)
   THNN.VolumetricFractionalMaxPooling_updateOutput(input, self.output, outT, outW, outH,
      self.poolSizeT, self.poolSizeW, self.poolSizeH, self.indices, self.randomSamples)
   return self.output
end

function VolumetricFractionalMaxPooling:updateGradInput(input, gradOutput)
   assert(self.randomSamples ~= nil, 'must call updateOutput/forward first')
   local outT, outW, outH = self:getOutputSizes_(input)
   THNN.VolumetricFractionalMaxPooling_updateGradInput(input, gradOutput, self.gradInput,
      outT, outW, outH, self.poolSizeT, self.poolSizeW, self.poolSizeH, self.indices)
   return self.gradInput
end

function VolumetricFractionalMaxPooling:empty()
   self:clearState()
end

function VolumetricFractionalMaxPooling:clearState()
   self.indices = nil
   self.randomSamples = nil
   return parent.clearState(self)
end

function VolumetricFractionalMaxPooling:__tostring__()
   return string.format('%s(%dx%dx%d, %d,%d,%d)', torch.type(self),
                        self.outT or self.ratioT, self.outW or self.ratioW,
                        self.outH or self.ratioH, self.poolSizeT, self.poolSizeW, self.poolSizeH)
end
