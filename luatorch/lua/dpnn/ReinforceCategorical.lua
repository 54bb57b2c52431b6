-- Samples a one-hot output from the categorical distribution given by each row of input
-- (probabilities); outputs the input itself during evaluation unless stochastic.
local ReinforceCategorical, parent = torch.class('nn.ReinforceCategorical', 'nn.Reinforce')

function ReinforceCategorical:updateOutput(input)
   self.output:resizeAs(input)
   self._index = self._index or torch.LongTensor()
   if self.stochastic or self.train ~= false then
      self._input = self._input or input.new()
      self._input:resizeAs(input):copy(input):add(0.00000001)
      input.multinomial(self._index, input, 1)
      self.output:zero()
      self.output:scatter(2, self._index, 1)
   else
      self.output:copy(input)
   end
   return self.output
end

-- d log p(onehot) / d p = onehot / p
function ReinforceCategorical:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):copy(self.output)
   self._input = self._input or input.new()
   self._input:resizeAs(input):copy(input):add(0.00000001)
   self.gradInput:cdiv(self._input)
   self.gradInput:cmul(self:rewardAs(input)):mul(-1)
   return self.gradInput
end

function ReinforceCategorical:type(typename, tc)
   self._index = nil
   return parent.type(self, typename, tc)
end
