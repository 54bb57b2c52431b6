local VolumetricFullConvolution, parent =
   torch.class('nn.VolumetricFullConvolution', 'nn.Module')
local THNN = nn.THNN

function VolumetricFullConvolution:__init(nInputPlane, nOutputPlane, kT, kW, kH, dT, dW, dH,
                                          padT, padW, padH, adjT, adjW, adjH)
   parent.__init(self)
   self.nInputPlane = nInputPlane
   self.nOutputPlane = nOutputPlane
   self.kT = kT
   self.kW = kW
   self.kH = kH
   self.dT = dT or 1
   self.dW = dW or 1
   self.dH = dH or 1
   self.padT = padT or 0
   self.padW = padW or 0
   self.padH = padH or 0
   self.adjT = adjT or 0
   self.adjW = adjW or 0
   self.adjH = adjH or 0
   if self.adjW > self.dW - 1 or self.adjH > self.dH - 1 or self.adjT > self.dT - 1 then
      error('adjW, adjH and adjT must be smaller than self.dW - 1,' ..
            ' self.dH - 1 and self.dT - 1 respectively')
   end
   self.weight = torch.Tensor(nInputPlane, nOutputPlane, kT, kH, kW)
   self.gradWeight = torch.Tensor(nInputPlane, nOutputPlane, kT, kH, kW)
   self.bias = torch.Tensor(nOutputPlane)
   self.gradBias = torch.Tensor(nOutputPlane)
   self.ones = torch.Tensor()
   self.finput = torch.Tensor()
   self.fgradInput = torch.Tensor()
   self:reset()
end

function VolumetricFullConvolution:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.kW * self.kH * self.kT * self.nInputPlane)
   end
   self.weight:uniform(-stdv, stdv)
   if self.bias then self.bias:uniform(-stdv, stdv) end
end

function VolumetricFullConvolution:noBias()
   self.bias = nil
   self.gradBias = nil
   return self
end

local function calculateAdj(targetSize, ker, pad, stride)
   return (targetSize + 2 * pad - ker) % stride
end

local function unpackInput(self, input)
   if type(input) == 'table' then
      local target = input[2]
      local d = target:dim()
      return input[1], calculateAdj(target:size(d - 2), self.kT, self.padT, self.dT),
         calculateAdj(target:size(d), self.kW, self.padW, self.dW),
         calculateAdj(target:size(d - 1), self.kH, self.padH, self.dH)
   end
   return input, self.adjT, self.adjW, self.adjH
end

function VolumetricFullConvolution:updateOutput(input)
   local x, adjT, adjW, adjH = unpackInput(self, input)
   self.finput = self.finput or x.new()
   self.fgradInput = self.fgradInput or x.new()
   THNN.VolumetricFullConvolution_updateOutput(x, self.output, self.weight, self.bias,
      self.finput, self.fgradInput, self.kT, self.kW, self.kH, self.dT, self.dW, self.dH,
      self.padT, self.padW, self.padH, adjT, adjW, adjH)
   return self.output
end

function VolumetricFullConvolution:updateGradInput(input, gradOutput)
   if self.gradInput then
      local x, adjT, adjW, adjH = unpackInput(self, input)
      if type(self.gradInput) == 'table' then self.gradInput = self.gradInput[1] end
      THNN.VolumetricFullConvolution_updateGradInput(x, gradOutput, self.gradInput, self.weight,
         self.finput, self.fgradInput, self.kT, self.kW, self.kH, self.dT, self.dW, self.dH,
         self.padT, self.padW, self.padH, adjT, adjW, adjH)
      if type(input) == 'table' then
         self.zeroScalar = self.zeroScalar or input[2].new(1):zero()
         self.ones:resize(input[2]:dim()):fill(1)
         local zero = self.zeroScalar:view((table.unpack or unpack)(self.ones:totable())):expandAs(input[2])
         self.gradInput = {self.gradInput, zero}
      end
      return self.gradInput
   end
end

function VolumetricFullConvolution:accGradParameters(input, gradOutput, scale)
   local x, adjT, adjW, adjH = unpackInput(self, input)
   THNN.VolumetricFullConvolution_accGradParameters(x, gradOutput, self.gradWeight,
      self.gradBias, self.finput, self.fgradInput, self.kT, self.kW, self.kH, self.dT, self.dW,
      self.dH, self.padT, self.padW, self.padH, adjT, adjW, adjH, scale or 1)
end

function VolumetricFullConvolution:type(type, tensorCache)
   self.finput = self.finput and torch.Tensor()
   self.fgradInput = self.fgradInput and torch.Tensor()
   return parent.type(self, type, tensorCache)
end

function VolumetricFullConvolution:clearState()
   nn.utils.clear(self, 'finput', 'fgradInput', '_input', '_gradOutput')
   return parent.clearState(self)
end

function VolumetricFullConvolution:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%dx%d', torch.type(self),
      self.nInputPlane, self.nOutputPlane, self.kT, self.kW, self.kH)
   if self.dT ~= 1 or self.dW ~= 1 or self.dH ~= 1 or
      self.padT ~= 0 or self.padW ~= 0 or self.padH ~= 0 then
      s = s .. string.format(', %d,%d,%d', self.dT, self.dW, self.dH)
   end
   if (self.padT or self.padW or self.padH) and
      (self.padT ~= 0 or self.padW ~= 0 or self.padH ~= 0) then
      s = s .. ', ' .. self.padT .. ',' .. self.padW .. ',' .. self.padH
   end
   if (self.adjT or self.adjW or self.adjH) and
      (self.adjT ~= 0 or self.adjW ~= 0 or self.adjH ~= 0) then
      s = s .. ', ' .. self.adjT .. ',' .. self.adjW .. ',' .. self.adjH
   end
   return s .. ')'
end
