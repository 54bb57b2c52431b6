-- the L1 norm of the input as a criterion without target: sum |x|, gradient sign(x)
local L1Cost, parent = torch.class('nn.L1Cost', 'nn.Criterion')

function L1Cost:__init()
   parent.__init(self)
end

function L1Cost:updateOutput(input)
   self.output = input:norm(1)
   return self.output
end

function L1Cost:updateGradInput(input)
   self.gradInput:resizeAs(input):copy(input):sign()
   return self.gradInput
end

function L1Cost:clearState()
   if self.gradInput then self.gradInput:set() end
   return self
end
