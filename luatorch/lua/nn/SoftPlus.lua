local SoftPlus, parent = torch.class('nn.SoftPlus', 'nn.Module')
local THNN = nn.THNN

function SoftPlus:__init(beta)
   parent.__init(self)
   self.beta = beta or 1  -- Beta controls sharpness of transfer function
   self.threshold = 20    -- Avoid floating point issues with exp(x), x>20
end

function SoftPlus:updateOutput(input)
   -- f(x) = 1/beta * log(1 + exp(beta * x))
   THNN.SoftPlus_updateOutput(input, self.output, self.beta, self.threshold)
   return self.output
end

function SoftPlus:updateGradInput(input, gradOutput)
   -- d/dx[log(1+exp(k*x))/k] = exp(kx) / (exp(kx) + 1), computed from the output
   THNN.SoftPlus_updateGradInput(input, gradOutput, self.gradInput, self.output, self.beta,
                                 self.threshold)
   return self.gradInput
end
