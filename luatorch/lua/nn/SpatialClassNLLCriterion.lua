local SpatialClassNLLCriterion, parent =
   torch.class('nn.SpatialClassNLLCriterion', 'nn.Criterion')
local THNN = nn.THNN

-- ClassNLL at every position: input N x C x H x W (log-probabilities), target N x H x W
function SpatialClassNLLCriterion:__init(weights, sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then
      self.sizeAverage = sizeAverage
   else
      self.sizeAverage = true
   end
   if weights then
      assert(weights:dim() == 1, 'weights input should be 1-D Tensor')
      self.weights = weights
   end
   self.output_tensor = torch.zeros(1)
   self.total_weight_tensor = torch.ones(1)
   self.target = torch.zeros(1):long()
end

function SpatialClassNLLCriterion:__len()
   if self.weights then return #self.weights else return 0 end
end

-- the LongTensor each criterion made from a target of another type last time (not a field:
-- pairs(criterion) sees what Torch's does)
local converted = setmetatable({}, {__mode = 'k'})

local sameSizes = nn.utils.sameSizes

-- the target as a LongTensor, kept in self.target as Torch does (a number fills its one element).
-- Torch converts a target of another type into a new LongTensor on every call; the one made
-- last time is refilled instead while it is still self.target (the same values: a copy converts
-- as :long() does; a Jacobian test calls forward thousands of times).
local function longTarget(self, target)
   if type(target) == 'number' then
      self.target = self.target:long()
      self.target[1] = target
   elseif torch.type(target) ~= 'torch.LongTensor' and converted[self] ~= nil
         and converted[self] == self.target and sameSizes(self.target, target) then
      self.target:copy(target)
   else
      self.target = target:long()
      if self.target ~= target then converted[self] = self.target end
   end
   return self.target
end

function SpatialClassNLLCriterion:updateOutput(input, target)
   self.output = THNN.SpatialClassNLLCriterion_updateOutput(input, longTarget(self, target),
      self.sizeAverage, self.weights, self.total_weight_tensor)
   self.output_tensor[1] = self.output
   return self.output, self.total_weight_tensor[1]
end

function SpatialClassNLLCriterion:updateGradInput(input, target)
   THNN.SpatialClassNLLCriterion_updateGradInput(input, longTarget(self, target), self.gradInput,
      self.sizeAverage, self.weights, self.total_weight_tensor)
   return self.gradInput
end
