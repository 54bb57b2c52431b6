-- Concatenated ReLU (Shang et al. 2016): ReLU(x) and ReLU(-x) side by side along the feature
-- dimension, so the output has twice the input's features.
local CReLU, parent = torch.class('nn.CReLU', 'nn.Sequential')

function CReLU:__init(nInputDims, inplace)
   parent.__init(self)
   self.nInputDims = nInputDims
   self.inplace = inplace or false
   self:add(nn.ConcatTable():add(nn.Identity()):add(nn.MulConstant(-1)))
   self:add(nn.JoinTable(2))
   self:add(nn.ReLU(self.inplace))
end

-- input seen as a batch of flat feature vectors
function CReLU:_flat(input, t)
   if input:dim() == self.nInputDims + 1 then
      return t:view(input:size(1), -1)
   end
   return t:view(1, -1)
end

function CReLU:updateOutput(input)
   parent.updateOutput(self, self:_flat(input, input))
   local size = input:size()
   local featureDim = input:dim() == self.nInputDims + 1 and 2 or 1
   size[featureDim] = size[featureDim] * 2
   self.output:resize(size)
   return self.output
end

function CReLU:updateGradInput(input, gradOutput)
   parent.updateGradInput(self, self:_flat(input, input), self:_flat(input, gradOutput))
   self.gradInput:resizeAs(input)
   return self.gradInput
end

-- no parameters: backward is the gradient with respect to the input only
function CReLU:backward(input, gradOutput)
   return self:updateGradInput(input, gradOutput)
end

function CReLU:__tostring__()
   return 'CReLU()'
end
