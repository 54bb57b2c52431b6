-- the index of the maximum along dim (dim + 1 for inputs with more than nInputDim dimensions),
-- as a LongTensor unless asLong is false; no gradient flows back
local ArgMax, parent = torch.class('nn.ArgMax', 'nn.Module')

function ArgMax:__init(dim, nInputDim, asLong)
   parent.__init(self)
   self.dim = dim or 1
   self.nInputDim = nInputDim or 9999
   self.asLong = (asLong == nil) and true or asLong
   if self.asLong then self.output = torch.LongTensor() end
end

function ArgMax:updateOutput(input)
   self._value = self._value or input.new()
   self._indices = self._indices or torch.LongTensor()
   local dim = (input:dim() > self.nInputDim) and (self.dim + 1) or self.dim
   torch.max(self._value, self._indices, input, dim)
   if input:dim() > 1 then
      local idx = self._indices:select(dim, 1)
      self.output:resize(idx:size()):copy(idx)
   else
      self.output:resize(self._indices:size()):copy(self._indices)
   end
   return self.output
end

function ArgMax:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):zero()
   return self.gradInput
end

function ArgMax:type(typename)
   local indices = self._indices
   self._indices = nil
   parent.type(self, typename)
   self._indices = indices and indices:long() or nil
   if self.asLong then self.output = torch.LongTensor() end
   return self
end
