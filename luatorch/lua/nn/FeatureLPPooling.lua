-- Lp pooling across features: windows of `width` features taken every `stride` features,
-- y = (sum x^p)^(1/p). Input [batch] x features [x opt1 [x opt2]] (batch_mode says whether the
-- first dimension is a batch).
local FeatureLPPooling, parent = torch.class('nn.FeatureLPPooling', 'nn.Module')
local THNN = nn.THNN

function FeatureLPPooling:__init(width, stride, power, batch_mode)
   parent.__init(self)
   if width < 2 or width > 16 then
      error('width must be within 2 to 16')
   end
   if stride < 1 or stride > 4 then
      error('stride must be within 1 to 4')
   end
   self.width = width
   self.stride = stride
   self.power = power
   self.batch_mode = batch_mode
   self.output = torch.Tensor()
   self.gradInput = torch.Tensor()
end

function FeatureLPPooling:updateOutput(input)
   THNN.FeatureLPPooling_updateOutput(input, self.output, self.power, self.width, self.stride,
                                      self.batch_mode)
   return self.output
end

function FeatureLPPooling:updateGradInput(input, gradOutput)
   THNN.FeatureLPPooling_updateGradInput(gradOutput, input, self.output, self.gradInput,
                                         self.power, self.width, self.stride, self.batch_mode)
   return self.gradInput
end

-- nn prints it this way (without the closing parenthesis)
function FeatureLPPooling:__tostring__()
   return string.format('%s(w%d s%d power %d batch %d', torch.type(self), self.width,
                        self.stride, self.power, self.batch_mode)
end
