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

-- weight = g * v / ||v|| (the norm kept away from zero by 1e-4 under the root). As in Torch,
-- gradV is the working buffer: it holds the new weight (viewed as v) until the next
-- zeroGradParameters or accGradParameters.
function WeightNorm:updateWeight()
   self.gradV:copy(self:permuteIn(self.weight))
   self.gradV = self.gradV:view(self.viewIn)
   self._norm:norm(self.v, 2, 2):pow(2):add(10e-5):sqrt()
   self.gradV:copy(self.v)
   self._scale:copy(self.g):cdiv(self._norm)
   self.gradV:cmul(self:_rows(self._scale))
   self.gradV = self.gradV:view(self.viewOut)
   self.weight:copy(self:permuteOut(self.gradV))
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
-- Torch's operations, with the weight itself as the working buffer (it holds the last term
-- until the next forward recomputes it) and gradWeight given back from gradV
function WeightNorm:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   self.modules[1]:accGradParameters(input, gradOutput, scale)
   self.weight:copy(self:permuteIn(self.weight))
   self.gradV:copy(self:permuteIn(self.gradWeight))
   self.weight = self.weight:view(self.viewIn)
   local norm = self:_rows(self._norm)
   local scales = self:_rows(self._scale)
   self.weight:copy(self.gradV)
   self.weight:cmul(self.v):cdiv(norm)
   self.gradG:sum(self.weight, 2)
   self.gradV:cmul(scales)
   self.weight:copy(self.v):cmul(scales):cdiv(norm)
   self.weight:cmul(self:_rows(self.gradG))
   self.gradV:add(-1, self.weight)
   self.gradV = self.gradV:view(self.viewOut)
   self.weight = self.weight:view(self.viewOut)
   self.gradWeight:copy(self:permuteOut(self.gradV))
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
      inner.gradWeight = self.v.new(self.weightSize)
      self.weight, self.gradWeight = inner.weight, inner.gradWeight
      self:updateWeight()
      self.gradWeight:copy(self:permuteOut(self.gradV))
   end
end
