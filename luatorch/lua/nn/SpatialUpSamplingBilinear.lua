--[[ Bilinear up-sampling of the last two dimensions (corners aligned):
nn.SpatialUpSamplingBilinear(scale) gives (H*scale) x (W*scale);
nn.SpatialUpSamplingBilinear({oheight=h, owidth=w}) gives h x w. ]]
local SpatialUpSamplingBilinear, parent =
   torch.class('nn.SpatialUpSamplingBilinear', 'nn.Module')
local THNN = nn.THNN

function SpatialUpSamplingBilinear:__init(params)
   parent.__init(self)
   self.owidth, self.oheight, self.scale_factor = nil, nil, nil
   if torch.type(params) == 'table' then
      self.owidth, self.oheight = params.owidth, params.oheight
   else
      self.scale_factor = params
      if self.scale_factor < 1 then
         error('scale_factor must be greater than 1')
      end
      if math.floor(self.scale_factor) ~= self.scale_factor then
         error('scale_factor must be integer')
      end
   end
   self.inputSize = torch.LongStorage(4)
   self.outputSize = torch.LongStorage(4)
end

function SpatialUpSamplingBilinear:setSize(input)
   local xdim = input:dim()
   local ydim = xdim - 1
   if self.scale_factor ~= nil then
      return input:size(ydim) * self.scale_factor, input:size(xdim) * self.scale_factor
   end
   return self.oheight, self.owidth
end

function SpatialUpSamplingBilinear:updateOutput(input)
   -- (Torch7 words the forward's check "supports", the backward's "support")
   assert(input:dim() == 4 or input:dim() == 3,
          'SpatialUpSamplingBilinear only supports 3D or 4D tensors')
   local oh, ow = self:setSize(input)
   THNN.SpatialUpSamplingBilinear_updateOutput(input, self.output, oh, ow)
   return self.output
end

function SpatialUpSamplingBilinear:updateGradInput(input, gradOutput)
   assert(input:dim() == 4 or input:dim() == 3,
          'SpatialUpSamplingBilinear only support 3D or 4D tensors')
   assert(input:dim() == gradOutput:dim(),
          'Input and gradOutput should be of same dimension')
   -- Torch7's kernel checks gradOutput, viewed 4-D as the input, against the batch, planes and
   -- output sizes in that order (THNN_CHECK_DIM_SIZE)
   local oh, ow = self:setSize(input)
   local b = input:dim() - 3
   local want = {b == 1 and input:size(1) or 1, input:size(b + 1), oh, ow}
   local have = gradOutput:size():totable()
   if b == 0 then table.insert(have, 1, 1) end
   for i = 1, 4 do
      if have[i] ~= want[i] then
         error(string.format('Need gradOutput of dimension 4 and gradOutput.size[%d] == %d but '
            .. 'got gradOutput to be of shape: [%s]', i - 1, want[i], table.concat(have, ' x ')))
      end
   end
   THNN.SpatialUpSamplingBilinear_updateGradInput(input, gradOutput, self.gradInput)
   return self.gradInput
end

function SpatialUpSamplingBilinear:__tostring__()
   if self.scale_factor ~= nil then
      return string.format('%s(%d)', torch.type(self), self.scale_factor)
   end
   return string.format('%s(%d, %d)', torch.type(self), self.oheight, self.owidth)
end
