local Sum, parent = torch.class('nn.Sum', 'nn.Module')
local THNN = nn.THNN

function Sum:__init(dimension, nInputDims, sizeAverage, squeeze)
   parent.__init(self)
   self.dimension = dimension or 1
   -- do not assign default value to nInputDims or it will break backward compatibility
   self.nInputDims = nInputDims
   self.sizeAverage = sizeAverage or false
   if squeeze ~= nil then
      assert(type(squeeze) == 'boolean', 'squeeze has to be true/false')
      self.squeeze = squeeze
   else
      self.squeeze = true
   end
end

function Sum:_getPositiveDimension(input)
   local dimension = self.dimension
   if dimension < 0 then
      dimension = input:dim() + dimension + 1
   elseif self.nInputDims and input:dim() == (self.nInputDims + 1) then
      dimension = dimension + 1
   end
   assert(input:dim() >= dimension, 'dimension exceeds input dimensions')
   return dimension
end

function Sum:updateOutput(input)
   if type(self.output) == 'number' then
      self.output = input.new()
   end
   THNN.Sum_updateOutput(input, self.output, self:_getPositiveDimension(input),
                         self.sizeAverage == true, self.squeeze ~= false)
   return self.output
end

function Sum:updateGradInput(input, gradOutput)
   THNN.Sum_updateGradInput(input, gradOutput, self.gradInput, self:_getPositiveDimension(input),
                            self.sizeAverage == true)
   return self.gradInput
end
