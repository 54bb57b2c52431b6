-- component-wise addition of a learnable bias of the given size (broadcast over a batch)
local CAdd, parent = torch.class('nn.CAdd', 'nn.Module')
local THNN = nn.THNN

function CAdd:__init(...)
   parent.__init(self)
   local arg = {...}
   self.size = torch.LongStorage()
   local n = #arg
   if n == 1 and torch.type(arg[1]) == 'torch.LongStorage' then
      self.size:resize(#arg[1]):copy(arg[1])
   else
      self.size:resize(n)
      for i = 1, n do self.size[i] = arg[i] end
   end
   self.bias = torch.Tensor(self.size)
   self.gradBias = torch.Tensor(self.size)
   self.output:resize(self.size)
   self:reset()
end

function CAdd:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1.0 / math.sqrt(self.bias:nElement())
   end
   self.bias:uniform(-stdv, stdv)
end

function CAdd:updateOutput(input)
   THNN.CAdd_updateOutput(input, self.bias, self.output)
   return self.output
end

function CAdd:updateGradInput(input, gradOutput)
   self.gradInput = self.gradInput or input.new()
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   return self.gradInput
end

function CAdd:accGradParameters(input, gradOutput, scale)
   THNN.CAdd_accGradParameters(input, gradOutput, self.gradBias, scale or 1)
end
