local TemporalConvolution, parent = torch.class('nn.TemporalConvolution', 'nn.Module')
local THNN = nn.THNN

function TemporalConvolution:__init(inputFrameSize, outputFrameSize, kW, dW)
   parent.__init(self)
   dW = dW or 1
   self.inputFrameSize = inputFrameSize
   self.outputFrameSize = outputFrameSize
   self.kW = kW
   self.dW = dW
   self.weight = torch.Tensor(outputFrameSize, inputFrameSize * kW)
   self.bias = torch.Tensor(outputFrameSize)
   self.gradWeight = torch.Tensor(outputFrameSize, inputFrameSize * kW)
   self.gradBias = torch.Tensor(outputFrameSize)
   self:reset()
end

function TemporalConvolution:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.kW * self.inputFrameSize)
   end
   self.weight:uniform(-stdv, stdv)
   self.bias:uniform(-stdv, stdv)
end

function TemporalConvolution:updateOutput(input)
   THNN.TemporalConvolution_updateOutput(input, self.output, self.weight, self.bias, self.kW,
      self.dW, self.inputFrameSize, self.outputFrameSize)
   return self.output
end

function TemporalConvolution:updateGradInput(input, gradOutput)
   if self.gradInput then
      THNN.TemporalConvolution_updateGradInput(input, gradOutput, self.gradInput, self.weight,
         self.kW, self.dW)
      return self.gradInput
   end
end

function TemporalConvolution:accGradParameters(input, gradOutput, scale)
   THNN.TemporalConvolution_accGradParameters(input, gradOutput, self.gradWeight, self.gradBias,
      self.kW, self.dW, scale or 1)
end

-- Torch's alias: the generic swap of gradient buffers for weights
TemporalConvolution.sharedAccUpdateGradParameters = TemporalConvolution.accUpdateGradParameters
