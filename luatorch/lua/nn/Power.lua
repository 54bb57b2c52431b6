local Power, parent = torch.class('nn.Power', 'nn.Module')
local THNN = nn.THNN

function Power:__init(p)
   parent.__init(self)
   self.pow = p
   if not p then
      error('nn.Power(power)')
   end
end

function Power:updateOutput(input)
   THNN.Power_updateOutput(input, self.output, self.pow)
   return self.output
end

function Power:updateGradInput(input, gradOutput)
   THNN.Power_updateGradInput(input, gradOutput, self.gradInput, self.pow)
   return self.gradInput
end
