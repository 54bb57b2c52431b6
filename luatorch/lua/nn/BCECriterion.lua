local BCECriterion, parent = torch.class('nn.BCECriterion', 'nn.Criterion')
local THNN = nn.THNN

-- - sum w (y log x + (1 - y) log(1 - x))
function BCECriterion:__init(weights, sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then
      self.sizeAverage = sizeAverage
   else
      self.sizeAverage = true
   end
   if weights ~= nil then
      assert(weights:dim() == 1, 'weights input should be 1-D Tensor')
      self.weights = weights
   end
end

function BCECriterion:__len()
   if self.weights then return #self.weights else return 0 end
end

-- a 1-D weights given with a target of more dimensions weighs its columns: the weights are
-- viewed as a row and expanded to the target's shape (Torch7's view and expandAs errors)
local function weightsFor(self, target)
   local weights = self.weights
   if weights ~= nil and target:dim() ~= 1 then
      weights = weights:view(1, target:size(2)):expandAs(target)
   end
   return weights
end

function BCECriterion:updateOutput(input, target)
   assert(input:nElement() == target:nElement(), 'input and target size mismatch')
   -- Torch keeps the loss in a one-element tensor of the input's type
   self.output_tensor = self.output_tensor or input.new(1)
   self.output = THNN.BCECriterion_updateOutput(input, target, self.sizeAverage,
                                                weightsFor(self, target))
   self.output_tensor[1] = self.output
   return self.output
end

function BCECriterion:updateGradInput(input, target)
   assert(input:nElement() == target:nElement(), 'input and target size mismatch')
   THNN.BCECriterion_updateGradInput(input, target, self.gradInput, self.sizeAverage,
                                     weightsFor(self, target))
   return self.gradInput
end
