local Max, parent = torch.class('nn.Max', 'nn.Module')
local THNN = nn.THNN

function Max:__init(dimension, nInputDims)
   parent.__init(self)
   dimension = dimension or 1
   self.dimension = dimension
   -- do not assign default value to nInputDims or it will break backward compatibility
   self.nInputDims = nInputDims
end

function Max:_getPositiveDimension(input)
   local dimension = self.dimension
   if dimension < 0 then
      dimension = input:dim() + dimension + 1
   elseif self.nInputDims and input:dim() == (self.nInputDims + 1) then
      dimension = dimension + 1
   end
   return dimension
end

function Max:_lazyInit()
   self._output = self._output or self.output.new()
   if not self._indices then
      self._indices = torch.LongTensor()
   end
end

function Max:updateOutput(input)
   self:_lazyInit()
   THNN.Max_updateOutput(input, self.output, self._indices, self:_getPositiveDimension(input),
                         self._isMin == true)
   return self.output
end

function Max:updateGradInput(input, gradOutput)
   self:_lazyInit()
   THNN.Max_updateGradInput(input, gradOutput, self.gradInput, self._indices,
                            self:_getPositiveDimension(input))
   return self.gradInput
end

function Max:type(type, tensorCache)
   self._indices = nil
   parent.type(self, type, tensorCache)
   return self
end

function Max:clearState()
   nn.utils.clear(self, '_indices', '_output')
   return parent.clearState(self)
end
