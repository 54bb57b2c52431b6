local SpatialFullConvolution, parent = torch.class('nn.SpatialFullConvolution', 'nn.Module')
local THNN = nn.THNN

function SpatialFullConvolution:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH,
                                       adjW, adjH)
   parent.__init(self)
   dW = dW or 1
   dH = dH or 1
   self.nInputPlane = nInputPlane
   self.nOutputPlane = nOutputPlane
   self.kW = kW
   self.kH = kH
   self.dW = dW
   self.dH = dH
   self.padW = padW or 0
   self.padH = padH or 0
   self.adjW = adjW or 0
   self.adjH = adjH or 0
   if self.adjW > self.dW - 1 or self.adjH > self.dH - 1 then
      error('adjW and adjH must be smaller than self.dW - 1' ..
            ' and self.dH - 1 respectively')
   end
   self.weight = torch.Tensor(nInputPlane, nOutputPlane, kH, kW)
   self.gradWeight = torch.Tensor(nInputPlane, nOutputPlane, kH, kW)
   self.bias = torch.Tensor(self.nOutputPlane)
   self.gradBias = torch.Tensor(self.nOutputPlane)
   self.ones = torch.Tensor()
   self:reset()
end

function SpatialFullConvolution:noBias()
   self.bias = nil
   self.gradBias = nil
   return self
end

function SpatialFullConvolution:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.kW * self.kH * self.nInputPlane)
   end
   self.weight:uniform(-stdv, stdv)
   if self.bias then self.bias:uniform(-stdv, stdv) end
end

local function calculateAdj(targetSize, ker, pad, stride)
   return (targetSize + 2 * pad - ker) % stride
end

-- the input may be {tensor, target}: the target's size fixes the adj factors
local function unpackInput(self, input)
   self.adjW = self.adjW or 0
   self.adjH = self.adjH or 0
   if type(input) == 'table' then
      local target = input[2]
      local tDims = target:dim()
      return input[1], calculateAdj(target:size(tDims), self.kW, self.padW, self.dW),
         calculateAdj(target:size(tDims - 1), self.kH, self.padH, self.dH)
   end
   return input, self.adjW, self.adjH
end

function SpatialFullConvolution:updateOutput(input)
   local x, adjW, adjH = unpackInput(self, input)
   self.finput = self.finput or x.new()
   self.fgradInput = self.fgradInput or x.new()
   THNN.SpatialFullConvolution_updateOutput(x, self.output, self.weight, self.bias, self.finput,
      self.fgradInput, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH, adjW, adjH)
   return self.output
end

function SpatialFullConvolution:updateGradInput(input, gradOutput)
   if self.gradInput then
      local x, adjW, adjH = unpackInput(self, input)
      if type(self.gradInput) == 'table' then self.gradInput = self.gradInput[1] end
      THNN.SpatialFullConvolution_updateGradInput(x, gradOutput, self.gradInput, self.weight,
         self.fgradInput, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH, adjW, adjH)
      if type(input) == 'table' then
         -- the target gets a zero gradient
         self.zeroScalar = self.zeroScalar or input[2].new(1):zero()
         self.ones:resize(input[2]:dim()):fill(1)
         local zero = self.zeroScalar:view((table.unpack or unpack)(self.ones:totable())):expandAs(input[2])
         self.gradInput = {self.gradInput, zero}
      end
      return self.gradInput
   end
end

function SpatialFullConvolution:accGradParameters(input, gradOutput, scale)
   local x, adjW, adjH = unpackInput(self, input)
   THNN.SpatialFullConvolution_accGradParameters(x, gradOutput, self.gradWeight, self.gradBias,
      self.finput, self.fgradInput, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH,
      adjW, adjH, scale or 1)
end

function SpatialFullConvolution:type(type, tensorCache)
   self.finput = self.finput and torch.Tensor()
   self.fgradInput = self.fgradInput and torch.Tensor()
   return parent.type(self, type, tensorCache)
end

function SpatialFullConvolution:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%d', torch.type(self),
      self.nInputPlane, self.nOutputPlane, self.kW, self.kH)
   if self.dW ~= 1 or self.dH ~= 1 or self.padW ~= 0 or self.padH ~= 0 then
      s = s .. string.format(', %d,%d', self.dW, self.dH)
   end
   if (self.padW or self.padH) and (self.padW ~= 0 or self.padH ~= 0) then
      s = s .. ', ' .. self.padW .. ',' .. self.padH
   end
   if (self.adjW or self.adjH) and (self.adjW ~= 0 or self.adjH ~= 0) then
      s = s .. ', ' .. self.adjW .. ',' .. self.adjH
   end
   if self.bias then
      return s .. ')'
   else
      return s .. ') without bias'
   end
end

function SpatialFullConvolution:clearState()
   nn.utils.clear(self, 'finput', 'fgradInput', '_input', '_gradOutput')
   return parent.clearState(self)
end
