local SmoothL1Criterion, parent = torch.class('nn.SmoothL1Criterion', 'nn.Criterion')
local THNN = nn.THNN

-- 0.5 z^2 where |z| < 1, |z| - 0.5 elsewhere, z = x - y
function SmoothL1Criterion:__init(sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then
      self.sizeAverage = sizeAverage
   else
      self.sizeAverage = true
   end
end

function SmoothL1Criterion:updateOutput(input, target)
   -- Torch keeps the loss in a one-element tensor of the input's type, made first (an
   -- input that is no tensor fails there)
   self.output_tensor = self.output_tensor or input.new(1)
   self.output = THNN.SmoothL1Criterion_updateOutput(input, target, self.sizeAverage)
   self.output_tensor[1] = self.output
   return self.output
end

function SmoothL1Criterion:updateGradInput(input, target)
   THNN.SmoothL1Criterion_updateGradInput(input, target, self.gradInput, self.sizeAverage)
   return self.gradInput
end
