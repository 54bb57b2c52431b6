-- VRClassReward for binary classification: input is {probabilities (a vector), baseline};
-- the reward is scale where (p > 0.5) equals the 0/1 target
local BinaryClassReward, parent = torch.class('nn.BinaryClassReward', 'nn.Criterion')

function BinaryClassReward:__init(module, scale, criterion)
   parent.__init(self)
   self.module = module
   self.scale = scale or 1
   self.criterion = criterion or nn.MSECriterion()
   self.sizeAverage = true
   self.gradInput = {torch.Tensor()}
end

function BinaryClassReward:updateOutput(input, target)
   assert(torch.type(input) == 'table')
   input = input[1]
   assert(input:dim() == 1)
   assert(target:dim() == 1)
   self._binary = self._binary or input.new()
   self._binary:gt(input, 0.5)
   if torch.type(self._binary) ~= torch.type(target) then
      self._target = self._target or self._binary.new()
      self._target:resize(target:size()):copy(target)
      target = self._target
   end
   self._reward = self._reward or input.new()
   self._reward:eq(self._binary, target)
   self.reward = self.reward or input.new()
   self.reward:resize(self._reward:size(1)):copy(self._reward):mul(self.scale)
   self.output = -self.reward:sum()
   if self.sizeAverage then self.output = self.output / input:size(1) end
   return self.output
end

function BinaryClassReward:updateGradInput(inputTable, target)
   local input, baseline = unpack(inputTable)
   self.vrReward = self.vrReward or self.reward.new()
   self.vrReward:resizeAs(self.reward):copy(self.reward):add(-1, baseline)
   if self.sizeAverage then self.vrReward:div(input:size(1)) end
   self.module:reinforce(self.vrReward)
   self.gradInput[1]:resizeAs(input):zero()
   self.gradInput[2] = self.criterion:backward(baseline, self.reward)
   return self.gradInput
end

function BinaryClassReward:type(typename)
   self._binary = nil
   self._target = nil
   local module = self.module
   self.module = nil
   local ret = parent.type(self, typename)
   self.module = module
   return ret
end
