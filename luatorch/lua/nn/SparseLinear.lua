-- A Linear layer on sparse input: an nnz x 2 tensor of (index, value) pairs, a table of them
-- (a batch), or the legacy batch x nnz x 2 form. As Torch's: the batch is packed into
-- formatted_input (batch, index, value), and after one backward the next updateParameters or
-- zeroGradParameters touches only the columns of that input (lastInput, sparseUpdate).
local SparseLinear, parent = torch.class('nn.SparseLinear', 'nn.Module')
local THNN = nn.THNN

-- sparseUpdate's states: no input kept yet, one input kept (sparse updates apply), several
-- backwards since (dense updates)
local NO_LAST_INPUT = 0
local ONE_LAST_INPUT = 1
local ACC_MULTIPLE_TIMES = 2

function SparseLinear:__init(inputSize, outputSize, doGradInput)
   parent.__init(self)
   self.weightDecay = 0
   self.doGradInput = doGradInput or false
   self.weight = torch.Tensor(outputSize, inputSize):zero()
   self.bias = torch.Tensor(outputSize):zero()
   self.gradWeight = torch.Tensor(outputSize, inputSize):zero()
   self.gradBias = torch.Tensor(outputSize):zero()
   assert(type(self.doGradInput) == 'boolean')
   self.lastInput = nil
   self.sparseUpdate = NO_LAST_INPUT
   self.formatted_input = nil
   self.gradInput = {}
   self.output:resize(outputSize)
   self:reset()
end

function SparseLinear:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1. / math.sqrt(self.weight:size(2))
   end
   self.weight:uniform(-stdv, stdv)
   self.bias:uniform(-stdv, stdv):mul(0.000001)
end

-- the input as a table of samples, whether it was a batch, whether it is the legacy form
function SparseLinear:reshapeInput(input)
   if torch.type(input) == 'table' then
      return input, true, false
   elseif input:dim() == 2 then
      return {input}, false, false
   end
   return input, true, true
end

function SparseLinear:updateOutput(input)
   if self.sparseUpdate == ONE_LAST_INPUT then
      self.sparseUpdate = ACC_MULTIPLE_TIMES
   end
   local input, batchMode, legacyMode = self:reshapeInput(input)
   self.legacyMode = legacyMode
   if legacyMode then
      THNN.SparseLinear_legacyUpdateOutput(input, self.output, self.weight, self.bias)
      return self.output
   end
   local nbatches = #input
   if nbatches == 0 then
      self.output:copy(self.bias)
      return self.output
   end
   -- pack the samples as (sample, index, value) rows
   local size = 0
   for i = 1, nbatches do size = size + input[i]:size(1) end
   self.formatted_input = self.formatted_input or input[1].new()
   self.formatted_input:resize(size, 3)
   local marker = 1
   for i = 1, nbatches do
      local buf = self.formatted_input:narrow(1, marker, input[i]:size(1))
      buf:narrow(2, 2, 2):copy(input[i])
      buf:select(2, 1):fill(i)
      marker = marker + input[i]:size(1)
   end
   self.output:resize(nbatches, self.weight:size(1))
   THNN.SparseLinear_updateOutput(self.formatted_input, self.output, self.weight, self.bias)
   if not batchMode then
      self.output = self.output[1]
   end
   return self.output
end

function SparseLinear:accGradParameters(input, gradOutput, scale)
   local input, batchMode, legacyMode = self:reshapeInput(input)
   self.legacyMode = legacyMode
   self.lastInput = self.lastInput or gradOutput.new()
   if self.sparseUpdate == NO_LAST_INPUT then
      local v = self.formatted_input
      if self.legacyMode then v = input end
      self.lastInput:resizeAs(v):copy(v)
      self.sparseUpdate = ONE_LAST_INPUT
   elseif self.sparseUpdate == ONE_LAST_INPUT then
      self.sparseUpdate = ACC_MULTIPLE_TIMES
   end
   if legacyMode then
      THNN.SparseLinear_legacyAccGradParameters(input, gradOutput, self.gradWeight,
         self.gradBias, self.weight, self.bias, self.weightDecay or 0, scale or 1)
   else
      if not batchMode then
         gradOutput:resize(1, gradOutput:size(1))
      end
      -- the entries sorted by column, then by sample
      local rows = self.formatted_input:select(2, 1)
      local cols = self.formatted_input:select(2, 2)
      local sortinds = cols * gradOutput:size(1) + rows
      local _, inds = sortinds:sort(1, false)
      local newinput = self.formatted_input:index(1, inds)
      THNN.SparseLinear_accGradParameters(newinput, gradOutput, self.gradWeight,
         self.gradBias, self.weight, self.bias, self.weightDecay or 0, scale or 1)
   end
end

-- the gradient is dense: per sample, every input index with its gradient
function SparseLinear:updateGradInput(input, gradOutput)
   if self.legacyMode then
      if torch.type(self.gradInput) ~= torch.type(gradOutput) then
         self.gradInput = gradOutput.new()
      end
      self.gradInput:resizeAs(input)
   else
      self.gradInput = {}
   end
   if self.doGradInput then
      local gi
      local batchMode = true
      if gradOutput:dim() == 1 then
         gi = self.weight:t() * gradOutput
         batchMode = false
      elseif gradOutput:dim() == 2 then
         gi = gradOutput * self.weight
      end
      local ini = self.weight:size(2)
      if self.legacyMode then
         local batches = self.gradInput:size(1)
         self.gradInput:resize(batches, ini, 2)
         self.gradInput:select(3, 1):copy(torch.repeatTensor(torch.range(1, ini), batches, 1))
         self.gradInput:select(3, 2):copy(gi)
      else
         if not batchMode then gi:resize(1, ini) end
         for i = 1, gi:size(1) do
            self.gradInput[i] = gradOutput.new(ini, 2)
            self.gradInput[i]:select(2, 2):copy(gi[i])
            self.gradInput[i]:select(2, 1):range(1, ini)
         end
      end
   end
   return self.gradInput
end

function SparseLinear:updateParameters(learningRate)
   if self.lastInput and self.sparseUpdate == ONE_LAST_INPUT then
      local update = self.legacyMode and THNN.SparseLinear_legacyUpdateParameters
         or THNN.SparseLinear_updateParameters
      update(self.weight, self.bias, self.gradWeight, self.gradBias, self.lastInput,
             learningRate)
   else
      parent.updateParameters(self, learningRate)
   end
end

function SparseLinear:zeroGradParameters()
   if self.lastInput and self.sparseUpdate == ONE_LAST_INPUT then
      local zero = self.legacyMode and THNN.SparseLinear_legacyZeroGradParameters
         or THNN.SparseLinear_zeroGradParameters
      zero(self.gradWeight, self.gradBias, self.lastInput)
   else
      parent.zeroGradParameters(self)
   end
   self.sparseUpdate = NO_LAST_INPUT
end

function SparseLinear:clearState()
   if self.lastInput then self.lastInput:set() end
   return parent.clearState(self)
end
