-- nn.ModuleFromCriterion: a criterion as a module. Input {prediction, target}; output a
-- one-element tensor holding the loss; the gradient with respect to the target is zero.
local ModuleFromCriterion, parent = torch.class('nn.ModuleFromCriterion', 'nn.Module')

function ModuleFromCriterion:__init(criterion)
   parent.__init(self)
   self.criterion = criterion
   self.output = torch.Tensor(1)
   self.gradInput = {torch.Tensor(), torch.Tensor()}
end

function ModuleFromCriterion:updateOutput(input)
   local prediction, target = input[1], input[2]
   self.output[1] = self.criterion:updateOutput(prediction, target)
   return self.output
end

function ModuleFromCriterion:updateGradInput(input, gradOutput)
   local prediction, target = input[1], input[2]
   local gradPrediction = self.criterion:updateGradInput(prediction, target)
   self.gradInput[1]:resizeAs(gradPrediction):copy(gradPrediction):mul(gradOutput[1])
   self.gradInput[2]:resizeAs(target):zero()
   return self.gradInput
end
