-- Like MaskZero, but the decorated module only sees the samples that are not all zeros (in
-- batch mode the zero rows are removed before, and put back as zeros after, the module).
local TrimZero, parent = torch.class('nn.TrimZero', 'nn.MaskZero')

function TrimZero:__init(module, nInputDim, silent)
   parent.__init(self, module, nInputDim, silent)
   local t = torch.typename(module)
   if (t == 'nn.GRU' or t == 'nn.LSTM' or t == 'nn.FastLSTM') and module.p ~= 0 then
      assert(module.mono, 'TrimZero + Bayesian RNN needs `mono` option!')
   end
   self.temp = torch.Tensor()
   self.gradTemp = torch.Tensor()
end

-- the indices of the kept (non-zero) samples, from the byte mask of zero samples
local function keptIndices(mask)
   local kept = mask:view(-1):eq(0)
   if kept:sum() == 0 then return torch.LongTensor() end
   return kept:nonzero():view(-1)
end

-- output = the kept samples of input (batch mode) or input/zeros (one sample); returns the
-- mask turned into kept indices in batch mode
function TrimZero:recursiveMask(output, input, mask)
   if torch.type(input) == 'table' then
      output = torch.type(output) == 'table' and output or {}
      for k, v in ipairs(input) do output[k], mask = self:recursiveMask(output[k], v, mask) end
      return output, mask
   end
   assert(torch.isTensor(input))
   output = torch.isTensor(output) and output or input.new()
   if torch.type(mask) ~= 'torch.LongTensor' then
      local size = input:size():fill(1)
      if self.batchmode then size[1] = input:size(1) end
      mask:resize(size)
   end
   if self.batchmode then
      if torch.type(mask) ~= 'torch.LongTensor' then mask = keptIndices(mask) end
      self._maskindices = mask
      if mask:dim() > 0 then
         output:index(input, 1, mask)
      else
         output:index(input, 1, torch.LongTensor{1}):zero()
      end
   elseif mask:dim() == 0 or mask:view(-1)[1] == 1 then
      output:resize(input:size()):zero()
   else
      output:resize(input:size()):copy(input)
   end
   return output, mask
end

-- the inverse: kept samples back to their rows, zeros elsewhere
function TrimZero:recursiveUnMask(output, input, mask)
   if torch.type(input) == 'table' then
      output = torch.type(output) == 'table' and output or {}
      for k, v in ipairs(input) do output[k] = self:recursiveUnMask(output[k], v, mask) end
      return output
   end
   assert(torch.isTensor(input))
   output = torch.isTensor(output) and output or input.new()
   local size = input:size()
   if self.batchmode then size[1] = mask:size(1) end
   output:resize(size):zero()
   if self.batchmode then
      local indices = self._maskindices
      assert(indices)
      if indices:dim() > 0 then output:indexCopy(1, indices, input) end
   elseif mask:view(-1)[1] == 0 then
      output:copy(input)
   end
   return output
end

function TrimZero:updateOutput(input)
   self:updateZeroMask(input)
   self.temp = self:recursiveMask(self.temp, input, self.zeroMask)
   local output = self.modules[1]:updateOutput(self.temp)
   self.output = self:recursiveUnMask(self.output, output, self.zeroMask)
   return self.output
end

function TrimZero:updateGradInput(input, gradOutput)
   self.temp = self:recursiveMask(self.temp, input, self.zeroMask)
   self.gradTemp = self:recursiveMask(self.gradTemp, gradOutput, self.zeroMask)
   local gradInput = self.modules[1]:updateGradInput(self.temp, self.gradTemp)
   self.gradInput = self:recursiveUnMask(self.gradInput, gradInput, self.zeroMask)
   return self.gradInput
end

function TrimZero:accGradParameters(input, gradOutput, scale)
   self.temp = self:recursiveMask(self.temp, input, self.zeroMask)
   self.gradTemp = self:recursiveMask(self.gradTemp, gradOutput, self.zeroMask)
   self.modules[1]:accGradParameters(self.temp, self.gradTemp, scale)
end
