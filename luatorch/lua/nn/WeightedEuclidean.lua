-- y_j = || c_j * (x - w_j) ||, a Euclidean distance with a learnable diagonal covariance
local WeightedEuclidean, parent = torch.class('nn.WeightedEuclidean', 'nn.Module')
local THNN = nn.THNN

function WeightedEuclidean:__init(inputSize, outputSize)
   parent.__init(self)
   self.weight = torch.Tensor(inputSize, outputSize)
   self.gradWeight = torch.Tensor(inputSize, outputSize)
   -- each template (output dim) has its own diagonal covariance matrix
   self.diagCov = torch.Tensor(inputSize, outputSize)
   self.gradDiagCov = torch.Tensor(inputSize, outputSize)
   self:reset()
end

function WeightedEuclidean:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1. / math.sqrt(self.weight:size(1))
   end
   self.weight:uniform(-stdv, stdv)
   self.diagCov:fill(1)
end

function WeightedEuclidean:updateOutput(input)
   THNN.WeightedEuclidean_updateOutput(input, self.weight, self.diagCov, self.output)
   return self.output
end

function WeightedEuclidean:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   THNN.WeightedEuclidean_updateGradInput(input, gradOutput, self.weight, self.diagCov,
                                          self.output, self.gradInput)
   return self.gradInput
end

function WeightedEuclidean:accGradParameters(input, gradOutput, scale)
   THNN.WeightedEuclidean_accGradParameters(input, gradOutput, self.weight, self.diagCov,
                                            self.output, self.gradWeight, self.gradDiagCov,
                                            scale or 1)
end

function WeightedEuclidean:parameters()
   return {self.weight, self.diagCov}, {self.gradWeight, self.gradDiagCov}
end

function WeightedEuclidean:accUpdateGradParameters(input, gradOutput, lr)
   local gradWeight = self.gradWeight
   local gradDiagCov = self.gradDiagCov
   self.gradWeight = self.weight
   self.gradDiagCov = self.diagCov
   self:accGradParameters(input, gradOutput, -lr)
   self.gradWeight = gradWeight
   self.gradDiagCov = gradDiagCov
end
