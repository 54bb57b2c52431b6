-- A linear layer over sparse inputs given as (key, value) lists: y = sum_i W[key_i] * v_i + b.
-- Inputs: {keys, values} for one sample (1D tensors), {{keys1, ...}, {values1, ...}} for a
-- batch, or the flat form {allKeys, allValues, sizes}. weight is inputSize x outputSize (the
-- transpose of nn.Linear's); with `normalize`, four bookkeeping columns come first and values
-- are max-normalized per key. Several backward calls may precede one updateParameters: the
-- gradients of every call are kept in self.running (gradWeight is dense per key occurrence).
local IndexLinear, parent = torch.class('nn.IndexLinear', 'nn.Module')
local THNN = nn.THNN
-- THNN's loops without max-normalization, run in LuaJIT (IndexLinearLoops.lua); the Python
-- kernels do the rest
local loops = require 'nn.IndexLinearLoops'

function IndexLinear:__init(inputSize, outputSize, doGradInput, keysOffset, weight, bias, normalize)
   parent.__init(self)
   self.normalize = normalize and 4 or 0
   self.weight = weight or torch.Tensor(inputSize, outputSize + self.normalize):zero()
   self.bias = bias or torch.Tensor(outputSize):zero()
   self.inputSize = self.weight:size(1)
   self.outputSize = self.weight:size(2) - self.normalize
   self.gradWeight = torch.Tensor()
   self.gradBias = torch.Tensor(self.outputSize):zero()
   self.gradWeightBuffer = torch.Tensor()
   self.valuesBuffer = torch.Tensor()
   self.normalizedValues = torch.Tensor()
   self.running = {cumSumSizes = {}, keys = {}, gradWeight = {}, counter = 1}
   self.sizesCache = {}
   self.cumSumSizesCache = {}
   self.weightDecay = 0
   self.doGradInput = doGradInput or false
   -- keys are 1-based unless keysOffset says otherwise; rows are key + offset (0-based)
   self.offset = keysOffset and keysOffset - 1 or -1
end

function IndexLinear:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(2))
   end
   self.weight:uniform(-stdv, stdv)
   self.bias:uniform(-stdv, stdv):mul(0.000001)
   if self.normalize > 0 then
      self.weight[{{}, {1, self.normalize}}]:zero()
   end
end

-- keys and values as lists (or flat tensors with sizes); sets isFlat and noBatch
function IndexLinear:reshapeInput(input)
   assert(torch.type(input) == 'table')
   local n = #input
   assert(n == 2 or n == 3)
   if n == 3 then
      local keys, values = input[1], input[2]
      local sizes = torch.isTensor(input[3]) and input[3] or keys.new{input[3]}
      assert(keys:nElement() == values:nElement(), 'Keys and values should be of same size')
      assert(keys:dim() == 1, 'Keys and values should be 1D')
      self.isFlat = true
      self.noBatch = false
      return keys, values, sizes
   end
   local keys, values = input[1], input[2]
   local lkeys, lvalues
   if torch.type(keys) == 'table' and torch.type(values) == 'table' then
      lkeys, lvalues = keys, values
      self.noBatch = false
   elseif torch.isTensor(keys) and torch.isTensor(values) then
      lkeys, lvalues = {keys}, {values}
      self.noBatch = true
   else
      error('Wrong input format.')
   end
   self.isFlat = false
   for i = 1, #lkeys do
      assert(lvalues[i]:dim() == 1 and lkeys[i]:dim() == 1, 'keys and values should be 1D')
   end
   return lkeys, lvalues
end

function IndexLinear:longTensor(...)
   return torch.LongTensor(...)
end

-- self.keys, self.values, self.sizes, self.cumSumSizes for this input
function IndexLinear:flattenInputs(input)
   local lkeys, lvalues, sizes = self:reshapeInput(input)
   local counter = self.running.counter
   self.running.keys[counter] = self.running.keys[counter] or self:longTensor()
   self.keys = self.running.keys[counter]
   if self.isFlat then
      self.values = self.values or lvalues.new()
      self.keys:resize(lkeys:size()):copy(lkeys)
      self.values:resize(lvalues:size()):copy(lvalues)
      self.sizes = sizes
      self.cumSumSizes = self.cumSumSizes or self.sizes.new()
      self.cumSumSizes:cumsum(self.sizes)
   else
      self.values = self.values or lvalues[1].new()
      self.lkeys = lkeys
      self.lvalues = lvalues
      local batchSize = #lkeys
      self.sizesCache[1] = self.sizesCache[1] or torch.LongTensor(batchSize)
      self.cumSumSizesCache[1] = self.cumSumSizesCache[1] or torch.LongTensor(batchSize)
      self.sizes = self.sizesCache[1]:resize(batchSize)
      self.cumSumSizes = self.cumSumSizesCache[1]:resize(batchSize)
      for i = 1, batchSize do
         self.sizes[i] = lkeys[i]:size(1)
      end
      self.cumSumSizes:cumsum(self.sizes)
      self.keys:cat(lkeys, 1)
      self.values:cat(lvalues, 1)
   end
   self.running.cumSumSizes[counter] = self.cumSumSizes
end

-- the LuaJIT kernels for this module's weight, or nil
function IndexLinear:_loops()
   return self.normalize == 0 and loops[torch.type(self.weight)] or nil
end

function IndexLinear:updateOutput(input)
   self:flattenInputs(input)
   local L = self:_loops()
   if not (L and L.updateOutput(self.keys, self.offset, self.values, self.sizes, self.output,
                                self.weight, self.bias)) then
      THNN.IndexLinear_updateOutput(self.keys, self.offset, self.values, self.sizes,
         self.cumSumSizes, self.output, self.weight, self.bias, self.normalizedValues,
         self.train and 1 or 0)
   end
   if self.noBatch then
      self.output:resize(self.output:size(2))
   end
   return self.output
end

function IndexLinear:_inputValues()
   return self.normalize > 0 and self.normalizedValues or self.values
end

function IndexLinear:accUpdateGradParameters(input, gradOutput, scale)
   local L = self:_loops()
   if L and L.accUpdateGradParameters(self.keys, self.offset, self.values, self.sizes,
                                      gradOutput, self.weight, self.bias, self.weightDecay or 0,
                                      scale or 1) then
      return
   end
   THNN.IndexLinear_accUpdateGradParameters(self.keys, self.offset, self:_inputValues(),
      self.sizes, self.cumSumSizes, gradOutput, self.weight, self.bias, self.weightDecay or 0,
      scale or 1)
end

function IndexLinear:accGradParameters(input, gradOutput, scale)
   local counter = self.running.counter
   self.running.gradWeight[counter] = self.running.gradWeight[counter] or self.values.new()
   local L = self:_loops()
   if not (L and L.accGradParameters(self.keys, self.offset, self.values, self.sizes,
                                     gradOutput, self.running.gradWeight[counter],
                                     self.gradBias, self.weight, self.bias, scale or 1)) then
      THNN.IndexLinear_accGradParameters(self.keys, self.offset, self:_inputValues(),
         self.sizes, self.cumSumSizes, gradOutput, self.running.gradWeight[counter],
         self.gradBias, self.weight, self.bias, self.valuesBuffer, self.weightDecay or 0,
         scale or 1)
   end
   self.running.counter = counter + 1
end

-- with doGradInput: the gradient with respect to every input (all keys 1..inputSize)
function IndexLinear:updateGradInput(input, gradOutput)
   self.gradInput = {}
   if self.doGradInput and self.normalize > 0 then
      error('updateGradInput is not implemented in max-normalize mode')
   end
   local nIn = self.weight:size(1)
   if self.doGradInput then
      local gi = gradOutput.new()
      if gradOutput:dim() == 1 then
         gi:resize(nIn):mv(self.weight, gradOutput)
         gi:resize(1, nIn)
      elseif gradOutput:dim() == 2 then
         gi:resize(gradOutput:size(1), nIn):mm(gradOutput, self.weight:t())
      end
      local indices = self.running.keys[1].new(nIn):range(1, nIn)
      if self.isFlat then
         self.gradInput[1] = torch.repeatTensor(indices, gi:size(1), 1)
         self.gradInput[2] = gi
      else
         self.gradInput[1] = {}
         self.gradInput[2] = {}
         for i = 1, gi:size(1) do
            self.gradInput[1][i] = indices:clone()
            self.gradInput[2][i] = gradOutput.new(nIn):copy(gi[i])
         end
      end
   end
   if self.noBatch then
      if self.isFlat then
         self.gradInput = {self.gradInput[1]:resize(nIn), self.gradInput[2]:resize(nIn)}
      else
         self.gradInput = {self.gradInput[1][1], self.gradInput[2][1]}
      end
   end
   return self.gradInput
end

-- applies the gradients of every backward since the last zeroGradParameters
function IndexLinear:updateParameters(lr)
   local counter = self.running.counter
   if counter <= 1 then return end
   if counter == 2 then
      self.updateKeys = self.running.keys[1]
      self.gradWeight = self.running.gradWeight[1]
   else
      self.updateKeysBuffer = self.updateKeysBuffer or self:longTensor()
      local lkeys, lgrads, lcums = {}, {}, {}
      local total = 0
      for i = 1, counter - 1 do
         lkeys[i] = self.running.keys[i]
         lgrads[i] = self.running.gradWeight[i]:contiguous()
         lgrads[i]:resize(lgrads[i]:nElement())
         lcums[i] = self.running.cumSumSizes[i] + total
         total = total + lkeys[i]:size(1)
      end
      self.updateKeysBuffer:cat(lkeys, 1)
      self.gradWeightBuffer:cat(lgrads, 1)
      self.cumSumSizes:cat(lcums, 1)
      self.gradWeightBuffer:resize(total, self.gradWeightBuffer:nElement() / total)
      self.gradWeight = self.gradWeightBuffer
      self.updateKeys = self.updateKeysBuffer
   end
   lr = lr or error('You must specify a learning rate')
   local L = self:_loops()
   if L and L.updateParameters(self.gradWeight, self.gradBias, self.weight, self.bias,
                               self.updateKeys, self.offset, self.weightDecay or 0, lr) then
      return
   end
   THNN.IndexLinear_updateParameters(self.gradWeight, self.gradBias, self.weight, self.bias,
      self.updateKeys, self.cumSumSizes, self.offset, self.weightDecay or 0, lr)
end

function IndexLinear:zeroGradParameters()
   self.gradBias:zero()
   self.running.counter = 1
end

function IndexLinear:parameters()
   return {self.weight, self.bias}, {self.running, self.gradBias}
end

function IndexLinear:clearState()
   self.running.keys = {}
   self.running.gradWeight = {}
   self.keys = nil
   self.zerokeys = nil
   self.updateKeys = nil
   self.values = nil
   self.sizes = nil
   self.lkeys = {}
   self.lvalues = {}
   self.gradWeightBuffer = self.gradWeightBuffer.new()
   self.valuesBuffer = self.valuesBuffer.new()
   self.updateKeysBuffer = nil
   return parent.clearState(self)
end
