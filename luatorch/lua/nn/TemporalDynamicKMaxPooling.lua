-- Dynamic k-max pooling (Kalchbrenner et al., "A Convolutional Neural Network for Modelling
-- Sentences"): keep the k largest values of each feature along the sequence, in their original
-- order, with k = max(minK, ceil(factor * sequence length)).
local TemporalDynamicKMaxPooling, parent =
   torch.class('nn.TemporalDynamicKMaxPooling', 'nn.Module')

function TemporalDynamicKMaxPooling:__init(minK, factor)
   parent.__init(self)
   self.minK = minK
   self.factor = factor or 0
end

function TemporalDynamicKMaxPooling:updateOutput(input)
   assert(input:dim() == 2 or input:dim() == 3, 'Only 2D or 3D(batch mode) accepted')
   local seqDim = input:dim() - 1
   local k = math.max(self.minK, math.ceil(self.factor * input:size(seqDim)))
   assert(input:size(seqDim) >= self.minK, 'Input sequence length (' .. input:size(seqDim) ..
          ') too small for desired k value (' .. k .. ')')
   local _, order = input:sort(seqDim, true)
   -- the k largest, back in sequence order
   self.indices = order:narrow(seqDim, 1, k):sort(seqDim)
   self.output = input:gather(seqDim, self.indices)
   return self.output
end

function TemporalDynamicKMaxPooling:updateGradInput(input, gradOutput)
   if self.gradInput then
      local seqDim = input:dim() - 1
      self.gradInput:resizeAs(input):zero()
      local values = self.gradInput:gather(seqDim, self.indices)
      values:add(gradOutput)
      self.gradInput:scatter(seqDim, self.indices, values)
      return self.gradInput
   end
end

function TemporalDynamicKMaxPooling:clearState()
   nn.utils.clear(self, 'indices')
   return parent.clearState(self)
end
