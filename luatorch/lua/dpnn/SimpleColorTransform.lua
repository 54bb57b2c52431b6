-- Data augmentation: in training, adds to each channel of an image (c x h x w) or of each image
-- of a batch (n x c x h x w) one value drawn uniformly from [-range[c], range[c]]. The gradient
-- passes through unchanged; evaluation is the identity (and has no backward).
local SCT, parent = torch.class('nn.SimpleColorTransform', 'nn.Module')

function SCT:__init(inputChannels, range)
   parent.__init(self)
   self.train = true
   self.inputChannels = inputChannels
   assert(inputChannels == range:nElement(),
      "Number of input channels and number of range values don't match.")
   self.range = range
end

function SCT:updateOutput(input)
   self.output:resizeAs(input):copy(input)
   if not self.train then return self.output end
   self.noise = self.noise or self.output.new()
   self._tempNoiseExpanded = self._tempNoiseExpanded or self.output.new()
   self._tempNoiseSamples = self._tempNoiseSamples or self.output.new()
   local nDim = self.output:nDimension()
   if nDim == 4 then
      local n, c = self.output:size(1), self.output:size(2)
      assert(c == self.inputChannels)
      self.noise:resize(n, c)
      for i = 1, c do
         self.noise[{{}, {i}}]:uniform(-self.range[i], self.range[i])
      end
      self._tempNoise = self.noise:view(n, c, 1, 1)
   elseif nDim == 3 then
      local c = self.output:size(1)
      assert(c == self.inputChannels)
      self.noise:resize(c)
      for i = 1, c do
         self.noise[i] = torch.uniform(-self.range[i], self.range[i])
      end
      self._tempNoise = self.noise:view(c, 1, 1)
   else
      error("Invalid input dimensionality.")
   end
   self._tempNoiseExpanded:expand(self._tempNoise, self.output:size())
   self._tempNoiseSamples:resizeAs(self._tempNoiseExpanded):copy(self._tempNoiseExpanded)
   self.output:add(self._tempNoiseSamples)
   return self.output
end

function SCT:updateGradInput(input, gradOutput)
   if not self.train then error('backprop only defined while training') end
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   return self.gradInput
end

-- as dpnn, type() returns nothing (m:float() is nil; a container's :float() works)
function SCT:type(typename, tensorCache)
   self.noise = nil
   self._tempNoise = nil
   self._tempNoiseExpanded = nil
   self._tempNoiseSamples = nil
   parent.type(self, typename, tensorCache)
end

function SCT:__tostring__()
   return 'SimpleColorTransform'
end
