-- Outputs a constant (a number or a tensor) whatever the input. With nInputDim, an input of more
-- dimensions is a batch and the constant is repeated along its first dimension.
local Constant, parent = torch.class('nn.Constant', 'nn.Module')

function Constant:__init(value, nInputDim)
   if type(value) == 'number' then
      value = torch.Tensor{value}
   end
   assert(torch.isTensor(value), 'Expecting number or tensor at arg 1')
   self.value = value
   self.nInputDim = nInputDim
   parent.__init(self)
end

function Constant:updateOutput(input)
   if self.nInputDim and input:dim() > self.nInputDim then
      local size = self.value:size():totable()
      self.output:resize(input:size(1), table.unpack(size))
      local row = self.value:view(1, table.unpack(size))
      self.output:copy(row:expand(self.output:size()))
   else
      self.output:resize(self.value:size()):copy(self.value)
   end
   return self.output
end

function Constant:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):zero()
   return self.gradInput
end
