local MultiLabelSoftMarginCriterion, parent =
   torch.class('nn.MultiLabelSoftMarginCriterion', 'nn.Criterion')

-- l(x, y) = - sum_i w[i] (y[i] log p[i] + (1 - y[i]) log(1 - p[i])), p = sigmoid(x), averaged
-- over the elements. Computed as Torch7's nn computes it (the same tensor operations, hence the
-- same rounding): log(1 + exp(-|x|)) + max(x, 0) - y x, from buffers kept as fields.
function MultiLabelSoftMarginCriterion:__init(weights, sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then
      self.sizeAverage = sizeAverage
   else
      self.sizeAverage = true
   end
   if weights ~= nil then
      assert(weights:dim() == 1, "weights input should be 1-D Tensor")
      self.weights = weights
   end
   self.sigmoid = nn.Sigmoid()
end

local function expandedWeights(self, target)
   local w = self.weights
   if w ~= nil and target:dim() ~= 1 then
      w = w:view(1, target:size(2)):expandAs(target)
   end
   return w
end

function MultiLabelSoftMarginCriterion:updateOutput(input, target)
   local w = expandedWeights(self, target)
   local x = input:view(input:nElement())
   local t = target:view(target:nElement())
   self.sigmoid:updateOutput(x)
   self._buffer1 = self._buffer1 or input.new()
   self._buffer2 = self._buffer2 or input.new()
   local positive, loss = self._buffer1, self._buffer2
   positive:ge(x, 0)
   -- log(1 + exp(x - 2 x [x >= 0])) = log(1 + exp(-|x|))
   loss:cmul(x, positive):mul(-2):add(x):exp():add(1):log()
   -- + x [x >= 0] - t x
   positive:mul(-1):add(t):cmul(x)
   loss:add(-1, positive)
   if w ~= nil then loss:cmul(w) end
   self.output = loss:sum()
   if self.sizeAverage then self.output = self.output / input:nElement() end
   return self.output
end

function MultiLabelSoftMarginCriterion:updateGradInput(input, target)
   local w = expandedWeights(self, target)
   self.gradInput:resizeAs(input):copy(self.sigmoid.output)
   self.gradInput:add(-1, target)
   if w ~= nil then self.gradInput:cmul(w) end
   if self.sizeAverage then self.gradInput:div(target:nElement()) end
   return self.gradInput
end
