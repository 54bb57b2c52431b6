-- y = x / ||x||_p for a vector or each row of a matrix
local Normalize, parent = torch.class('nn.Normalize', 'nn.Module')
local THNN = nn.THNN

function Normalize:__init(p, eps)
   parent.__init(self)
   assert(p, 'p-norm not provided')
   assert(p > 0, p .. '-norm not supported')
   self.p = p
   self.eps = eps or 1e-10
end

function Normalize:updateOutput(input)
   THNN.Normalize_updateOutput(input, self.output, self.p, self.eps)
   return self.output
end

function Normalize:updateGradInput(input, gradOutput)
   THNN.Normalize_updateGradInput(input, gradOutput, self.gradInput, self.p, self.eps)
   return self.gradInput
end

function Normalize:__tostring__()
   local s
   -- different prints if the norm is integer
   if self.p % 1 == 0 then
      s = '%s(%d)'
   else
      s = '%s(%f)'
   end
   return string.format(s, torch.type(self), self.p)
end
