-- Samples output ~ Bernoulli(input) element-wise (the input itself during evaluation unless
-- stochastic)
local ReinforceBernoulli, parent = torch.class('nn.ReinforceBernoulli', 'nn.Reinforce')

function ReinforceBernoulli:updateOutput(input)
   self.output:resizeAs(input)
   if self.stochastic or self.train ~= false then
      self._uniform = self._uniform or input.new()
      self._uniform:resizeAs(input):uniform(0, 1)
      self.output:lt(self._uniform, input)
   else
      self.output:copy(input)
   end
   return self.output
end

-- d log p(x) / d p = (x - p) / ((1 - p) p)
function ReinforceBernoulli:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):copy(self.output):add(-1, input)
   self._div = self._div or input.new()
   self._div:resizeAs(input):fill(1):add(-1, input):cmul(input)
   self.gradInput:cdiv(self._div)
   self.gradInput:cmul(self:rewardAs(input)):mul(-1)
   return self.gradInput
end
