local PReLU, parent = torch.class('nn.PReLU', 'nn.Module')
local THNN = nn.THNN

function PReLU:__init(nOutputPlane)
   parent.__init(self)
   -- without an argument the slope is one shared scalar
   self.nOutputPlane = nOutputPlane or 0
   self.weight = torch.Tensor(nOutputPlane or 1):fill(0.25)
   self.gradWeight = torch.Tensor(nOutputPlane or 1)
end

function PReLU:updateOutput(input)
   THNN.PReLU_updateOutput(input, self.output, self.weight, self.nOutputPlane)
   return self.output
end

function PReLU:updateGradInput(input, gradOutput)
   THNN.PReLU_updateGradInput(input, gradOutput, self.gradInput, self.weight, self.nOutputPlane)
   return self.gradInput
end

function PReLU:accGradParameters(input, gradOutput, scale)
   -- Torch allocates these working buffers here (its kernel leaves them empty)
   self.gradWeightBuf = self.gradWeightBuf or input.new()
   self.gradWeightBuf2 = self.gradWeightBuf2 or input.new()
   THNN.PReLU_accGradParameters(input, gradOutput, self.gradWeight, self.nOutputPlane,
                                scale or 1)
   return self.gradWeight
end

function PReLU:clearState()
   nn.utils.clear(self, 'gradWeightBuf', 'gradWeightBuf2')
   return parent.clearState(self)
end
