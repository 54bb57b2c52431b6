-- component-wise addition of a learnable bias of the given size (broadcast over a batch)
local CAdd, parent = torch.class('nn.CAdd', 'nn.Module')
local THNN = nn.THNN

function CAdd:__init(...)
   parent.__init(self)
   local arg = {...}
   self.size = torch.LongStorage()
   local n = #arg
   if n == 1 and torch.type(arg[1]) == 'torch.LongStorage' then
      self.size:resize(#arg[1]):copy(arg[1])
   else
      self.size:resize(n)
      for i = 1, n do self.size[i] = arg[i] end
   end
   self.bias = torch.Tensor(self.size)
   self.gradBias = torch.Tensor(self.size)
   self.output:resize(self.size)
   self:reset()
end

function CAdd:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1.0 / math.sqrt(self.bias:nElement())
   end
   self.bias:uniform(-stdv, stdv)
end

-- Torch's tensor operations, with its working buffers as fields (_output, _bias, _expand,
-- _repeat, _gradBias, _gradOutput)
function CAdd:updateOutput(input)
   self._output = self._output or input.new()
   self._bias = self._bias or input.new()
   self._expand = self._expand or input.new()
   self._repeat = self._repeat or input.new()
   self.output:resizeAs(input):copy(input)
   if input:nElement() == self.bias:nElement() then
      self.output:add(self.bias)
      return self.output
   end
   if self.bias:dim() == input:dim() then
      self._output:set(self.output)
      self._bias:set(self.bias)
   else
      self._output:view(self.output, input:size(1), -1)
      self._bias:view(self.bias, 1, -1)
   end
   self._expand:expandAs(self._bias, self._output)
   self._output:add(self._expand)
   return self.output
end

function CAdd:updateGradInput(input, gradOutput)
   self.gradInput = self.gradInput or input.new()
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   return self.gradInput
end

function CAdd:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   self._gradBias = self._gradBias or gradOutput.new()
   self._gradOutput = self._gradOutput or gradOutput.new()
   self._repeat = self._repeat or gradOutput.new()
   if self.bias:nElement() == gradOutput:nElement() then
      self.gradBias:add(scale, gradOutput)
      return
   end
   if self.bias:dim() == gradOutput:dim() then
      self._gradBias:set(self.gradBias)
      self._gradOutput:set(gradOutput)
   else
      self._gradBias:view(self.gradBias, 1, -1)
      self._gradOutput:view(gradOutput, input:size(1), -1)
   end
   self._gradBias:expandAs(self._gradBias, self._gradOutput)
   -- Torch adds into the expanded gradBias element after element (TH's loop over a tensor with
   -- zero strides); the kernel does that sum
   THNN.CAdd_accGradParameters(input, gradOutput, self.gradBias, scale)
end

function CAdd:type(type, tensorCache)
   if type then self:clearState() end
   return parent.type(self, type, tensorCache)
end

function CAdd:clearState()
   nn.utils.clear(self, {'_gradBias', '_expand', '_output', '_bias', '_repeat'})
   return parent.clearState(self)
end
