-- input {x1, x2} (B x n1, B x n2): y_k = x1^T W_k x2 + b_k
local Bilinear, parent = torch.class('nn.Bilinear', 'nn.Module')

local function isint(x) return type(x) == 'number' and x == math.floor(x) end

function Bilinear:__assertInput(input)
   assert(input and type(input) == 'table' and #input == 2,
      'input should be a table containing two data Tensors')
   assert(input[1]:nDimension() == 2 and input[2]:nDimension() == 2,
      'input Tensors should be two-dimensional')
   assert(input[1]:size(1) == input[2]:size(1),
      'input Tensors should have the same number of rows (instances)')
   assert(input[1]:size(2) == self.weight:size(2),
      'dimensionality of first input is erroneous')
   assert(input[2]:size(2) == self.weight:size(3),
      'dimensionality of second input is erroneous')
end

function Bilinear:__assertInputGradOutput(input, gradOutput)
   assert(input[1]:size(1) == gradOutput:size(1),
      'number of rows in gradOutput does not match input')
   assert(gradOutput:size(2) == self.weight:size(1),
      'number of columns in gradOutput does not output size of layer')
end

function Bilinear:__init(inputSize1, inputSize2, outputSize, bias)
   assert(inputSize1 and isint(inputSize1) and inputSize1 > 0,
      'inputSize1 should be a positive integer')
   assert(inputSize2 and isint(inputSize2) and inputSize2 > 0,
      'inputSize2 should be a positive integer')
   assert(outputSize and isint(outputSize) and outputSize > 0,
      'outputSize should be a positive integer')
   parent.__init(self)
   local bias = ((bias == nil) and true) or bias
   self.weight = torch.Tensor(outputSize, inputSize1, inputSize2)
   self.gradWeight = torch.Tensor(outputSize, inputSize1, inputSize2)
   if bias then
      self.bias = torch.Tensor(outputSize)
      self.gradBias = torch.Tensor(outputSize)
   end
   self.gradInput = {torch.Tensor(), torch.Tensor()}
   self:reset()
end

function Bilinear:reset(stdv)
   assert(self)
   if stdv then
      assert(stdv and type(stdv) == 'number' and stdv > 0,
         'standard deviation should be a positive number')
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(2))
   end
   self.weight:uniform(-stdv, stdv)
   if self.bias then self.bias:uniform(-stdv, stdv) end
   return self
end

-- Torch's tensor operations in its order (one mm per output unit), with its buffers buff1 and
-- buff2 kept as fields
function Bilinear:updateOutput(input)
   self:__assertInput(input)
   self.buff2 = self.buff2 or input[1].new()
   self.buff2:resizeAs(input[2])
   self.output:resize(input[1]:size(1), self.weight:size(1))
   for k = 1, self.weight:size(1) do
      torch.mm(self.buff2, input[1], self.weight[k])
      self.buff2:cmul(input[2])
      torch.sum(self.output:narrow(2, k, 1), self.buff2, 2)
   end
   if self.bias then
      self.output:add(self.bias:reshape(1, self.bias:nElement()):expandAs(self.output))
   end
   return self.output
end

function Bilinear:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   self:__assertInputGradOutput(input, gradOutput)
   if #self.gradInput == 0 then
      for i = 1, 2 do self.gradInput[i] = input[1].new() end
   end
   local g1, g2 = self.gradInput[1], self.gradInput[2]
   g1:resizeAs(input[1]):fill(0)
   g2:resizeAs(input[2]):fill(0)
   local n1, n2 = g1:size(2), g2:size(2)
   local rows = g1:size(1)
   g1:mm(input[2], self.weight[1]:t())
   g1:cmul(gradOutput:narrow(2, 1, 1):expand(rows, n1))
   g2:addmm(1, input[1], self.weight[1])
   g2:cmul(gradOutput:narrow(2, 1, 1):expand(g2:size(1), n2))
   if self.weight:size(1) > 1 then
      self.buff1 = self.buff1 or input[1].new()
      self.buff1:resizeAs(input[1])
      for k = 2, self.weight:size(1) do
         self.buff1:mm(input[2], self.weight[k]:t())
         self.buff1:cmul(gradOutput:narrow(2, k, 1):expand(rows, n1))
         g1:add(self.buff1)
         self.buff2:mm(input[1], self.weight[k])
         self.buff2:cmul(gradOutput:narrow(2, k, 1):expand(g2:size(1), n2))
         g2:add(self.buff2)
      end
   end
   return self.gradInput
end

-- as in Torch, scale multiplies the bias gradient only
function Bilinear:accGradParameters(input, gradOutput, scale)
   local scale = scale or 1
   self:__assertInputGradOutput(input, gradOutput)
   assert(scale and type(scale) == 'number' and scale >= 0)
   self.buff1 = self.buff1 or input[1].new()
   self.buff1:resizeAs(input[1])
   for k = 1, self.weight:size(1) do
      torch.cmul(self.buff1, input[1], gradOutput:narrow(2, k, 1):expandAs(input[1]))
      self.gradWeight[k]:addmm(self.buff1:t(), input[2])
   end
   if self.bias then self.gradBias:add(scale, gradOutput:sum(1)) end
end

function Bilinear:sharedAccUpdateGradParameters(input, gradOutput, lr)
   -- we do not need to accumulate parameters when sharing:
   self:defaultAccUpdateGradParameters(input, gradOutput, lr)
end

function Bilinear:defaultAccUpdateGradParameters(input, gradOutput, lr)
   nn.Module.accUpdateGradParameters(self, input, gradOutput, lr)
end

function Bilinear:__tostring__()
   return torch.type(self) ..
      string.format('(%dx%d -> %d) %s', self.weight:size(2), self.weight:size(3),
         self.weight:size(1), (self.bias == nil and ' without bias' or ''))
end

function Bilinear:clearState()
   if self.buff2 then self.buff2:set() end
   if self.buff1 then self.buff1:set() end
   return parent.clearState(self)
end
