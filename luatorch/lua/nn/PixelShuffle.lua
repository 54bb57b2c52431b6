-- (C*r*r, H, W) -> (C, H*r, W*r) sub-pixel rearrangement (batch or not)
local PixelShuffle, parent = torch.class('nn.PixelShuffle', 'nn.Module')
local THNN = nn.THNN

function PixelShuffle:__init(upscaleFactor)
   parent.__init(self)
   self.upscaleFactor = upscaleFactor
   self.upscaleFactorSquared = self.upscaleFactor * self.upscaleFactor
end

function PixelShuffle:updateOutput(input)
   THNN.PixelShuffle_updateOutput(input, self.output, self.upscaleFactor)
   return self.output
end

function PixelShuffle:updateGradInput(input, gradOutput)
   THNN.PixelShuffle_updateGradInput(input, gradOutput, self.gradInput, self.upscaleFactor)
   return self.gradInput
end
