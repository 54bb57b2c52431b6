-- The glimpse sensor of the recurrent attention model (Mnih et al. 2014): input is
-- {images, locations}, locations (y, x) in [-1, 1]; for each image, depth patches centred on
-- the location, each scale times larger than the previous (size x size first; the image is
-- zero-padded), all reduced to size x size (average pooling for scale 2, nnx's
-- SpatialReSampling otherwise) and stacked on the planes. No gradient reaches the locations.
local SpatialGlimpse, parent = torch.class('nn.SpatialGlimpse', 'nn.Module')

function SpatialGlimpse:__init(size, depth, scale)
   if torch.type(size) == 'table' then
      self.height, self.width = size[1], size[2]
   else
      self.width, self.height = size, size
   end
   self.depth = depth or 3
   self.scale = scale or 2
   assert(torch.type(self.width) == 'number')
   assert(torch.type(self.height) == 'number')
   assert(torch.type(self.depth) == 'number')
   assert(torch.type(self.scale) == 'number')
   parent.__init(self)
   self.gradInput = {torch.Tensor(), torch.Tensor()}
   if self.scale == 2 then
      self.module = nn.SpatialAveragePooling(2, 2, 2, 2)
   else
      dpnn.require('nnx')
      self.module = nn.SpatialReSampling{oheight = self.height, owidth = self.width}
   end
   self.modules = {self.module}
end

-- for each depth: the patch's size, and the zero-padding that centres it
local function eachDepth(self, f)
   local w, h = math.floor(self.width), math.floor(self.height)
   for depth = 1, self.depth do
      if depth > 1 then
         w, h = math.floor(w * self.scale), math.floor(h * self.scale)
      end
      f(depth, w, h, math.floor((w - 1) / 2), math.floor((h - 1) / 2))
   end
end

-- the top-left corner (0-based) of the patch in the padded image
local function corner(pad, yx, w, h)
   local y, x = (yx[1] + 1) / 2, (yx[2] + 1) / 2
   local H, W = pad:size(2) - h, pad:size(3) - w
   return math.floor(math.min(H, math.max(0, y * H))), math.floor(math.min(W, math.max(0, x * W)))
end

-- configure average pooling to reduce a w x h patch to the glimpse size
local function setPooling(self, w, h)
   if torch.type(self.module) == 'nn.SpatialAveragePooling' then
      local pw, ph = w / self.width, h / self.height
      assert(pw % 2 == 0)
      assert(ph % 2 == 0)
      self.module.kW, self.module.kH, self.module.dW, self.module.dH = pw, ph, pw, ph
   end
end

function SpatialGlimpse:updateOutput(inputTable)
   assert(torch.type(inputTable) == 'table')
   assert(#inputTable >= 2)
   local input, location = unpack(inputTable)
   input, location = self:toBatch(input, 3), self:toBatch(location, 1)
   assert(input:dim() == 4 and location:dim() == 2)
   local C, iH, iW = input:size(2), input:size(3), input:size(4)
   self.output:resize(input:size(1), self.depth, C, self.height, self.width)
   self._crop = self._crop or self.output.new()
   self._pad = self._pad or input.new()
   for s = 1, input:size(1) do
      local yx = {location[s][1], location[s][2]}
      eachDepth(self, function(depth, w, h, padW, padH)
         local pad = self._pad:resize(C, iH + padH * 2, iW + padW * 2):zero()
         pad:narrow(2, padH + 1, iH):narrow(3, padW + 1, iW):copy(input[s])
         local y, x = corner(pad, yx, w, h)
         local patch = pad:narrow(2, y + 1, h):narrow(3, x + 1, w)
         local dst = self.output[s][depth]
         if depth == 1 then
            dst:copy(patch)
         else
            self._crop:resize(C, h, w):copy(patch)
            setPooling(self, w, h)
            dst:copy(self.module:updateOutput(self._crop))
         end
      end)
   end
   self.output:resize(input:size(1), self.depth * C, self.height, self.width)
   self.output = self:fromBatch(self.output, 1)
   return self.output
end

function SpatialGlimpse:updateGradInput(inputTable, gradOutput)
   local input, location = unpack(inputTable)
   if #self.gradInput ~= 2 then self.gradInput = {input.new(), input.new()} end
   local gradInput, gradLocation = unpack(self.gradInput)
   input, location = self:toBatch(input, 3), self:toBatch(location, 1)
   gradOutput = self:toBatch(gradOutput, 3)
   local C, iH, iW = input:size(2), input:size(3), input:size(4)
   gradInput:resizeAs(input):zero()
   gradLocation:resizeAs(location):zero()
   gradOutput = gradOutput:view(input:size(1), self.depth, C, self.height, self.width)
   for s = 1, input:size(1) do
      local yx = {location[s][1], location[s][2]}
      eachDepth(self, function(depth, w, h, padW, padH)
         local pad = self._pad:resize(C, iH + padH * 2, iW + padW * 2):zero()
         local y, x = corner(pad, yx, w, h)
         local patch = pad:narrow(2, y + 1, h):narrow(3, x + 1, w)
         local src = gradOutput[s][depth]
         if depth == 1 then
            patch:copy(src)
         else
            self._crop:resize(C, h, w)
            setPooling(self, w, h)
            patch:copy(self.module:updateGradInput(self._crop, src))
         end
         gradInput[s]:add(pad:narrow(2, padH + 1, iH):narrow(3, padW + 1, iW))
      end)
   end
   self.gradInput[1] = self:fromBatch(gradInput, 1)
   self.gradInput[2] = self:fromBatch(gradLocation, 1)
   return self.gradInput
end
