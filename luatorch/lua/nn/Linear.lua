local Linear, parent = torch.class('nn.Linear', 'nn.Module')
local THNN = nn.THNN

function Linear:__init(inputSize, outputSize, bias)
   parent.__init(self)
   bias = bias == nil and true or bias
   self.weight = torch.Tensor(outputSize, inputSize)
   self.gradWeight = torch.Tensor(outputSize, inputSize)
   if bias then
      self.bias = torch.Tensor(outputSize)
      self.gradBias = torch.Tensor(outputSize)
   end
   self:reset()
end

function Linear:noBias()
   self.bias = nil
   self.gradBias = nil
   return self
end

function Linear:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(2))
   end
   self.weight:uniform(-stdv, stdv)
   if self.bias then self.bias:uniform(-stdv, stdv) end
   return self
end

-- Torch's vector of ones for adding the bias to each row of a batch (addr) and summing
-- gradOutput's rows (addmv): kept as a field, as user code and saved files see it
function Linear:updateAddBuffer(input)
   local nframe = input:size(1)
   self.addBuffer = self.addBuffer or input.new()
   if self.addBuffer:nElement() ~= nframe then
      self.addBuffer:resize(nframe):fill(1)
   end
end

function Linear:updateOutput(input)
   if torch.isTensor(input) and input:dim() == 2 then self:updateAddBuffer(input) end
   THNN.Linear_updateOutput(input, self.weight, self.bias, self.output)
   return self.output
end

function Linear:updateGradInput(input, gradOutput)
   if self.gradInput then
      THNN.Linear_updateGradInput(input, gradOutput, self.weight, self.gradInput)
      return self.gradInput
   end
end

function Linear:accGradParameters(input, gradOutput, scale)
   if torch.isTensor(input) and input:dim() == 2 and self.bias then self:updateAddBuffer(input) end
   THNN.Linear_accGradParameters(input, gradOutput, self.gradWeight, self.gradBias, scale or 1)
end

Linear.sharedAccUpdateGradParameters = Linear.accUpdateGradParameters

function Linear:clearState()
   if self.addBuffer then self.addBuffer:set() end
   return parent.clearState(self)
end

function Linear:__tostring__()
   return torch.type(self) ..
      string.format('(%d -> %d)', self.weight:size(2), self.weight:size(1)) ..
      (self.bias == nil and ' without bias' or '')
end
