local Linear, parent = torch.class('nn.Linear', 'nn.Module')

-- t:t() as a BLAS operand (the same view while t keeps its geometry and storage): the weight
-- on every pass, gradOutput in accGradParameters (a module's gradInput, the same tensor at
-- each pass: two new views a call were most of what Linear left to the collector)
local transposed = torch._blas.transposed

function Linear:__init(inputSize, outputSize, bias)
   parent.__init(self)
   bias = bias == nil and true or bias
   self.weight = torch.Tensor(outputSize, inputSize)
   self.gradWeight = torch.Tensor(outputSize, inputSize)
   if bias then
      self.bias = torch.Tensor(outputSize)
      self.gradBias = torch.Tensor(outputSize)
   end
   self:reset()
end

function Linear:noBias()
   self.bias = nil
   self.gradBias = nil
   return self
end

function Linear:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(2))
   end
   self.weight:uniform(-stdv, stdv)
   if self.bias then self.bias:uniform(-stdv, stdv) end
   return self
end

-- Torch's vector of ones for adding the bias to each row of a batch (addr) and summing
-- gradOutput's rows (addmv): kept as a field, as user code and saved files see it
function Linear:updateAddBuffer(input)
   local nframe = input:size(1)
   self.addBuffer = self.addBuffer or input.new()
   if self.addBuffer:nElement() ~= nframe then
      self.addBuffer:resize(nframe):fill(1)
   end
end

-- The tensor operations below are Torch's, in Torch's order: each is one BLAS call shaped as
-- TH makes it (torch/blas.lua calls the library from Lua), so the bits are Torch7's.
function Linear:updateOutput(input)
   local nd = input:dim()
   local output, weight, bias = self.output, self.weight, self.bias
   if nd == 1 then
      output:resize(weight:size(1))
      if bias then output:copy(bias) else output:zero() end
      output:addmv(1, weight, input)
   elseif nd == 2 then
      local before = output:nElement()
      output:resize(input:size(1), weight:size(1))
      -- a result that changed size is zeroed first (addmm with beta 0 ignores it, as Torch)
      if output:nElement() ~= before then output:zero() end
      self:updateAddBuffer(input)
      output:addmm(0, output, 1, input, transposed(weight))
      if bias then output:addr(1, self.addBuffer, bias) end
   else
      error('input must be vector or matrix')
   end
   return output
end

function Linear:updateGradInput(input, gradOutput)
   local gradInput = self.gradInput
   if not gradInput then return end
   local before = gradInput:nElement()
   gradInput:resizeAs(input)
   if gradInput:nElement() ~= before then gradInput:zero() end
   local nd = input:dim()
   if nd == 1 then
      gradInput:addmv(0, 1, transposed(self.weight), gradOutput)
   elseif nd == 2 then
      gradInput:addmm(0, 1, gradOutput, self.weight)
   end
   return gradInput
end

function Linear:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   local nd = input:dim()
   if nd == 1 then
      self.gradWeight:addr(scale, gradOutput, input)
      if self.bias then self.gradBias:add(scale, gradOutput) end
   elseif nd == 2 then
      self.gradWeight:addmm(scale, transposed(gradOutput), input)
      if self.bias then
         -- the batch may have changed size since updateOutput
         self:updateAddBuffer(input)
         self.gradBias:addmv(scale, transposed(gradOutput), self.addBuffer)
      end
   end
end

Linear.sharedAccUpdateGradParameters = Linear.accUpdateGradParameters

function Linear:clearState()
   if self.addBuffer then self.addBuffer:set() end
   return parent.clearState(self)
end

function Linear:__tostring__()
   return torch.type(self) ..
      string.format('(%d -> %d)', self.weight:size(2), self.weight:size(1)) ..
      (self.bias == nil and ' without bias' or '')
end
