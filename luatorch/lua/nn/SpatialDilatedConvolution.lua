local SpatialDilatedConvolution, parent =
   torch.class('nn.SpatialDilatedConvolution', 'nn.SpatialConvolution')
local THNN = nn.THNN

function SpatialDilatedConvolution:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH,
                                          dilationW, dilationH)
   parent.__init(self, nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
   self.dilationW = dilationW or 1
   self.dilationH = dilationH or 1
end

local function buffers(self)
   self.finput = self.finput or self.weight.new()
   self.fgradInput = self.fgradInput or self.weight.new()
end

function SpatialDilatedConvolution:updateOutput(input)
   buffers(self)
   THNN.SpatialDilatedConvolution_updateOutput(input, self.output, self.weight, self.bias,
      self.finput, self.fgradInput, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH,
      self.dilationW, self.dilationH)
   return self.output
end

function SpatialDilatedConvolution:updateGradInput(input, gradOutput)
   if self.gradInput then
      buffers(self)
      THNN.SpatialDilatedConvolution_updateGradInput(input, gradOutput, self.gradInput,
         self.weight, self.finput, self.fgradInput, self.kW, self.kH, self.dW, self.dH,
         self.padW, self.padH, self.dilationW, self.dilationH)
      return self.gradInput
   end
end

function SpatialDilatedConvolution:accGradParameters(input, gradOutput, scale)
   buffers(self)
   THNN.SpatialDilatedConvolution_accGradParameters(input, gradOutput, self.gradWeight,
      self.gradBias, self.finput, self.fgradInput, self.kW, self.kH, self.dW, self.dH,
      self.padW, self.padH, self.dilationW, self.dilationH, scale or 1)
end

function SpatialDilatedConvolution:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%d', torch.type(self),
      self.nInputPlane, self.nOutputPlane, self.kW, self.kH)
   if self.dW ~= 1 or self.dH ~= 1 or self.padW ~= 0 or self.padH ~= 0 then
      s = s .. string.format(', %d,%d', self.dW, self.dH)
   end
   if (self.padW or self.padH) and (self.padW ~= 0 or self.padH ~= 0) then
      s = s .. ', ' .. self.padW .. ',' .. self.padH
   end
   s = s .. ', ' .. self.dilationW .. ',' .. self.dilationH
   if self.bias then
      return s .. ')'
   else
      return s .. ') without bias'
   end
end
