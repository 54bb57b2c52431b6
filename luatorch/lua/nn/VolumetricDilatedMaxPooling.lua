local VolumetricDilatedMaxPooling, parent =
   torch.class('nn.VolumetricDilatedMaxPooling', 'nn.VolumetricMaxPooling')
local THNN = nn.THNN

function VolumetricDilatedMaxPooling:__init(kT, kW, kH, dT, dW, dH, padT, padW, padH,
                                            dilationT, dilationW, dilationH)
   parent.__init(self, kT, kW, kH, dT, dW, dH, padT, padW, padH)
   self.dilationT = dilationT or 1
   self.dilationW = dilationW or 1
   self.dilationH = dilationH or 1
end

function VolumetricDilatedMaxPooling:updateOutput(input)
   local dims = input:dim()
   self.itime = input:size(dims - 2)
   self.iheight = input:size(dims - 1)
   self.iwidth = input:size(dims)
   if torch.type(self.indices) ~= 'torch.LongTensor' then self.indices = torch.LongTensor() end
   THNN.VolumetricDilatedMaxPooling_updateOutput(input, self.output, self.indices, self.kT,
      self.kW, self.kH, self.dT, self.dW, self.dH, self.padT, self.padW, self.padH,
      self.dilationT, self.dilationW, self.dilationH, self.ceil_mode)
   return self.output
end

function VolumetricDilatedMaxPooling:updateGradInput(input, gradOutput)
   THNN.VolumetricDilatedMaxPooling_updateGradInput(input, gradOutput, self.gradInput,
      self.indices, self.kT, self.kW, self.kH, self.dT, self.dW, self.dH, self.padT, self.padW,
      self.padH, self.dilationT, self.dilationW, self.dilationH, self.ceil_mode)
   return self.gradInput
end

function VolumetricDilatedMaxPooling:clearState()
   if self.indices then self.indices:set() end
   return parent.clearState(self)
end

function VolumetricDilatedMaxPooling:__tostring__()
   local s = string.format('%s(%dx%dx%d, %d,%d,%d', torch.type(self), self.kT, self.kW,
                           self.kH, self.dT, self.dW, self.dH)
   if (self.padT or self.padW or self.padH) and
      (self.padT ~= 0 or self.padW ~= 0 or self.padH ~= 0) then
      s = s .. ', ' .. self.padT .. ',' .. self.padW .. ',' .. self.padH
   end
   s = s .. ', ' .. self.dilationT .. ',' .. self.dilationW .. ',' .. self.dilationH
   return s .. ')'
end
