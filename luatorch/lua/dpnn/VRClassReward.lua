-- The variance-reduced classification reward of the recurrent attention model: input is
-- {class scores, baseline}; the reward is scale when the argmax class is the target, else 0.
-- The loss is -mean(reward). Backward gives module (the stochastic part of the network) the
-- reward minus the baseline through reinforce(), no gradient to the scores, and the baseline
-- the gradient of criterion (MSE) towards the reward.
local VRClassReward, parent = torch.class('nn.VRClassReward', 'nn.Criterion')

VRClassReward._typeBuffers = {'_maxVal', '_maxIdx', '_target'}

function VRClassReward:__init(module, scale, criterion)
   parent.__init(self)
   self.module = module
   self.scale = scale or 1
   self.criterion = criterion or nn.MSECriterion()
   self.sizeAverage = true
   self.gradInput = {torch.Tensor()}
end

function VRClassReward:updateOutput(input, target)
   assert(torch.type(input) == 'table')
   input = self:toBatch(input[1], 1)
   self._maxVal = self._maxVal or input.new()
   self._maxIdx = self._maxIdx or torch.LongTensor()
   self._maxVal:max(self._maxIdx, input, 2)
   return self:rewardMatches(self._maxIdx, target, input)
end

-- reward = scale where the predicted classes equal the targets, 0 elsewhere; returns the loss,
-- -sum(reward) (over the batch with sizeAverage). (Shared with BinaryClassReward.)
function VRClassReward:rewardMatches(predicted, target, input)
   if torch.type(predicted) ~= torch.type(target) then
      self._target = self._target or predicted.new()
      self._target:resize(target:size()):copy(target)
      target = self._target
   end
   self._reward = self._reward or predicted.new()
   self._reward:eq(predicted, target)
   self.reward = self.reward or input.new()
   self.reward:resize(self._reward:size(1)):copy(self._reward):mul(self.scale)
   self.output = -self.reward:sum()
   if self.sizeAverage then self.output = self.output / input:size(1) end
   return self.output
end

-- gives the module reward - baseline (averaged over the n samples with sizeAverage)
function VRClassReward:reinforceModule(baseline, n)
   self.vrReward = self.vrReward or self.reward.new()
   self.vrReward:resizeAs(self.reward):copy(self.reward):add(-1, baseline)
   if self.sizeAverage then self.vrReward:div(n) end
   self.module:reinforce(self.vrReward)
end

function VRClassReward:updateGradInput(inputTable, target)
   local input = self:toBatch(inputTable[1], 1)
   local baseline = self:toBatch(inputTable[2], 1)
   self:reinforceModule(baseline, input:size(1))
   self.gradInput[1]:resizeAs(input):zero()
   self.gradInput[1] = self:fromBatch(self.gradInput[1], 1)
   self.criterion:forward(baseline, self.reward)
   self.gradInput[2] = self:fromBatch(self.criterion:backward(baseline, self.reward), 1)
   return self.gradInput
end

-- converts the buffers, not the module (the network's own type is left alone)
function VRClassReward:type(typename)
   for _, name in ipairs(self._typeBuffers) do self[name] = nil end
   local module = self.module
   self.module = nil
   local ret = parent.type(self, typename)
   self.module = module
   return ret
end
