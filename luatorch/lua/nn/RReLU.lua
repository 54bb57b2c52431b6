local RReLU, parent = torch.class('nn.RReLU', 'nn.Module')
local THNN = nn.THNN

function RReLU:__init(l, u, ip, cw)
   parent.__init(self)
   self.lower = l or 1 / 8
   self.upper = u or 1 / 3
   assert(self.lower <= self.upper and self.lower >= 0 and self.upper >= 0)
   self.noise = torch.Tensor()
   self.train = true
   self.inplace = ip or false
   self.channelwise = cw or false
end

function RReLU:updateOutput(input)
   THNN.RReLU_updateOutput(input, self.output, self.noise, self.lower, self.upper, self.train,
                           self.inplace, self.channelwise)
   return self.output
end

function RReLU:updateGradInput(input, gradOutput)
   THNN.RReLU_updateGradInput(input, gradOutput, self.gradInput, self.noise, self.lower,
                              self.upper, self.train, self.inplace, self.channelwise)
   return self.gradInput
end

function RReLU:__tostring__()
   return string.format('%s (l:%f, u:%f, channel-wise:%s)', torch.type(self), self.lower,
                        self.upper, self.channelwise)
end

function RReLU:clearState()
   if self.noise then self.noise:set() end
   return parent.clearState(self)
end
