-- clamps the input to [minval, maxval]; the gradient passes through unchanged (as dpnn's)
local Clip, parent = torch.class('nn.Clip', 'nn.Module')

function Clip:__init(minval, maxval)
   assert(torch.type(minval) == 'number')
   assert(torch.type(maxval) == 'number')
   self.minval = minval
   self.maxval = maxval
   parent.__init(self)
end

function Clip:updateOutput(input)
   self.output:resizeAs(input):copy(input):clamp(self.minval, self.maxval)
   return self.output
end

function Clip:updateGradInput(input, gradOutput)
   self.gradInput:set(gradOutput)
   return self.gradInput
end
