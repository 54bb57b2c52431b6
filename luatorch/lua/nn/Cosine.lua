-- y_j = cos(x, w_j), with w_j the j-th row of weight (outputSize x inputSize)
local Cosine, parent = torch.class('nn.Cosine', 'nn.Module')
local THNN = nn.THNN

function Cosine:__init(inputSize, outputSize)
   parent.__init(self)
   self.weight = torch.Tensor(outputSize, inputSize)
   self.gradWeight = torch.Tensor(outputSize, inputSize)
   self:reset()
end

function Cosine:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1. / math.sqrt(self.weight:size(1))
   end
   self.weight:uniform(-stdv, stdv)
end

function Cosine:updateOutput(input)
   THNN.Cosine_updateOutput(input, self.weight, self.output)
   return self.output
end

function Cosine:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   THNN.Cosine_updateGradInput(input, gradOutput, self.weight, self.output, self.gradInput)
   return self.gradInput
end

function Cosine:accGradParameters(input, gradOutput, scale)
   THNN.Cosine_accGradParameters(input, gradOutput, self.weight, self.output, self.gradWeight,
                                 scale or 1)
end
