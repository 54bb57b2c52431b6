-- y = x / ||x||_p for a vector or each row of a matrix
local Normalize, parent = torch.class('nn.Normalize', 'nn.Module')

function Normalize:__init(p, eps)
   parent.__init(self)
   assert(p, 'p-norm not provided')
   assert(p > 0, p .. '-norm not supported')
   self.p = p
   self.eps = eps or 1e-10
end

-- Torch's tensor operations in its order, with its buffers as fields (norm, normp, buffer,
-- buffer2, cross, _output, _gradInput, _indices for p = inf)
function Normalize:updateOutput(input)
   assert(input:dim() <= 2, 'only 1d layer supported')
   local inputSize = input:size()
   if input:dim() == 1 then input = input:view(1, -1) end
   self._output = self._output or input.new()
   self.norm = self.norm or input.new()
   self.buffer = self.buffer or input.new()
   self._output:resizeAs(input)
   if self.p == math.huge then
      self._indices = self._indices or torch.LongTensor()
      self.buffer:abs(input)
      torch.max(self.norm, self._indices, self.buffer, 2)
      self.norm:add(self.eps)
   else
      self.normp = self.normp or input.new()
      if self.p % 2 ~= 0 then
         self.buffer:abs(input):pow(self.p)
      else
         self.buffer:pow(input, self.p)
      end
      self.normp:sum(self.buffer, 2):add(self.eps)
      self.norm:pow(self.normp, 1 / self.p)
   end
   self._output:cdiv(input, self.norm:view(-1, 1):expandAs(input))
   self.output:view(self._output, inputSize)
   return self.output
end

function Normalize:updateGradInput(input, gradOutput)
   assert(input:dim() <= 2, 'only 1d layer supported')
   assert(gradOutput:dim() <= 2, 'only 1d layer supported')
   local inputSize = input:size()
   if input:dim() == 1 then input = input:view(1, -1) end
   local n, d = input:size(1), input:size(2)
   self._gradInput = self._gradInput or input.new()
   self.cross = self.cross or input.new()
   self._gradInput:resize(n, d)
   if self.p == math.huge then
      -- only the largest |x_i| of each row depends on itself through the norm
      self._gradInput:cmul(self.norm:view(n, 1, 1):expand(n, d, 1), gradOutput)
      self.buffer:resizeAs(input):zero()
      self.cross:resize(n, 1)
      self.cross:gather(input, 2, self._indices)
      self.cross:cdiv(self.norm)
      self.buffer:scatter(2, self._indices, self.cross)
   else
      self._gradInput:cmul(self.normp:view(n, 1):expand(n, d), gradOutput)
      if self.p % 2 ~= 0 then
         if self.p < 2 then
            self.buffer:abs(input):add(self.eps):pow(self.p - 2):cmul(input)
         else
            self.buffer:abs(input):pow(self.p - 2):cmul(input)
         end
      elseif self.p == 2 then
         self.buffer:copy(input)
      else
         self.buffer:pow(input, self.p - 2):cmul(input)
      end
   end
   self.cross:resize(n, 1)
   self.buffer2 = self.buffer2 or input.new()
   self.buffer2:cmul(input, gradOutput)
   self.cross:sum(self.buffer2, 2)
   self.buffer:cmul(self.cross:expandAs(self.buffer))
   self._gradInput:add(-1, self.buffer)
   if self.p == math.huge then
      self.cross:cmul(self.norm, self.norm)
   else
      self.cross:cmul(self.normp, self.norm)
   end
   self._gradInput:cdiv(self.cross:expand(n, d))
   self.gradInput:view(self._gradInput, inputSize)
   return self.gradInput
end

function Normalize:__tostring__()
   local s
   -- different prints if the norm is integer
   if self.p % 1 == 0 then
      s = '%s(%d)'
   else
      s = '%s(%f)'
   end
   return string.format(s, torch.type(self), self.p)
end

function Normalize:type(type, tensorCache)
   self._indices = nil
   parent.type(self, type, tensorCache)
   return self
end

function Normalize:clearState()
   nn.utils.clear(self, {'_output', '_indices', '_gradInput', 'buffer', 'norm', 'normp', 'cross'})
   return parent.clearState(self)
end
