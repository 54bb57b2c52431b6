local ELU, parent = torch.class('nn.ELU', 'nn.Module')
local THNN = nn.THNN

-- Clevert, Unterthiner, Hochreiter: Exponential Linear Units (http://arxiv.org/pdf/1511.07289.pdf)
function ELU:__init(alpha, inplace)
   parent.__init(self)
   self.alpha = alpha or 1
   assert(type(self.alpha) == 'number')
   self.inplace = inplace or false
   assert(type(self.inplace) == 'boolean')
end

function ELU:updateOutput(input)
   THNN.ELU_updateOutput(input, self.output, self.alpha, self.inplace or false)
   return self.output
end

function ELU:updateGradInput(input, gradOutput)
   THNN.ELU_updateGradInput(input, gradOutput, self.gradInput, self.output, self.alpha,
                            self.inplace or false)
   return self.gradInput
end

function ELU:__tostring__()
   return string.format('%s (alpha:%f)', torch.type(self), self.alpha)
end
