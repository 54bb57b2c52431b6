-- Crops oheight x owidth patches of images (nfeat x h x w or a batch): at uniformly random
-- positions while training (kept in self.coord for backward), the centre while evaluating.
-- With scale = {min, max}, the patch is scaled by a random factor and resampled (needs nnx's
-- nn.SpatialReSampling).
local SpatialUniformCrop, parent = torch.class('nn.SpatialUniformCrop', 'nn.Module')

function SpatialUniformCrop:__init(oheight, owidth, scale)
   parent.__init(self)
   self.scale = scale
   if scale ~= nil then
      assert(torch.type(scale) == 'table')
      dpnn.require('nnx')
      self.scaler = nn.SpatialReSampling{owidth = owidth, oheight = oheight}
   end
   self.oheight = oheight
   self.owidth = owidth or oheight
end

-- the top-left corner of sample i's scaled crop, and its size
local function scaledCrop(self, iH, iW, s, h, w)
   local sh, sw = math.ceil(s * self.oheight), math.ceil(s * self.owidth)
   local ch = math.ceil(iH / 2 - (iH - sh) / 2 + h)
   local cw = math.ceil(iW / 2 - (iH - sw) / 2 + w)
   return math.max(1, ch - math.ceil(sh / 2)), math.max(1, cw - math.ceil(sw / 2)), sh, sw
end

function SpatialUniformCrop:updateOutput(input)
   input = self:toBatch(input, 3)
   local N, iH, iW = input:size(1), input:size(3), input:size(4)
   self.output:resize(N, input:size(2), self.oheight, self.owidth)
   self.coord = self.coord or torch.IntTensor()
   self.coord:resize(N, 2)
   if self.scale ~= nil then
      self.scales = self.scales or torch.FloatTensor()
      self.scales:resize(N)
   end
   if self.train ~= false then
      for i = 1, N do
         if self.scale ~= nil then
            local s = torch.uniform(self.scale.min or self.scale[1], self.scale.max or self.scale[2])
            local h = math.ceil(torch.uniform(1e-2, iH - math.ceil(s * self.oheight)))
            local w = math.ceil(torch.uniform(1e-2, iW - math.ceil(s * self.owidth)))
            local h1, w1, sh, sw = scaledCrop(self, iH, iW, s, h, w)
            local crop = input[i]:narrow(2, h1, sh):narrow(3, w1, sw)
            self.output[i]:copy(self.scaler:forward(crop))
            self.scales[i] = s
            self.coord[i][1], self.coord[i][2] = h, w
         else
            local h1 = math.ceil(torch.uniform(1e-2, iH - self.oheight))
            local w1 = math.ceil(torch.uniform(1e-2, iW - self.owidth))
            self.output[i]:copy(input[i]:narrow(2, h1, self.oheight):narrow(3, w1, self.owidth))
            self.coord[i][1], self.coord[i][2] = h1, w1
         end
      end
   else
      local h1 = math.ceil((iH - self.oheight) / 2)
      local w1 = math.ceil((iW - self.owidth) / 2)
      self.output:copy(input:narrow(3, h1, self.oheight):narrow(4, w1, self.owidth))
   end
   self.output = self:fromBatch(self.output, 1)
   return self.output
end

function SpatialUniformCrop:updateGradInput(input, gradOutput)
   input, gradOutput = self:toBatch(input, 3), self:toBatch(gradOutput, 3)
   self.gradInput:resizeAs(input):zero()
   local iH, iW = input:size(3), input:size(4)
   for i = 1, input:size(1) do
      local h, w = self.coord[i][1], self.coord[i][2]
      if self.scale ~= nil then
         local h1, w1, sh, sw = scaledCrop(self, iH, iW, self.scales[i], h, w)
         local crop = input[i]:narrow(2, h1, sh):narrow(3, w1, sw)
         self.gradInput[i]:narrow(2, h1, sh):narrow(3, w1, sw)
            :copy(self.scaler:updateGradInput(crop, gradOutput[i]))
      else
         self.gradInput[i]:narrow(2, h, self.oheight):narrow(3, w, self.owidth):copy(gradOutput[i])
      end
   end
   self.gradInput = self:fromBatch(self.gradInput, 1)
   return self.gradInput
end

function SpatialUniformCrop:type(typename, cache)
   self.coord = nil
   return parent.type(self, typename, cache)
end
