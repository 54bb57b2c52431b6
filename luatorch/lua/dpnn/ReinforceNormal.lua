-- Samples output ~ N(mean, stdev^2) (the mean itself during evaluation unless stochastic). The
-- input is the mean, or {mean, stdev} when no fixed stdev is given; stdev may be a number, a
-- tensor like mean, or one without its batch dimension.
local ReinforceNormal, parent = torch.class('nn.ReinforceNormal', 'nn.Reinforce')

function ReinforceNormal:__init(stdev, stochastic)
   parent.__init(self, stochastic)
   self.stdev = stdev
   if not stdev then self.gradInput = {torch.Tensor(), torch.Tensor()} end
end

function ReinforceNormal:updateOutput(input)
   local mean, stdev = input, self.stdev
   if torch.type(input) == 'table' then
      assert(#input == 2)
      mean, stdev = unpack(input)
   end
   assert(stdev)
   self.output:resizeAs(mean)
   if self.stochastic or self.train ~= false then
      self.output:normal()
      if torch.type(stdev) == 'number' then
         self.output:mul(stdev)
      elseif torch.isTensor(stdev) then
         if stdev:dim() == mean:dim() then
            assert(stdev:isSameSizeAs(mean))
            self.output:cmul(stdev)
         else
            assert(stdev:dim() + 1 == mean:dim())
            self.output:cmul(self:expandOverBatch(stdev, mean, 'stdev'))
         end
      else
         error"unsupported mean type"
      end
      self.output:add(mean)
   else
      self.output:copy(mean)
   end
   return self.output
end

-- d log N(x; mean, s) / d mean = (x - mean) / s^2
-- d log N(x; mean, s) / d s    = ((x - mean)^2 - s^2) / s^3
function ReinforceNormal:updateGradInput(input, gradOutput)
   local mean, stdev = input, self.stdev
   local gradMean, gradStdev = self.gradInput, nil
   if torch.type(input) == 'table' then
      mean, stdev = unpack(input)
      gradMean, gradStdev = unpack(self.gradInput)
   end
   assert(stdev)
   gradMean:resizeAs(mean):copy(self.output):add(-1, mean)
   if torch.type(stdev) == 'number' then
      gradMean:div(stdev ^ 2)
   elseif stdev:dim() == mean:dim() then
      gradMean:cdiv(stdev):cdiv(stdev)
   else
      gradMean:cdiv(self.__stdev):cdiv(self.__stdev)
   end
   gradMean:cmul(self:rewardAs(mean)):mul(-1)
   if gradStdev then
      gradStdev:resizeAs(stdev):copy(self.output):add(-1, mean):pow(2)
      self._stdev2 = self._stdev2 or stdev.new()
      self._stdev2:resizeAs(stdev):copy(stdev):cmul(stdev)
      gradStdev:add(-1, self._stdev2)
      self._stdev2:cmul(stdev):add(0.00000001)
      gradStdev:cdiv(self._stdev2)
      gradStdev:cmul(self:rewardAs(stdev)):mul(-1)
   end
   return self.gradInput
end
