-- Applies a criterion to every step of a sequence against the same target, summing the losses
local RepeaterCriterion, parent = torch.class('nn.RepeaterCriterion', 'nn.Criterion')

function RepeaterCriterion:__init(criterion)
   parent.__init(self)
   self.criterion = criterion
   self.gradInput = {}
   self.clones = {}
end

RepeaterCriterion.getStepCriterion = nn.SequencerCriterion.getStepCriterion

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
   if torch.isTensor(input) then
      self.gradInput = steps[1].new()
      self.gradInput:resize(n, unpack(steps[1]:size():totable()))
      for step = 1, n do self.gradInput[step]:copy(steps[step]) end
   else
      self.gradInput = steps
   end
   return self.gradInput
end
