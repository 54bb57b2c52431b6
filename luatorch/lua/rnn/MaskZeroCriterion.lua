-- Decorates a criterion so that the samples whose input is all zeros are left out of the loss
-- (and get zero gradients). Batch mode only; nInputDim is the dimension of one sample.
local MaskZeroCriterion, parent = torch.class('nn.MaskZeroCriterion', 'nn.Criterion')

function MaskZeroCriterion:__init(criterion, nInputDim)
   parent.__init(self)
   self.criterion = criterion
   assert(torch.isTypeOf(criterion, 'nn.Criterion'))
   assert(torch.type(nInputDim) == 'number', 'Expecting nInputDim number at arg 2')
   self.nInputDim = nInputDim
end

MaskZeroCriterion.recursiveGetFirst = nn.MaskZero.recursiveGetFirst

-- dst = the rows of src listed in mask, nested like src
function MaskZeroCriterion:recursiveMask(dst, src, mask)
   if torch.type(src) == 'table' then
      dst = torch.type(dst) == 'table' and dst or {}
      for k, v in ipairs(src) do dst[k] = self:recursiveMask(dst[k], v, mask) end
      return dst
   end
   assert(torch.isTensor(src))
   dst = torch.isTensor(dst) and dst or src.new()
   dst:index(src, 1, mask)
   return dst
end

function MaskZeroCriterion:updateOutput(input, target)
   local first = self:recursiveGetFirst(input):contiguous()
   if first:dim() == self.nInputDim then
      error("does not support online (i.e. non-batch) mode")
   elseif first:dim() - 1 == self.nInputDim then
      first = first:view(first:size(1), -1)
   else
      error("nInputDim error: " .. first:dim() .. ", " .. self.nInputDim)
   end
   self._zeroMask = self._zeroMask or first.new()
   self._zeroMask:norm(first, 2, first:dim())
   -- the indices of the samples with a non-zero input
   local norms = self._zeroMask:view(-1)
   local kept = {}
   for i = 1, norms:size(1) do
      if norms[i] ~= 0 then kept[#kept + 1] = i end
   end
   self.zeroMask = self.zeroMask or torch.LongTensor()
   self.zeroMask:resize(#kept)
   for j, i in ipairs(kept) do self.zeroMask[j] = i end
   if #kept > 0 then
      self.input = self:recursiveMask(self.input, input, self.zeroMask)
      self.target = self:recursiveMask(self.target, target, self.zeroMask)
      self.output = self.criterion:updateOutput(self.input, self.target)
   else
      self.output = 0
   end
   return self.output
end

function MaskZeroCriterion:recursiveMaskGradInput(dst, mask, src, input)
   if torch.type(input) == 'table' then
      dst = (torch.type(dst) == 'table') and dst or {dst}
      src = (torch.type(src) == 'table') and src or {src}
      for key in pairs(input) do
         dst[key] = self:recursiveMaskGradInput(dst[key], mask, src[key], input[key])
      end
      for i = #input + 1, #dst do dst[i] = nil end
   elseif torch.isTensor(input) then
      dst = torch.isTensor(dst) and dst or input.new()
      dst:resizeAs(input):zero()
      if mask:nElement() > 0 then
         assert(src)
         dst:indexCopy(1, mask, src)
      end
   else
      error("expecting nested tensors or tables. Got " .. torch.type(dst) .. " and " ..
            torch.type(input) .. " instead")
   end
   return dst
end

function MaskZeroCriterion:updateGradInput(input, target)
   if self.zeroMask:nElement() > 0 then
      assert(self.input and self.target)
      self._gradInput = self.criterion:updateGradInput(self.input, self.target)
   end
   self.gradInput = self:recursiveMaskGradInput(self.gradInput, self.zeroMask, self._gradInput, input)
   return self.gradInput
end

function MaskZeroCriterion:type(typename, ...)
   self.zeroMask = nil
   self._zeroMask = nil
   self.__zeroMask = nil
   self.input = nil
   self.target = nil
   self._gradInput = nil
   return parent.type(self, typename, ...)
end
