-- a Linear layer on sparse input: nnz x 2 tensors of (index, value) pairs, a batch of them as
-- a B x nnz x 2 tensor or a Lua table of nnz_i x 2 tensors
local SparseLinear, parent = torch.class('nn.SparseLinear', 'nn.Module')
local THNN = nn.THNN

function SparseLinear:__init(inputSize, outputSize, doGradInput)
   parent.__init(self)
   self.weightDecay = 0
   self.doGradInput = doGradInput or false
   self.weight = torch.Tensor(outputSize, inputSize):zero()
   self.bias = torch.Tensor(outputSize):zero()
   self.gradWeight = torch.Tensor(outputSize, inputSize):zero()
   self.gradBias = torch.Tensor(outputSize):zero()
   assert(type(self.doGradInput) == type(true))
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

function SparseLinear:updateOutput(input)
   if type(input) == 'table' then
      self.output:resize(#input, self.weight:size(1))
      for i, x in ipairs(input) do
         THNN.SparseLinear_updateOutput(x, self.weight, self.bias, self.output:select(1, i))
      end
   else
      THNN.SparseLinear_updateOutput(input, self.weight, self.bias, self.output)
   end
   return self.output
end

function SparseLinear:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   if type(input) == 'table' then
      for i, x in ipairs(input) do
         THNN.SparseLinear_accGradParameters(x, gradOutput:select(1, i), self.gradWeight,
            self.gradBias, self.weight, self.bias, 0, scale)
      end
      if self.weightDecay ~= 0 then self.gradWeight:add(self.weightDecay, self.weight) end
   else
      THNN.SparseLinear_accGradParameters(input, gradOutput, self.gradWeight, self.gradBias,
         self.weight, self.bias, self.weightDecay or 0, scale)
   end
end

-- Torch's gradInput is dense: for a B x nnz x 2 batch (legacy form) a B x inputSize x 2 tensor,
-- otherwise a table of inputSize x 2 tensors (index, gradient), one per sample; it stays an
-- empty table (or a resized tensor) when doGradInput is off
function SparseLinear:updateGradInput(input, gradOutput)
   local legacy = type(input) ~= 'table' and input:dim() == 3
   if legacy then
      if type(self.gradInput) ~= type(gradOutput) then self.gradInput = gradOutput.new() end
      self.gradInput:resizeAs(input)
   else
      self.gradInput = {}
   end
   if self.doGradInput then
      local ini = self.weight:size(2)
      local gi
      if gradOutput:dim() == 1 then
         gi = torch.mv(self.weight:t(), gradOutput):resize(1, ini)
      else
         gi = torch.mm(gradOutput, self.weight)
      end
      if legacy then
         self.gradInput:resize(gi:size(1), ini, 2)
         self.gradInput:select(3, 1):copy(torch.range(1, ini):view(1, ini):expand(gi:size(1), ini))
         self.gradInput:select(3, 2):copy(gi)
      else
         for i = 1, gi:size(1) do
            self.gradInput[i] = gradOutput.new(ini, 2)
            self.gradInput[i]:select(2, 2):copy(gi[i])
            self.gradInput[i]:select(2, 1):copy(torch.range(1, ini))
         end
      end
   end
   return self.gradInput
end

function SparseLinear:__tostring__()
   return torch.type(self) ..
      string.format('(%d -> %d)', self.weight:size(2), self.weight:size(1))
end
