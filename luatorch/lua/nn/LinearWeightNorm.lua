-- A Linear layer whose weight is g * v / ||v|| (one norm per output unit), with g and v the
-- parameters (Salimans & Kingma 2016).
local LinearWeightNorm, parent = torch.class('nn.LinearWeightNorm', 'nn.Linear')

function LinearWeightNorm:__init(inputSize, outputSize, bias, eps)
   nn.Module.__init(self) -- nn.Linear's constructor would draw a weight of its own
   if bias == nil then bias = true end
   self.eps = eps or 1e-16
   self.inputSize = inputSize
   self.outputSize = outputSize
   self.v = torch.Tensor(outputSize, inputSize)
   self.gradV = torch.Tensor(outputSize, inputSize)
   self.weight = torch.Tensor(outputSize, inputSize)
   self.g = torch.Tensor(outputSize, 1)
   self.gradG = torch.Tensor(outputSize, 1)
   self.norm = torch.Tensor(outputSize, 1)
   self.scale = torch.Tensor(outputSize, 1)
   if bias then
      self.bias = torch.Tensor(outputSize)
      self.gradBias = torch.Tensor(outputSize)
   end
   self:reset()
end

function LinearWeightNorm:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.inputSize)
   end
   self.weight:uniform(-stdv, stdv)
   self:initFromWeight()
   if self.bias then
      self.bias:uniform(-stdv, stdv)
   end
end

-- g and v such that g * v / ||v|| is the given weight (self.weight by default)
function LinearWeightNorm:initFromWeight(weight)
   weight = weight or self.weight
   self.g:norm(weight, 2, 2):clamp(self.eps, math.huge)
   self.v:copy(weight)
   return self
end

function LinearWeightNorm.fromLinear(linear)
   local module = nn.LinearWeightNorm(linear.weight:size(2), linear.weight:size(1),
                                      torch.isTensor(linear.bias))
   module.weight:copy(linear.weight)
   module:initFromWeight()
   if linear.bias then
      module.bias:copy(linear.bias)
   end
   return module
end

function LinearWeightNorm:toLinear()
   self:updateWeightMatrix()
   local module = nn.Linear(self.inputSize, self.outputSize, torch.isTensor(self.bias))
   module.weight:copy(self.weight)
   if self.bias then
      module.bias:copy(self.bias)
   end
   return module
end

function LinearWeightNorm:parameters()
   if self.bias then
      return {self.v, self.g, self.bias}, {self.gradV, self.gradG, self.gradBias}
   end
   return {self.v, self.g}, {self.gradV, self.gradG}
end

function LinearWeightNorm:updateWeightMatrix()
   -- after clearState the buffers are empty
   if self.norm:dim() == 0 then self.norm:resizeAs(self.g) end
   if self.scale:dim() == 0 then self.scale:resizeAs(self.g) end
   if self.weight:dim() == 0 then self.weight:resizeAs(self.v) end
   self.norm:norm(self.v, 2, 2):clamp(self.eps, math.huge)
   self.scale:cdiv(self.g, self.norm)
   self.weight:cmul(self.v, self.scale:expandAs(self.v))
end

function LinearWeightNorm:evaluate()
   if self.train ~= false then
      self:updateWeightMatrix()
   end
   parent.evaluate(self)
end

function LinearWeightNorm:updateOutput(input)
   if self.train ~= false then
      self:updateWeightMatrix()
   end
   return parent.updateOutput(self, input)
end

-- dL/dv and dL/dg from dL/dw (accumulated into gradV first, as Linear does into gradWeight):
--   dL/dg = sum_row dL/dw * v / ||v||,  dL/dv = scale * dL/dw - scale / ||v|| * dL/dg * v
function LinearWeightNorm:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   nn.THNN.Linear_accGradParameters(input, gradOutput, self.gradV, self.gradBias, scale)
   local scales = self.scale:expandAs(self.v)
   local norm = self.norm:expandAs(self.v)
   -- self.weight is a scratch buffer here; the next forward recomputes it
   self.weight:cmul(self.gradV, self.v):cdiv(norm)
   self.gradG:sum(self.weight, 2)
   self.gradV:cmul(scales)
   self.weight:cmul(self.v, scales):cdiv(norm)
   self.weight:cmul(self.gradG:expandAs(self.weight))
   self.gradV:add(-1, self.weight)
end

function LinearWeightNorm:defaultAccUpdateGradParameters(input, gradOutput, lr)
   local gradV, gradG, gradBias = self.gradV, self.gradG, self.gradBias
   self.gradV, self.gradG, self.gradBias = self.v, self.g, self.bias
   self:accGradParameters(input, gradOutput, -lr)
   self.gradV, self.gradG, self.gradBias = gradV, gradG, gradBias
end

function LinearWeightNorm:clearState()
   nn.utils.clear(self, 'weight', 'norm', 'scale')
   return parent.clearState(self)
end

function LinearWeightNorm:__tostring__()
   return torch.type(self) .. string.format('(%d -> %d)', self.inputSize, self.outputSize) ..
      (self.bias == nil and ' without bias' or '')
end
