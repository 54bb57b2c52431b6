-- y_j = || c_j * (x - w_j) ||, a Euclidean distance with a learnable diagonal covariance
-- (w_j and c_j are the j-th columns of weight and diagCov, inputSize x outputSize)
local WeightedEuclidean, parent = torch.class('nn.WeightedEuclidean', 'nn.Module')

function WeightedEuclidean:__init(inputSize, outputSize)
   parent.__init(self)
   self.weight = torch.Tensor(inputSize, outputSize)
   self.gradWeight = torch.Tensor(inputSize, outputSize)
   -- each template (output dim) has its own diagonal covariance matrix
   self.diagCov = torch.Tensor(inputSize, outputSize)
   self.gradDiagCov = torch.Tensor(inputSize, outputSize)
   self:reset()
end

function WeightedEuclidean:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1. / math.sqrt(self.weight:size(1))
   end
   self.weight:uniform(-stdv, stdv)
   self.diagCov:fill(1)
end

-- a contiguous input is viewed, another one reshaped (copied)
local function view(res, src, ...)
   if src:isContiguous() then
      res:view(src, ...)
   else
      res:reshape(src, ...)
   end
end

-- Torch's tensor operations in its order, with its working buffers as fields: the weighted
-- differences stay in _repeat (forward), their gradient terms in _repeat2 (backward), both
-- reused by accGradParameters. As in Torch, _expand2 is the same tensor as _expand.
function WeightedEuclidean:updateOutput(input)
   self._diagCov = self._diagCov or self.output.new()
   self._input = self._input or input.new()
   self._weight = self._weight or self.weight.new()
   self._expand = self._expand or self.output.new()
   self._expand2 = self._expand or self.output.new()
   self._expand3 = self._expand3 or self.output.new()
   self._repeat = self._repeat or self.output.new()
   self._repeat2 = self._repeat2 or self.output.new()
   self._repeat3 = self._repeat3 or self.output.new()
   local inputSize, outputSize = self.weight:size(1), self.weight:size(2)
   if input:dim() == 1 then
      view(self._input, input, inputSize, 1)
      self._expand:expandAs(self._input, self.weight)
      self._repeat:resizeAs(self._expand):copy(self._expand)
      self._repeat:add(-1, self.weight)
      self._repeat:cmul(self.diagCov)
      self.output:norm(self._repeat, 2, 1)
      self.output:resize(outputSize)
   elseif input:dim() == 2 then
      local batchSize = input:size(1)
      view(self._input, input, batchSize, inputSize, 1)
      self._expand:expand(self._input, batchSize, inputSize, outputSize)
      self._repeat:resizeAs(self._expand):copy(self._expand)
      self._weight:view(self.weight, 1, inputSize, outputSize)
      self._expand2:expandAs(self._weight, self._repeat)
      self._diagCov:view(self.diagCov, 1, inputSize, outputSize)
      self._expand3:expandAs(self._diagCov, self._repeat)
      self._repeat:add(-1, self._expand2)
      self._repeat:cmul(self._expand3)
      self.output:norm(self._repeat, 2, 2)
      self.output:resize(batchSize, outputSize)
   else
      error('1D or 2D input expected')
   end
   return self.output
end

function WeightedEuclidean:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   self._div = self._div or input.new()
   self._output = self._output or self.output.new()
   self._expand4 = self._expand4 or input.new()
   self._gradOutput = self._gradOutput or input.new()
   if not self.fastBackward then
      self:updateOutput(input)
   end
   local inputSize, outputSize = self.weight:size(1), self.weight:size(2)
   -- dy_j/dx = c_j * c_j * (x - w_j) / y_j; 1e-7 keeps a zero distance from dividing by zero
   self._output:resizeAs(self.output):copy(self.output):add(0.0000001)
   view(self._gradOutput, gradOutput, gradOutput:size())
   self._div:cdiv(gradOutput, self._output)
   if input:dim() == 1 then
      self._div:resize(1, outputSize)
      self._expand4:expandAs(self._div, self.weight)
      self._repeat2:cmul(self._repeat, self._expand4)
      self._repeat2:cmul(self.diagCov)
      self.gradInput:sum(self._repeat2, 2)
      self.gradInput:resizeAs(input)
   elseif input:dim() == 2 then
      local batchSize = input:size(1)
      self._div:resize(batchSize, 1, outputSize)
      self._expand4:expand(self._div, batchSize, inputSize, outputSize)
      self._repeat2:cmul(self._repeat, self._expand4)
      self._repeat2:cmul(self._expand3)
      self.gradInput:sum(self._repeat2, 3)
      self.gradInput:resizeAs(input)
   else
      error('1D or 2D input expected')
   end
   return self.gradInput
end

-- dy_j/dw_j = -dy_j/dx, dy_j/dc_j = c_j * (w_j - x)^2 / y_j; assumes updateGradInput ran first
function WeightedEuclidean:accGradParameters(input, gradOutput, scale)
   local inputSize, outputSize = self.weight:size(1), self.weight:size(2)
   scale = scale or 1
   if input:dim() == 1 then
      self.gradWeight:add(-scale, self._repeat2)
      self._repeat:cdiv(self.diagCov)
      self._repeat:cmul(self._repeat)
      self._repeat:cmul(self.diagCov)
      self._repeat2:cmul(self._repeat, self._expand4)
      self.gradDiagCov:add(self._repeat2)
   elseif input:dim() == 2 then
      self._sum = self._sum or input.new()
      self._sum:sum(self._repeat2, 1)
      self._sum:resize(inputSize, outputSize)
      self.gradWeight:add(-scale, self._sum)
      self._repeat:cdiv(self._expand3)
      self._repeat:cmul(self._repeat)
      self._repeat:cmul(self._expand3)
      self._repeat:cmul(self._expand4)
      self._sum:sum(self._repeat, 1)
      self._sum:resize(inputSize, outputSize)
      self.gradDiagCov:add(scale, self._sum)
   else
      error('1D or 2D input expected')
   end
end

function WeightedEuclidean:type(type, tensorCache)
   if type then
      -- the buffers are made again in the new type on the next call
      for _, k in ipairs{'_input', '_output', '_gradOutput', '_weight', '_div', '_sum',
                         '_expand', '_expand2', '_expand3', '_expand4',
                         '_repeat', '_repeat2', '_repeat3'} do
         self[k] = nil
      end
   end
   return parent.type(self, type, tensorCache)
end

function WeightedEuclidean:parameters()
   return {self.weight, self.diagCov}, {self.gradWeight, self.gradDiagCov}
end

function WeightedEuclidean:accUpdateGradParameters(input, gradOutput, lr)
   local gradWeight = self.gradWeight
   local gradDiagCov = self.gradDiagCov
   self.gradWeight = self.weight
   self.gradDiagCov = self.diagCov
   self:accGradParameters(input, gradOutput, -lr)
   self.gradWeight = gradWeight
   self.gradDiagCov = gradDiagCov
end
