local MSECriterion, parent = torch.class('nn.MSECriterion', 'nn.Criterion')
local THNN = nn.THNN

function MSECriterion:__init(sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then
      self.sizeAverage = sizeAverage
   else
      self.sizeAverage = true
   end
end

function MSECriterion:updateOutput(input, target)
   self.output = THNN.MSECriterion_updateOutput(input, target, self.sizeAverage)
   return self.output
end

function MSECriterion:updateGradInput(input, target)
   THNN.MSECriterion_updateGradInput(input, target, self.gradInput, self.sizeAverage)
   return self.gradInput
end
