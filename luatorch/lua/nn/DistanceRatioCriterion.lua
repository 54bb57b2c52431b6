--[[
   Probabilistic criterion for a triplet siamese model (https://arxiv.org/pdf/1412.6622v3.pdf):
   loss = -log(exp(-X) / (exp(-X) + exp(-Y))) = X + log(exp(-X) + exp(-Y))
   X: distances between similar samples, Y: distances between dissimilar samples
--]]
local DistanceRatioCriterion, parent = torch.class('nn.DistanceRatioCriterion', 'nn.Criterion')
local THNN = nn.THNN

function DistanceRatioCriterion:__init(sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then
      self.sizeAverage = sizeAverage
   else
      self.sizeAverage = true
   end
end

local function check(input)
   assert(#input == 2, 'Invalid number of inputs')
   local X, Y = input[1], input[2]
   assert(X:nElement() == Y:nElement(), "Number of distances don't match.")
   assert(X:size(1) == Y:size(1), "Invalid distances' size.")
   return X, Y
end

function DistanceRatioCriterion:updateOutput(input)
   local X, Y = check(input)
   self.output = THNN.DistanceRatioCriterion_updateOutput(X, Y, self.sizeAverage)
   return self.output
end

function DistanceRatioCriterion:updateGradInput(input)
   local X, Y = check(input)
   self.gradInput = torch.type(self.gradInput) == 'table' and self.gradInput or {}
   self.gradInput[1] = self.gradInput[1] or X.new()
   self.gradInput[2] = self.gradInput[2] or Y.new()
   THNN.DistanceRatioCriterion_updateGradInput(X, Y, self.gradInput[1], self.gradInput[2],
      self.sizeAverage)
   return self.gradInput
end
