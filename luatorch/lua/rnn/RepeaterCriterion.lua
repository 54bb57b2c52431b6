-- Applies a criterion to every step of a sequence against the same target, summing the losses
local RepeaterCriterion, parent = torch.class('nn.RepeaterCriterion', 'nn.Criterion')

function RepeaterCriterion:__init(criterion)
   parent.__init(self)
   self.criterion = criterion
   self.gradInput = {}
   self.clones = {}
end

RepeaterCriterion.getStepCriterion = nn.SequencerCriterion.getStepCriterion
RepeaterCriterion.stackSteps = nn.SequencerCriterion.stackSteps

local function nSteps(input)
   return torch.isTensor(input) and input:size(1) or #input
end

function RepeaterCriterion:forward(input, target)
   self.output = 0
   for i = 1, nSteps(input) do
      self.output = self.output + self:getStepCriterion(i):forward(input[i], target)
   end
   return self.output
end

function RepeaterCriterion:backward(input, target)
   self.gradInput = {}
   local n = nSteps(input)
   local steps = {}
   for i = 1, n do
      steps[i] = self:getStepCriterion(i):backward(input[i], target)
   end
   self.gradInput = self:stackSteps(input, steps)
   return self.gradInput
end
