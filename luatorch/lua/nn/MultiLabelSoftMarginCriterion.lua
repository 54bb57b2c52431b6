local MultiLabelSoftMarginCriterion, parent =
   torch.class('nn.MultiLabelSoftMarginCriterion', 'nn.Criterion')

-- l(x, y) = - sum_i w[i] (y[i] log p[i] + (1 - y[i]) log(1 - p[i])), p = sigmoid(x)
function MultiLabelSoftMarginCriterion:__init(weights, sizeAverage)
   parent.__init(self)
   self.lsm = nn.Sigmoid()
   self.nll = nn.BCECriterion(weights, sizeAverage)
   self.sizeAverage = self.nll.sizeAverage
end

function MultiLabelSoftMarginCriterion:updateOutput(input, target)
   input = input:nElement() == 1 and input or input:squeeze()
   target = target:nElement() == 1 and target or target:squeeze()
   self.nll.sizeAverage = self.sizeAverage
   self.lsm:updateOutput(input)
   self.nll:updateOutput(self.lsm.output, target)
   self.output = self.nll.output
   return self.output
end

function MultiLabelSoftMarginCriterion:updateGradInput(input, target)
   local size = input:size()
   input = input:nElement() == 1 and input or input:squeeze()
   target = target:nElement() == 1 and target or target:squeeze()
   self.nll.sizeAverage = self.sizeAverage
   self.nll:updateGradInput(self.lsm.output, target)
   self.lsm:updateGradInput(input, self.nll.gradInput)
   -- Torch: self.gradInput:view(self.lsm.gradInput, size)
   local gi = self.lsm.gradInput
   self.gradInput:set(gi:storage(), gi:storageOffset(), size)
   return self.gradInput
end
