-- Applies a criterion to every step of a sequence (a table, or a tensor whose first dimension
-- is time) and sums the losses (averages them over the steps with sizeAverage).
local SequencerCriterion, parent = torch.class('nn.SequencerCriterion', 'nn.Criterion')

function SequencerCriterion:__init(criterion, sizeAverage)
   parent.__init(self)
   self.criterion = criterion
   if torch.isTypeOf(criterion, 'nn.ModuleCriterion') then
      error("SequencerCriterion shouldn't decorate a ModuleCriterion. "..
         "Instead, try the other way around : "..
         "ModuleCriterion decorates a SequencerCriterion. "..
         "Its modules can also be similarly decorated with a Sequencer.")
   end
   self.sizeAverage = (sizeAverage ~= nil) and sizeAverage or false
   self.clones = {}
   self.gradInput = {}
end

-- one clone of the criterion per step, so that each keeps its own buffers
function SequencerCriterion:getStepCriterion(step)
   assert(step, "expecting step at arg 1")
   local criterion = self.clones[step]
   if not criterion then
      criterion = self.criterion:clone()
      self.clones[step] = criterion
   end
   return criterion
end

local function nSteps(input, target, what)
   if torch.isTensor(input) then
      assert(torch.isTensor(target), "expecting target Tensor since input is a Tensor")
      assert(target:size(1) == input:size(1), "target should have as many elements as input")
      return input:size(1)
   end
   assert(torch.type(target) == 'table', "expecting " .. what .. " table")
   assert(#target == #input, "target should have as many elements as input")
   return #input
end

function SequencerCriterion:updateOutput(input, target)
   self.output = 0
   local n = nSteps(input, target, 'target')
   for i = 1, n do
      self.output = self.output + self:getStepCriterion(i):forward(input[i], target[i])
   end
   if self.sizeAverage then self.output = self.output / n end
   return self.output
end

local function divide(x, by)
   if torch.type(x) == 'table' then
      for j = 1, #x do divide(x[j], by) end
   else
      x:div(by)
   end
end

function SequencerCriterion:updateGradInput(input, target)
   self.gradInput = {}
   local n = nSteps(input, target, 'gradOutput')
   local steps = {}
   for i = 1, n do
      steps[i] = self:getStepCriterion(i):backward(input[i], target[i])
      if self.sizeAverage then divide(steps[i], n) end
   end
   self.gradInput = self:stackSteps(input, steps)
   return self.gradInput
end

-- the steps' gradients shaped like input: a table, or stacked along a first dimension
function SequencerCriterion:stackSteps(input, steps)
   if not torch.isTensor(input) then return steps end
   local stacked = steps[1].new()
   stacked:resize(#steps, unpack(steps[1]:size():totable()))
   for step = 1, #steps do stacked[step]:copy(steps[step]) end
   return stacked
end
