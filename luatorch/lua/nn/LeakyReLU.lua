local LeakyReLU, parent = torch.class('nn.LeakyReLU', 'nn.Module')
local THNN = nn.THNN

function LeakyReLU:__init(negval, ip)
   parent.__init(self)
   self.negval = negval or (1 / 100)
   if (negval and type(negval) ~= 'number') then
      error('nn.LeakyReLU(value)')
   end
   -- default for inplace is false
   self.inplace = ip or false
   if (ip and type(ip) ~= 'boolean') then
      error('in-place flag must be boolean')
   end
end

function LeakyReLU:updateOutput(input)
   THNN.LeakyReLU_updateOutput(input, self.output, self.negval, self.inplace)
   return self.output
end

function LeakyReLU:updateGradInput(input, gradOutput)
   THNN.LeakyReLU_updateGradInput(input, gradOutput, self.gradInput, self.negval, self.inplace)
   return self.gradInput
end

function LeakyReLU:__tostring__()
   return torch.type(self) .. string.format('(%g)', self.negval)
end
