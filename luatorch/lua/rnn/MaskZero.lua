-- Decorates a module so that the samples (rows, in batch mode) whose input is all zeros get
-- zero outputs and zero gradients. nInputDim is the number of dimensions of one sample; with a
-- table input the first tensor decides.
local MaskZero, parent = torch.class('nn.MaskZero', 'nn.Decorator')

function MaskZero:__init(module, nInputDim, silent)
   parent.__init(self, module)
   assert(torch.isTypeOf(module, 'nn.Module'))
   if torch.isTypeOf(module, 'nn.AbstractRecurrent') and not silent then
      print("Warning : you are most likely using MaskZero the wrong way. "
      .."You should probably use AbstractRecurrent:maskZero() so that "
      .."it wraps the internal AbstractRecurrent.recurrentModule instead of "
      .."wrapping the AbstractRecurrent module itself.")
   end
   assert(torch.type(nInputDim) == 'number', 'Expecting nInputDim number at arg 1')
   self.nInputDim = nInputDim
end

function MaskZero:recursiveGetFirst(input)
   if torch.type(input) == 'table' then return self:recursiveGetFirst(input[1]) end
   assert(torch.isTensor(input))
   return input
end

-- output = copy of input with the masked samples zeroed (nested like input)
function MaskZero:recursiveMask(output, input, mask)
   if torch.type(input) == 'table' then
      output = torch.type(output) == 'table' and output or {}
      for k, v in ipairs(input) do output[k] = self:recursiveMask(output[k], v, mask) end
      return output
   end
   assert(torch.isTensor(input))
   output = torch.isTensor(output) and output or input.new()
   local size = input:size():fill(1)
   if self.batchmode then size[1] = input:size(1) end
   mask:resize(size)
   output:resizeAs(input):copy(input)
   output:maskedFill(mask:expandAs(input), 0)
   return output
end

-- sets batchmode and zeroMask (a ByteTensor, 1 for the samples whose first input tensor is all
-- zeros); _zeroMask keeps the samples' L2 norms
function MaskZero:updateZeroMask(input)
   local first = self:recursiveGetFirst(input):contiguous()
   if first:dim() == self.nInputDim then
      self.batchmode = false
      first = first:view(-1)
   elseif first:dim() - 1 == self.nInputDim then
      self.batchmode = true
      first = first:view(first:size(1), -1)
   else
      error("nInputDim error: " .. first:dim() .. ", " .. self.nInputDim)
   end
   self._zeroMask = self._zeroMask or first.new()
   self._zeroMask:norm(first, 2, first:dim())
   self.zeroMask = self.zeroMask or torch.ByteTensor()
   self._zeroMask.eq(self.zeroMask, self._zeroMask, 0)
end

function MaskZero:updateOutput(input)
   self:updateZeroMask(input)
   local output = self.modules[1]:updateOutput(input)
   self.output = self:recursiveMask(self.output, output, self.zeroMask)
   return self.output
end

function MaskZero:updateGradInput(input, gradOutput)
   self.gradOutput = self:recursiveMask(self.gradOutput, gradOutput, self.zeroMask)
   self.gradInput = self.modules[1]:updateGradInput(input, self.gradOutput)
   return self.gradInput
end

function MaskZero:type(typename, ...)
   self.zeroMask = nil
   self._zeroMask = nil
   self._maskbyte = nil
   self._maskindices = nil
   return parent.type(self, typename, ...)
end
