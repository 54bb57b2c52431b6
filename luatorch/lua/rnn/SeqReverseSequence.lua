-- Reverses a tensor along dimension dim (1, 2 or 3): the time axis of a sequence
local SeqReverseSequence, parent = torch.class('nn.SeqReverseSequence', 'nn.Module')

function SeqReverseSequence:__init(dim)
   parent.__init(self)
   self.output = torch.Tensor()
   self.gradInput = torch.Tensor()
   assert(dim, "Must specify dimension to reverse sequence over")
   assert(dim <= 3, "Dimension has to be no greater than 3 (Only supports up to a 3D Tensor).")
   self.dim = dim
end

-- out = x reversed along its first dimension (a gather with indices T..1)
local function reverseFirst(out, x, indices)
   local T = x:size(1)
   indices:resize(x:size())
   for t = 1, T do indices:narrow(1, t, 1):fill(T - t + 1) end
   out:resizeAs(x):gather(x, 1, indices)
   return out
end

local function reverse(self, x, out, indicesName)
   self[indicesName] = self[indicesName] or torch.LongTensor()
   if self.dim == 1 then
      return reverseFirst(out, x, self[indicesName])
   end
   return reverseFirst(out, x:transpose(1, self.dim), self[indicesName]):transpose(1, self.dim)
end

function SeqReverseSequence:updateOutput(input)
   self.output = reverse(self, input, self.output, 'outputIndices')
   return self.output
end

function SeqReverseSequence:updateGradInput(input, gradOutput)
   self.gradInput = reverse(self, gradOutput, self.gradInput, 'gradIndices')
   return self.gradInput
end

function SeqReverseSequence:type(typename, typecache)
   if typename then
      self.outputIndices = nil
      self.gradIndices = nil
   end
   return parent.type(self, typename, typecache)
end

function SeqReverseSequence:clearState()
   self.output:set()
   self.gradInput:set()
   self.outputIndices = nil
   self.gradIndices = nil
end
