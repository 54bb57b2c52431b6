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
   -- an extension of later nn versions: one noise value per plane; kept as a field only when
   -- asked for, so that a Torch7 RReLU's fields (pairs, saved files) are its own
   if cw then self.channelwise = true end
end

function RReLU:updateOutput(input)
   THNN.RReLU_updateOutput(input, self.output, self.noise, self.lower, self.upper, self.train,
                           self.inplace, self.channelwise or false)
   return self.output
end

function RReLU:updateGradInput(input, gradOutput)
   THNN.RReLU_updateGradInput(input, gradOutput, self.gradInput, self.noise, self.lower,
                              self.upper, self.train, self.inplace, self.channelwise or false)
   return self.gradInput
end

function RReLU:__tostring__()
   if self.channelwise then
      return string.format('%s (l:%f, u:%f, channel-wise:true)', torch.type(self), self.lower,
                           self.upper)
   end
   return string.format('%s (l:%f, u:%f)', torch.type(self), self.lower, self.upper)
end

function RReLU:clearState()
   if self.noise then self.noise:set() end
   return parent.clearState(self)
end
