-- Rearranges (C * r^2) x H x W into C x (H * r) x (W * r) (sub-pixel convolution's shuffle),
-- with Torch's buffers: the input viewed as (batch, C, r, r, H, W) and permuted into
-- _shuffleOut, the output a view of it (_shuffleIn for the gradient).
local PixelShuffle, parent = torch.class('nn.PixelShuffle', 'nn.Module')

function PixelShuffle:__init(upscaleFactor)
   parent.__init(self)
   self.upscaleFactor = upscaleFactor
   self.upscaleFactorSquared = self.upscaleFactor * self.upscaleFactor
end

function PixelShuffle:updateOutput(input)
   self._intermediateShape = self._intermediateShape or torch.LongStorage(6)
   -- (Torch looks for self.outShape here, so the storage is new on every call)
   self._outShape = self.outShape or torch.LongStorage()
   self._shuffleOut = self._shuffleOut or input.new()
   local batchSize, first, outFirst = 1, 1, 1
   if input:nDimension() == 4 then
      batchSize, first, outFirst = input:size(1), 2, 2
      self._outShape:resize(4)
      self._outShape[1] = batchSize
   else
      self._outShape:resize(3)
   end
   local r = self.upscaleFactor
   local channels = input:size(first) / self.upscaleFactorSquared
   local inHeight, inWidth = input:size(first + 1), input:size(first + 2)
   local shape = self._intermediateShape
   shape[1], shape[2], shape[3], shape[4], shape[5], shape[6] =
      batchSize, channels, r, r, inHeight, inWidth
   self._outShape[outFirst] = channels
   self._outShape[outFirst + 1] = inHeight * r
   self._outShape[outFirst + 2] = inWidth * r
   local inputView = torch.view(input, shape)
   self._shuffleOut:resize(inputView:size(1), inputView:size(2), inputView:size(5),
                           inputView:size(3), inputView:size(6), inputView:size(4))
   self._shuffleOut:copy(inputView:permute(1, 2, 5, 3, 6, 4))
   self.output = torch.view(self._shuffleOut, self._outShape)
   return self.output
end

function PixelShuffle:updateGradInput(input, gradOutput)
   self._intermediateShape = self._intermediateShape or torch.LongStorage(6)
   self._shuffleIn = self._shuffleIn or input.new()
   local batchSize, first = 1, 1
   if input:nDimension() == 4 then
      batchSize, first = input:size(1), 2
   end
   local r = self.upscaleFactor
   local channels = input:size(first) / self.upscaleFactorSquared
   local height, width = input:size(first + 1), input:size(first + 2)
   local shape = self._intermediateShape
   shape[1], shape[2], shape[3], shape[4], shape[5], shape[6] =
      batchSize, channels, height, r, width, r
   local gradOutputView = torch.view(gradOutput, shape)
   self._shuffleIn:resize(gradOutputView:size(1), gradOutputView:size(2), gradOutputView:size(4),
                          gradOutputView:size(6), gradOutputView:size(3), gradOutputView:size(5))
   self._shuffleIn:copy(gradOutputView:permute(1, 2, 4, 6, 3, 5))
   self.gradInput = torch.view(self._shuffleIn, input:size())
   return self.gradInput
end

function PixelShuffle:clearState()
   nn.utils.clear(self, {'_intermediateShape', '_outShape', '_shuffleIn', '_shuffleOut'})
   return parent.clearState(self)
end
