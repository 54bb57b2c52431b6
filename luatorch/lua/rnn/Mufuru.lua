-- MuFuRu, the multi-function recurrent unit (Weissenborn & Rocktaeschel 2016): a GRU whose
-- update gate is replaced by a softmax over composition operators. One step maps {x(t), s(t-1)}
-- to s(t):
--   r = sigmoid(Wr x + Ur s)               reset gate
--   v = sigmoid(Wv [x, r * s])             feature vector
--   p = softmax over ops of Wp [x, s]      one weighting per unit
--   s(t) = sum_i p_i * op_i(s(t-1), v)
-- ops (default: all) are names among keep, replace, mul, diff, forget, sqrt_diff, max, min;
-- {'keep', 'replace'} is a GRU without the tanh.
local MuFuRu, parent = torch.class('nn.MuFuRu', 'nn.GRU')

local ALL_OPS = {'keep', 'replace', 'mul', 'diff', 'forget', 'sqrt_diff', 'max', 'min'}

-- an elementwise extreme (nn.Max or nn.Min) of the two tensors of a table
local function extreme(reduce)
   return nn.Sequential()
      :add(nn.MapTable(nn.Unsqueeze(1)))
      :add(nn.JoinTable(1))
      :add(reduce(1))
end

-- each operator maps {s(t-1), v} to a candidate state
local OPERATORS = {
   keep = function() return nn.SelectTable(1) end,
   replace = function() return nn.SelectTable(2) end,
   mul = function() return nn.CMulTable() end,
   diff = function() return nn.CSubTable() end,
   forget = function()
      return nn.Sequential():add(nn.SelectTable(1)):add(nn.MulConstant(0.0))
   end,
   sqrt_diff = function()
      return nn.Sequential()
         :add(nn.CSubTable()):add(nn.Abs()):add(nn.Sqrt()):add(nn.MulConstant(0.25))
   end,
   max = function() return extreme(nn.Max) end,
   min = function() return extreme(nn.Min) end,
}

function MuFuRu:__init(inputSize, outputSize, ops, rho)
   self.ops = ops or ALL_OPS
   self.num_ops = #self.ops
   self.operations = {}
   for i, name in ipairs(self.ops) do
      assert(OPERATORS[name], 'unknown MuFuRu operator ' .. tostring(name))
      self.operations[i] = OPERATORS[name]()
   end
   self.inputSize = inputSize
   self.outputSize = outputSize
   parent.__init(self, inputSize, outputSize, rho or 9999)
end

function MuFuRu:buildModel()
   local n, m, k = self.inputSize, self.outputSize, self.num_ops
   -- {x, s} -> r
   local resetGate = nn.Sequential()
      :add(nn.ParallelTable():add(nn.Linear(n, m)):add(nn.Linear(m, m)))
      :add(nn.CAddTable())
      :add(nn.Sigmoid())
   -- {x, s, r} -> v
   local feature = nn.Sequential()
      :add(nn.ConcatTable()
         :add(nn.SelectTable(1))
         :add(nn.Sequential():add(nn.NarrowTable(2, 2)):add(nn.CMulTable())))
      :add(nn.JoinTable(2))
      :add(nn.Linear(n + m, m))
      :add(nn.Sigmoid())
   -- {x, s, r} -> p, batch x k x m (softmax over the k operators of each unit)
   local opWeights = nn.Sequential()
      :add(nn.NarrowTable(1, 2))
      :add(nn.JoinTable(2))
      :add(nn.Linear(n + m, k * m))
      :add(nn.View(k, m):setNumInputDims(1))
      :add(nn.Transpose({1, 2}))
      :add(nn.SoftMax())
   -- {s, v, p} -> the k candidates stacked (k x batch x m), weighted by p, summed
   local candidates = nn.ConcatTable()
   for _, op in ipairs(self.operations) do candidates:add(op) end
   local stacked = nn.Sequential()
      :add(nn.NarrowTable(1, 2))
      :add(candidates)
      :add(nn.MapTable(nn.Unsqueeze(1)))
      :add(nn.JoinTable(1, 3))
   local combine = nn.Sequential()
      :add(nn.ConcatTable():add(stacked):add(nn.SelectTable(3)))
      :add(nn.CMulTable())
      :add(nn.Sum(1, 3))
   return nn.Sequential()
      :add(nn.ConcatTable():add(nn.SelectTable(1)):add(nn.SelectTable(2)):add(resetGate))
      :add(nn.ConcatTable():add(nn.SelectTable(2)):add(feature):add(opWeights))
      :add(combine)
end

function MuFuRu:__tostring__()
   return string.format('%s(%d -> %d) ', torch.type(self), self.inputSize, self.outputSize)
      .. '{ ' .. table.concat(self.ops, ' ') .. ' }'
end

function MuFuRu:migrate(params)
   error"Migrate not supported for MuFuRu"
end
