-- Up-samples the last 2 (4D input: batch x planes x h x w) or 3 (5D input) dimensions, by
-- nearest neighbour (an integer scale_factor) or linear interpolation with aligned corners
-- (mode 'linear', 'bilinear' or 'trilinear'; a scale_factor, or a table {odepth, oheight,
-- owidth} of output sizes).
local UpSampling, parent = torch.class('nn.UpSampling', 'nn.Module')
local THNN = nn.THNN

function UpSampling:__init(params, mode)
   parent.__init(self)
   if mode == 'linear' or mode == 'bilinear' or mode == 'trilinear' then
      self.mode = 'linear'
   else
      self.mode = 'nearest'
   end
   if torch.type(params) == 'table' then
      if self.mode == 'nearest' then
         error('Nearest neighbour upsampling requires a scale_factor')
      end
      self.odepth, self.owidth, self.oheight = params.odepth, params.owidth, params.oheight
      if self.owidth == nil or self.oheight == nil then
         error('Output height and width parameters are required')
      end
   else
      self.scale_factor = params
      if self.scale_factor < 1 then
         error('scale_factor must be greater than 1')
      end
      if math.floor(self.scale_factor) ~= self.scale_factor then
         error('scale_factor must be integer')
      end
   end
   self.inputSize = torch.LongStorage(5):fill(0)
   self.outputSize = torch.LongStorage(5):fill(0)
end

-- fills inputSize and outputSize for this input
function UpSampling:setSize(input)
   local xdim = input:dim()
   local ydim = xdim - 1
   local zdim = xdim > 4 and xdim - 2 or nil
   for i = 1, xdim do
      self.inputSize[i] = input:size(i)
      self.outputSize[i] = input:size(i)
   end
   if self.scale_factor then
      for d = zdim or ydim, xdim do
         self.outputSize[d] = self.outputSize[d] * self.scale_factor
      end
   else
      if zdim then
         if self.odepth == nil then
            error('No output depth dimension was supplied for volumetric upsampling')
         end
         self.outputSize[zdim] = self.odepth
      end
      self.outputSize[ydim] = self.oheight
      self.outputSize[xdim] = self.owidth
   end
end

local function checkDim(input)
   local nDim = input:dim()
   if nDim < 4 or nDim > 5 then
      error('UpSampling only supports 4D or 5D tensors')
   end
   return nDim
end

function UpSampling:updateOutput(input)
   local nDim = checkDim(input)
   self:setSize(input)
   local size = self.outputSize
   THNN.UpSampling_updateOutput(input, self.output, self.scale_factor or 0,
                                self.mode == 'linear', size[nDim - 2], size[nDim - 1], size[nDim])
   return self.output
end

function UpSampling:updateGradInput(input, gradOutput)
   local nDim = checkDim(input)
   if nDim ~= gradOutput:dim() then
      error('Input and gradOutput should be of same dimension')
   end
   THNN.UpSampling_updateGradInput(input, gradOutput, self.gradInput, self.scale_factor or 0,
                                   self.mode == 'linear')
   return self.gradInput
end

function UpSampling:__tostring__()
   if self.scale_factor then
      return string.format('%s(%dx, %s)', torch.type(self), self.scale_factor, self.mode)
   elseif self.odepth then
      return string.format('%s(%dx%dx%d, %s)', torch.type(self), self.odepth, self.oheight,
                           self.owidth, self.mode)
   end
   return string.format('%s(%dx%d, %s)', torch.type(self), self.oheight, self.owidth, self.mode)
end
