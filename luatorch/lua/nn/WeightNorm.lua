-- Weight normalization (Salimans & Kingma 2016) of any module with a weight: the weight is
-- reparametrized as w = g * v / ||v||, one norm per output unit. outputDim names the weight's
-- output dimension (1 by default); the other dimensions are flattened, so v is nOut x rest.
local WeightNorm, parent = torch.class('nn.WeightNorm', 'nn.Decorator')

function WeightNorm:__init(module, outputDim)
   parent.__init(self, module)
   assert(module.weight)
   if module.bias then
      self.bias = module.bias
      self.gradBias = module.gradBias
   end
   self.weight = module.weight
   self.gradWeight = module.gradWeight
   self.outputDim = outputDim or 1

   local nOut = self.weight:size(self.outputDim)
   self.otherDims = self.weight:nElement() / nOut
   -- v's 2D size, and the weight's size with outputDim moved to the front
   self.viewIn = torch.LongStorage({nOut, self.otherDims})
   self.viewOut = self.weight:size()
   self.weightSize = self.weight:size()
   for i = self.outputDim - 1, 1, -1 do
      self.viewOut[i], self.viewOut[i + 1] = self.viewOut[i + 1], self.viewOut[i]
   end

   self.v = torch.Tensor(nOut, self.otherDims)
   self.g = torch.Tensor(nOut)
   self._norm = torch.Tensor(nOut)
   self._scale = torch.Tensor(nOut)
   self.gradG = torch.Tensor(nOut):zero()
   self.gradV = torch.Tensor(self.viewIn)
   self:resetInit()
end

-- the weight (or its gradient) seen with outputDim first
function WeightNorm:permuteIn(t)
   for i = self.outputDim - 1, 1, -1 do
      t = t:transpose(i, i + 1)
   end
   return t
end

-- the inverse of permuteIn
function WeightNorm:permuteOut(t)
   for i = 1, self.outputDim - 1 do
      t = t:transpose(i, i + 1)
   end
   return t
end

function WeightNorm:resetInit()
   self.v:normal(0, math.sqrt(2 / self.viewIn[2]))
   self.g:norm(self.v, 2, 2)
   if self.bias then
      self.bias:zero()
   end
end

function WeightNorm:evaluate()
   if self.train ~= false then
      self:updateWeight()
      parent.evaluate(self)
   end
end

-- the per-row expansion of a vector of nOut values over v's shape
function WeightNorm:_rows(t)
   return t:view(self.viewIn[1], 1):expand(self.viewIn[1], self.viewIn[2])
end

-- weight = g * v / ||v|| (the norm kept away from zero by 1e-4 under the root)
function WeightNorm:updateWeight()
   self._norm:norm(self.v, 2, 2):pow(2):add(1e-4):sqrt()
   self._scale:copy(self.g):cdiv(self._norm)
   self._w = self._w or self.v.new()
   self._w:resizeAs(self.v):copy(self.v):cmul(self:_rows(self._scale))
   self.weight:copy(self:permuteOut(self._w:view(self.viewOut)))
end

function WeightNorm:updateOutput(input)
   if self.train ~= false then
      self:updateWeight()
   end
   self.output:set(self.modules[1]:updateOutput(input))
   return self.output
end

function WeightNorm:updateGradInput(input, gradOutput)
   self.gradInput:set(self.modules[1]:updateGradInput(input, gradOutput))
   return self.gradInput
end

-- from dL/dw (the decorated module's gradWeight):
--   dL/dg = sum_row dL/dw * v / ||v||
--   dL/dv = g / ||v|| * dL/dw - g / ||v||^2 * dL/dg * v
function WeightNorm:accGradParameters(input, gradOutput, scale)
   self.modules[1]:accGradParameters(input, gradOutput, scale or 1)
   self._gw = self._gw or self.v.new()
   self._gw:resize(self.viewOut):copy(self:permuteIn(self.gradWeight))
   local gw = self._gw:view(self.viewIn)
   local norm, scales = self:_rows(self._norm), self:_rows(self._scale)
   self._tmp = self._tmp or self.v.new()
   self._tmp:resizeAs(self.v):copy(gw):cmul(self.v):cdiv(norm)
   self.gradG:sum(self._tmp, 2)
   self.gradV:resizeAs(self.v):copy(gw):cmul(scales)
   self._tmp:copy(self.v):cmul(scales):cdiv(norm):cmul(self:_rows(self.gradG))
   self.gradV:add(-1, self._tmp)
end

function WeightNorm:zeroGradParameters()
   self.modules[1]:zeroGradParameters()
   self.gradV:zero()
   self.gradG:zero()
end

function WeightNorm:updateParameters(lr)
   self.modules[1]:updateParameters(lr)
   self.g:add(-lr, self.gradG)
   self.v:add(-lr, self.gradV)
end

function WeightNorm:parameters()
   if self.bias then
      return {self.v, self.g, self.bias}, {self.gradV, self.gradG, self.gradBias}
   end
   return {self.v, self.g}, {self.gradV, self.gradG}
end

function WeightNorm:clearState()
   self._w, self._gw, self._tmp = nil, nil, nil
   return parent.clearState(self)
end

-- weight and gradWeight are not saved: g and v give them back on reading
function WeightNorm:write(file)
   local inner = self.modules[1]
   local weight, gradWeight = inner.weight, inner.gradWeight
   self.weight, self.gradWeight, inner.weight, inner.gradWeight = nil, nil, nil, nil
   self.weightSize = self.weightSize or weight:size()
   parent.write(self, file)
   inner.weight, inner.gradWeight = weight, gradWeight
   self.weight, self.gradWeight = weight, gradWeight
end

function WeightNorm:read(file)
   parent.read(self, file)
   if not self.weight then
      local inner = self.modules[1]
      inner.weight = self.v.new(self.weightSize)
      inner.gradWeight = self.v.new(self.weightSize):zero()
      self.weight, self.gradWeight = inner.weight, inner.gradWeight
      self:updateWeight()
   end
end
