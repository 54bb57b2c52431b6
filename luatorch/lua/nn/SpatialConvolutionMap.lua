local SpatialConvolutionMap, parent = torch.class('nn.SpatialConvolutionMap', 'nn.Module')
local THNN = nn.THNN

-- connection tables: one row {input plane, output plane} per kernel
nn.tables = nn.tables or {}

function nn.tables.full(nin, nout)
   local ft = torch.Tensor(nin * nout, 2)
   local p = 1
   for j = 1, nout do
      for i = 1, nin do
         ft[p][1] = i
         ft[p][2] = j
         p = p + 1
      end
   end
   return ft
end

function nn.tables.oneToOne(nfeat)
   local ft = torch.Tensor(nfeat, 2)
   for i = 1, nfeat do
      ft[i][1] = i
      ft[i][2] = i
   end
   return ft
end

-- every output plane reads nto distinct input planes, taken in turn from random permutations
-- of the inputs (a fresh permutation whenever the current one has no whole chunk left)
function nn.tables.random(nin, nout, nto)
   local tbl = torch.Tensor(nto * nout, 2)
   local perm = torch.randperm(nin)
   local chunks = math.floor(nin / nto)
   local from = tbl:select(2, 1):unfold(1, nto, nto)
   local to = tbl:select(2, 2):unfold(1, nto, nto)
   local permChunks = perm:narrow(1, 1, chunks * nto):unfold(1, nto, nto)
   local c = 1
   for i = 1, nout do
      from:select(1, i):copy(permChunks:select(1, c))
      c = c + 1
      if c - 1 == chunks then
         perm:copy(torch.randperm(nin))
         c = 1
      end
   end
   for i = 1, to:size(1) do
      to:select(1, i):fill(i)
   end
   return tbl
end

function SpatialConvolutionMap:__init(conMatrix, kW, kH, dW, dH)
   parent.__init(self)
   self.kW = kW
   self.kH = kH
   self.dW = dW or 1
   self.dH = dH or 1
   self.connTable = conMatrix
   self.nInputPlane = self.connTable:select(2, 1):max()
   self.nOutputPlane = self.connTable:select(2, 2):max()
   self.weight = torch.Tensor(self.connTable:size(1), kH, kW)
   self.bias = torch.Tensor(self.nOutputPlane)
   self.gradWeight = torch.Tensor(self.connTable:size(1), kH, kW)
   self.gradBias = torch.Tensor(self.nOutputPlane)
   self:reset()
end

-- without stdv, each kernel's range follows the fan-in of its output plane; kernels are drawn
-- in table order, then the biases. With nn.oldSeed every value is a torch.uniform (a double
-- rounded to the tensor's type), as in Torch.
local function draw(t, stdv)
   if nn.oldSeed then
      t:apply(function() return torch.uniform(-stdv, stdv) end)
   else
      t:uniform(-stdv, stdv)
   end
end

function SpatialConvolutionMap:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
      draw(self.weight, stdv)
      draw(self.bias, stdv)
   else
      local fanin = torch.Tensor(self.nOutputPlane):zero()
      for i = 1, self.connTable:size(1) do
         local o = self.connTable[i][2]
         fanin[o] = fanin[o] + 1
      end
      for k = 1, self.connTable:size(1) do
         stdv = 1 / math.sqrt(self.kW * self.kH * fanin[self.connTable[k][2]])
         draw(self.weight:select(1, k), stdv)
      end
      for k = 1, self.bias:size(1) do
         stdv = 1 / math.sqrt(self.kW * self.kH * fanin[k])
         self.bias[k] = torch.uniform(-stdv, stdv)
      end
   end
end

function SpatialConvolutionMap:updateOutput(input)
   THNN.SpatialConvolutionMap_updateOutput(input, self.output, self.weight, self.bias,
      self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH)
   return self.output
end

function SpatialConvolutionMap:updateGradInput(input, gradOutput)
   THNN.SpatialConvolutionMap_updateGradInput(input, gradOutput, self.gradInput, self.weight,
      self.bias, self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH)
   return self.gradInput
end

function SpatialConvolutionMap:accGradParameters(input, gradOutput, scale)
   THNN.SpatialConvolutionMap_accGradParameters(input, gradOutput, self.gradWeight,
      self.gradBias, self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH,
      scale or 1)
end

function SpatialConvolutionMap:decayParameters(decay)
   self.weight:add(-decay, self.weight)
   self.bias:add(-decay, self.bias)
end
