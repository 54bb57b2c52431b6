-- VRClassReward for binary classification: input is {probabilities (a vector), baseline};
-- the reward is scale where (p > 0.5) equals the 0/1 target. (A Criterion, not a
-- VRClassReward, as in dpnn: it borrows VRClassReward's methods.)
local BinaryClassReward, parent = torch.class('nn.BinaryClassReward', 'nn.Criterion')

for _, name in ipairs{'__init', 'rewardMatches', 'reinforceModule', 'type'} do
   BinaryClassReward[name] = nn.VRClassReward[name]
end
BinaryClassReward._typeBuffers = {'_binary', '_target'}

function BinaryClassReward:updateOutput(input, target)
   assert(torch.type(input) == 'table')
   input = input[1]
   assert(input:dim() == 1)
   assert(target:dim() == 1)
   self._binary = self._binary or input.new()
   self._binary:gt(input, 0.5)
   return self:rewardMatches(self._binary, target, input)
end

function BinaryClassReward:updateGradInput(inputTable, target)
   local input, baseline = unpack(inputTable)
   self:reinforceModule(baseline, input:size(1))
   self.gradInput[1]:resizeAs(input):zero()
   self.gradInput[2] = self.criterion:backward(baseline, self.reward)
   return self.gradInput
end
