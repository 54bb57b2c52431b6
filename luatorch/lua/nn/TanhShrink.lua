local TanhShrink, parent = torch.class('nn.TanhShrink', 'nn.Module')
local THNN = nn.THNN

-- input - tanh(input)

function TanhShrink:updateOutput(input)
   THNN.TanhShrink_updateOutput(input, self.output)
   return self.output
end

function TanhShrink:updateGradInput(input, gradOutput)
   THNN.TanhShrink_updateGradInput(input, gradOutput, self.gradInput)
   return self.gradInput
end
