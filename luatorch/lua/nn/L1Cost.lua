-- the L1 norm of the input as a criterion without target: sum |x|, gradient sign(x)
local L1Cost, parent = torch.class('nn.L1Cost', 'nn.Criterion')

function L1Cost:__init()
   parent.__init(self)
end

function L1Cost:updateOutput(input)
   -- THNN sums |x| in accreal and stores the sum in a one-element tensor of the input's type
   self.output_tensor = self.output_tensor or input.new(1)
   self.output_tensor[1] = input:norm(1)
   self.output = self.output_tensor[1]
   return self.output
end

function L1Cost:updateGradInput(input)
   self.gradInput:resizeAs(input):copy(input):sign()
   return self.gradInput
end

function L1Cost:clearState()
   if self.output_tensor then self.output_tensor:set() end
   return parent.clearState(self)
end
