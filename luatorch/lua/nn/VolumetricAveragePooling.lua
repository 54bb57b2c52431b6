local VolumetricAveragePooling, parent = torch.class('nn.VolumetricAveragePooling', 'nn.Module')
local THNN = nn.THNN

function VolumetricAveragePooling:__init(kT, kW, kH, dT, dW, dH, padT, padW, padH)
   parent.__init(self)
   dT = dT or kT
   dW = dW or kW
   dH = dH or kH
   self.kT = kT
   self.kH = kH
   self.kW = kW
   self.dT = dT
   self.dW = dW
   self.dH = dH
   self.padT = padT or 0
   self.padW = padW or 0
   self.padH = padH or 0
   self.ceil_mode = false
   self.count_include_pad = true
end

function VolumetricAveragePooling:ceil()
   self.ceil_mode = true
   return self
end

function VolumetricAveragePooling:floor()
   self.ceil_mode = false
   return self
end

function VolumetricAveragePooling:setCountIncludePad()
   self.count_include_pad = true
   return self
end

function VolumetricAveragePooling:setCountExcludePad()
   self.count_include_pad = false
   return self
end

local function backwardCompatible(self)
   if self.ceil_mode == nil then
      self.ceil_mode = false
      self.count_include_pad = true
      self.padT, self.padH, self.padW = 0, 0, 0
   end
end

function VolumetricAveragePooling:updateOutput(input)
   backwardCompatible(self)
   THNN.VolumetricAveragePooling_updateOutput(input, self.output, self.kT, self.kW, self.kH,
      self.dT, self.dW, self.dH, self.padT, self.padW, self.padH, self.ceil_mode,
      self.count_include_pad)
   return self.output
end

function VolumetricAveragePooling:updateGradInput(input, gradOutput)
   THNN.VolumetricAveragePooling_updateGradInput(input, gradOutput, self.gradInput, self.kT,
      self.kW, self.kH, self.dT, self.dW, self.dH, self.padT, self.padW, self.padH,
      self.ceil_mode, self.count_include_pad)
   return self.gradInput
end

function VolumetricAveragePooling:__tostring__()
   local s = string.format('%s(%dx%dx%d, %d,%d,%d', torch.type(self), self.kT, self.kW,
                           self.kH, self.dT, self.dW, self.dH)
   if (self.padT or self.padW or self.padH) and
      (self.padT ~= 0 or self.padW ~= 0 or self.padH ~= 0) then
      s = s .. ', ' .. self.padT .. ',' .. self.padW .. ',' .. self.padH
   end
   return s .. ')'
end
