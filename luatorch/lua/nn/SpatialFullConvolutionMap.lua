local SpatialFullConvolutionMap, parent =
   torch.class('nn.SpatialFullConvolutionMap', 'nn.Module')
local THNN = nn.THNN

function SpatialFullConvolutionMap:__init(conMatrix, kW, kH, dW, dH)
   parent.__init(self)
   self.kW = kW
   self.kH = kH
   self.dW = dW or 1
   self.dH = dH or 1
   self.connTable = conMatrix
   self.nInputPlane = self.connTable:select(2, 1):max()
   self.nOutputPlane = self.connTable:select(2, 2):max()
   self.weight = torch.Tensor(self.connTable:size(1), kH, kW)
   self.gradWeight = torch.Tensor(self.connTable:size(1), kH, kW)
   self.bias = torch.Tensor(self.nOutputPlane)
   self.gradBias = torch.Tensor(self.nOutputPlane)
   self:reset()
end

-- without stdv, each kernel's range follows the fan-in of its output plane; kernels are drawn
-- in table order, then the biases. As in Torch, every value is a torch.uniform (a double,
-- rounded to the tensor's type: for floats not the same as tensor:uniform's)
local function drawEach(t, stdv)
   t:apply(function() return torch.uniform(-stdv, stdv) end)
end

function SpatialFullConvolutionMap:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
      drawEach(self.weight, stdv)
      drawEach(self.bias, stdv)
   else
      local fanin = torch.Tensor(self.nOutputPlane):zero()
      for i = 1, self.connTable:size(1) do
         local o = self.connTable[i][2]
         fanin[o] = fanin[o] + 1
      end
      for k = 1, self.connTable:size(1) do
         stdv = 1 / math.sqrt(self.kW * self.kH * fanin[self.connTable[k][2]])
         drawEach(self.weight:select(1, k), stdv)
      end
      for k = 1, self.bias:size(1) do
         stdv = 1 / math.sqrt(self.kW * self.kH * fanin[k])
         self.bias[k] = torch.uniform(-stdv, stdv)
      end
   end
end

function SpatialFullConvolutionMap:updateOutput(input)
   THNN.SpatialFullConvolutionMap_updateOutput(input, self.output, self.weight, self.bias,
      self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH)
   return self.output
end

function SpatialFullConvolutionMap:updateGradInput(input, gradOutput)
   THNN.SpatialFullConvolutionMap_updateGradInput(input, gradOutput, self.gradInput,
      self.weight, self.bias, self.connTable, self.nInputPlane, self.nOutputPlane, self.dW,
      self.dH)
   return self.gradInput
end

function SpatialFullConvolutionMap:accGradParameters(input, gradOutput, scale)
   THNN.SpatialFullConvolutionMap_accGradParameters(input, gradOutput, self.gradWeight,
      self.gradBias, self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH,
      scale or 1)
end
