-- embeddings: row input[i] of weight for each index (input a vector or a batch matrix)
local LookupTable, parent = torch.class('nn.LookupTable', 'nn.Module')
local THNN = nn.THNN

LookupTable.__version = 4

function LookupTable:__init(nIndex, nOutput, paddingValue, maxNorm, normType)
   parent.__init(self)
   self.weight = torch.Tensor(nIndex, nOutput)
   self.gradWeight = torch.Tensor(nIndex, nOutput):zero()
   self.paddingValue = paddingValue or 0
   self.maxNorm = maxNorm or nil
   self.normType = normType or nil
   self:reset()
end

function LookupTable:backCompatibility()
   self._count = self._count or torch.IntTensor()
   self._input = self._input or torch.LongTensor()
   if not self.shouldScaleGradByFreq then
      self.shouldScaleGradByFreq = false
   end
end

function LookupTable:accUpdateOnly()
   self.gradWeight = nil
   return self
end

function LookupTable:setPadding(paddingValue)
   self.paddingValue = paddingValue
   return self
end

function LookupTable:setMaxNorm(maxNorm)
   self.maxNorm = maxNorm
   return self
end

function LookupTable:setNormType(normType)
   self.normType = normType
   return self
end

function LookupTable:scaleGradByFreq()
   self.shouldScaleGradByFreq = true
   return self
end

function LookupTable:reset(stdv)
   stdv = stdv or 1
   self.weight:normal(0, stdv)
end

-- a contiguous LongTensor of indices: the input itself, or its copy in _input (copiedInput
-- tells accGradParameters which one forward used)
function LookupTable:makeInputContiguous(input)
   if (not input:isContiguous()) or torch.type(input) ~= torch.type(self._input) then
      self.copiedInput = true
      self._input:resize(input:size()):copy(input)
      return self._input
   end
   self.copiedInput = false
   return input
end

function LookupTable:updateOutput(input)
   self:backCompatibility()
   self:renorm(input)
   input = self:makeInputContiguous(input)
   THNN.LookupTable_updateOutput(input, self.weight, self.output)
   return self.output
end

function LookupTable:updateGradInput(input, gradOutput)
   -- indices have no gradient; gradInput is zeros of the input's type
   if torch.type(self.gradInput) ~= torch.type(input) then
      self.gradInput = input.new()
   end
   if not self.gradInput:isSameSizeAs(input) then
      self.gradInput:resizeAs(input):zero()
   end
   return self.gradInput
end

function LookupTable:accGradParameters(input, gradOutput, scale)
   self:backCompatibility()
   input = self.copiedInput and self._input or input
   THNN.LookupTable_accGradParameters(input, gradOutput, self.gradWeight,
      self.shouldScaleGradByFreq or false, self.paddingValue or 0, scale or 1)
end

function LookupTable:renorm(input)
   if not self.maxNorm then
      return
   end
   THNN.LookupTable_renorm(input, self.weight, self.maxNorm, self.normType or 2)
end

function LookupTable:type(type, tensorCache)
   parent.type(self, type, tensorCache)
   self._count = torch.IntTensor()
   self._input = torch.LongTensor()
   return self
end

function LookupTable:clearState()
   nn.utils.clear(self, '_count', '_input')
   return parent.clearState(self)
end

-- we do not need to accumulate parameters when sharing
LookupTable.sharedAccUpdateGradParameters = LookupTable.accUpdateGradParameters
