local SpatialDilatedMaxPooling, parent =
   torch.class('nn.SpatialDilatedMaxPooling', 'nn.SpatialMaxPooling')
local THNN = nn.THNN

function SpatialDilatedMaxPooling:__init(kW, kH, dW, dH, padW, padH, dilationW, dilationH)
   parent.__init(self, kW, kH, dW, dH, padW, padH)
   self.dilationW = dilationW or 1
   self.dilationH = dilationH or 1
end

function SpatialDilatedMaxPooling:updateOutput(input)
   local dims = input:dim()
   self.iheight = input:size(dims - 1)
   self.iwidth = input:size(dims)
   THNN.SpatialDilatedMaxPooling_updateOutput(input, self.output, self:_indices(), self.kW,
      self.kH, self.dW, self.dH, self.padW, self.padH, self.dilationW, self.dilationH,
      self.ceil_mode)
   return self.output
end

function SpatialDilatedMaxPooling:updateGradInput(input, gradOutput)
   THNN.SpatialDilatedMaxPooling_updateGradInput(input, gradOutput, self.gradInput,
      self:_indices(), self.kW, self.kH, self.dW, self.dH, self.padW, self.padH, self.dilationW,
      self.dilationH, self.ceil_mode)
   return self.gradInput
end

function SpatialDilatedMaxPooling:__tostring__()
   local s = string.format('%s(%dx%d, %d,%d', torch.type(self), self.kW, self.kH, self.dW,
                           self.dH)
   if (self.padW or self.padH) and (self.padW ~= 0 or self.padH ~= 0) then
      s = s .. ', ' .. self.padW .. ',' .. self.padH
   end
   s = s .. ', ' .. self.dilationW .. ',' .. self.dilationH
   return s .. ')'
end
