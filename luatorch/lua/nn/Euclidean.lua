-- y_j = || x - w_j ||, with w_j the j-th column of weight (inputSize x outputSize)
local Euclidean, parent = torch.class('nn.Euclidean', 'nn.Module')
local THNN = nn.THNN

function Euclidean:__init(inputSize, outputSize)
   parent.__init(self)
   self.weight = torch.Tensor(inputSize, outputSize)
   self.gradWeight = torch.Tensor(inputSize, outputSize)
   -- state
   self.gradInput:resize(inputSize)
   self.output:resize(outputSize)
   self.fastBackward = true
   self:reset()
end

function Euclidean:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1. / math.sqrt(self.weight:size(1))
   end
   if nn.oldSeed then
      for i = 1, self.weight:size(2) do
         self.weight:select(2, i):apply(function() return torch.uniform(-stdv, stdv) end)
      end
   else
      self.weight:uniform(-stdv, stdv)
   end
end

function Euclidean:updateOutput(input)
   THNN.Euclidean_updateOutput(input, self.weight, self.output)
   return self.output
end

function Euclidean:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   THNN.Euclidean_updateGradInput(input, gradOutput, self.weight, self.output, self.gradInput)
   return self.gradInput
end

function Euclidean:accGradParameters(input, gradOutput, scale)
   THNN.Euclidean_accGradParameters(input, gradOutput, self.weight, self.output,
                                    self.gradWeight, scale or 1)
end
