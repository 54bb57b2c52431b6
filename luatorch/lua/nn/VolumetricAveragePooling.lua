-- average over kT x kH x kW windows of a (C, T, H, W) or (B, C, T, H, W) input. As in Torch7's
-- nn, the module has no padding or ceil mode (its THNN kernel is called with pads 0, floor mode
-- and count_include_pad), and only the window fields.
local VolumetricAveragePooling, parent = torch.class('nn.VolumetricAveragePooling', 'nn.Module')
local THNN = nn.THNN

function VolumetricAveragePooling:__init(kT, kW, kH, dT, dW, dH)
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
end

function VolumetricAveragePooling:updateOutput(input)
   THNN.VolumetricAveragePooling_updateOutput(input, self.output, self.kT, self.kW, self.kH,
      self.dT, self.dW, self.dH, 0, 0, 0, false, true)
   return self.output
end

function VolumetricAveragePooling:updateGradInput(input, gradOutput)
   THNN.VolumetricAveragePooling_updateGradInput(input, gradOutput, self.gradInput, self.kT,
      self.kW, self.kH, self.dT, self.dW, self.dH, 0, 0, 0, false, true)
   return self.gradInput
end

function VolumetricAveragePooling:empty()
   return parent.clearState(self)
end

-- pads show only on a module that has them (one loaded from a file written elsewhere)
function VolumetricAveragePooling:__tostring__()
   local s = string.format('%s(%dx%dx%d, %d,%d,%d', torch.type(self), self.kT, self.kW, self.kH,
                           self.dT, self.dW, self.dH)
   if (self.padT or self.padW or self.padH) and
      (self.padT ~= 0 or self.padW ~= 0 or self.padH ~= 0) then
      s = s .. ', ' .. self.padT .. ',' .. self.padW .. ',' .. self.padH
   end
   return s .. ')'
end
