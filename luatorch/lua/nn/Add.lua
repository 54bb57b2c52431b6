-- adds a learnable bias (a vector of inputSize, or one scalar when scalar is true)
local Add, parent = torch.class('nn.Add', 'nn.Module')
local THNN = nn.THNN

function Add:__init(inputSize, scalar)
   parent.__init(self)
   local size = inputSize
   if scalar then size = 1 end
   self.scalar = scalar
   self.bias = torch.Tensor(size)
   self.gradBias = torch.Tensor(size)
   self._ones = torch.Tensor{1}
   self:reset()
end

function Add:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.bias:size(1))
   end
   self.bias:uniform(-stdv, stdv)
end

function Add:updateOutput(input)
   THNN.Add_updateOutput(input, self.bias, self.output, self.scalar and true or false)
   return self.output
end

function Add:updateGradInput(input, gradOutput)
   if self.gradInput then
      self.gradInput:resizeAs(gradOutput):copy(gradOutput)
      return self.gradInput
   end
end

function Add:accGradParameters(input, gradOutput, scale)
   THNN.Add_accGradParameters(input, gradOutput, self.gradBias, scale or 1)
end
