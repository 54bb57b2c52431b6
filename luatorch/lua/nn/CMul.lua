-- component-wise multiplication by a learnable weight of the given size (broadcast over a batch)
local CMul, parent = torch.class('nn.CMul', 'nn.Module')
local THNN = nn.THNN

function CMul:__init(...)
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
   self.weight = torch.Tensor(self.size)
   self.gradWeight = torch.Tensor(self.size)
   self.output:resize(self.size)
   self:reset()
end

function CMul:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:nElement())
   end
   self.weight:uniform(-stdv, stdv)
end

function CMul:updateOutput(input)
   THNN.CMul_updateOutput(input, self.weight, self.output)
   return self.output
end

function CMul:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   THNN.CMul_updateGradInput(input, gradOutput, self.weight, self.gradInput)
   return self.gradInput
end

function CMul:accGradParameters(input, gradOutput, scale)
   THNN.CMul_accGradParameters(input, gradOutput, self.gradWeight, scale or 1)
end
