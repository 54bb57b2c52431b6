-- An LSTM without peepholes whose four gates come from one Linear of the input and one of the
-- previous output (4*outputSize wide): gates in order input, hidden (tanh), forget, output.
-- FastLSTM.usenngraph = true builds the step as an nn.gModule; FastLSTM.bn adds batch
-- normalization to the input and recurrent projections and to the cell.
local FastLSTM, parent = torch.class('nn.FastLSTM', 'nn.LSTM')

FastLSTM.usenngraph = false
FastLSTM.bn = false

function FastLSTM:__init(inputSize, outputSize, rho, eps, momentum, affine, p, mono)
   self.eps = eps
   self.momentum = momentum
   self.affine = affine == nil and true or affine
   self.p = p or 0
   if p and p ~= 0 then
      assert(nn.Dropout(p, false, false, true).lazy, 'only work with Lazy Dropout!')
   end
   self.mono = mono or false
   parent.__init(self, inputSize, outputSize, rho, nil, p, mono)
end

-- n dropouts feeding n Linears, joined along the feature dimension
function FastLSTM:droppedLinears(n, inputSize, linear)
   local drops, linears = nn.ConcatTable(), nn.ParallelTable()
   for _ = 1, n do drops:add(self:dropout()) end
   for _ = 1, n do linears:add(linear(inputSize, self.outputSize)) end
   return nn.Sequential():add(drops):add(linears):add(nn.JoinTable(2))
end

function FastLSTM:buildModel()
   if self.p ~= 0 then
      self.i2g = self:droppedLinears(4, self.inputSize, nn.Linear)
      self.o2g = self:droppedLinears(4, self.outputSize, nn.LinearNoBias)
   else
      self.i2g = nn.Linear(self.inputSize, 4 * self.outputSize)
      self.o2g = nn.LinearNoBias(self.outputSize, 4 * self.outputSize)
   end
   if self.usenngraph or self.bn then
      require 'nngraph'
      return self:nngraphModel()
   end
   -- {x, h, c} -> {i, g, f, o, c}
   local gates = nn.Sequential()
      :add(nn.NarrowTable(1, 2))
      :add(nn.ParallelTable():add(self.i2g):add(self.o2g))
      :add(nn.CAddTable())
      :add(nn.Reshape(4, self.outputSize))
      :add(nn.SplitTable(1, 2))
      :add(nn.ParallelTable():add(nn.Sigmoid()):add(nn.Tanh()):add(nn.Sigmoid()):add(nn.Sigmoid()))
   local seq = nn.Sequential()
   seq:add(nn.ConcatTable():add(gates):add(nn.SelectTable(3)))
   seq:add(nn.FlattenTable())
   -- c(t) = i * g + f * c(t-1)
   local inputPart = nn.Sequential():add(nn.NarrowTable(1, 2)):add(nn.CMulTable())
   local forgetPart = nn.Sequential()
      :add(nn.ConcatTable():add(nn.SelectTable(3)):add(nn.SelectTable(5)))
      :add(nn.CMulTable())
   local nextCell = nn.Sequential()
      :add(nn.ConcatTable():add(inputPart):add(forgetPart))
      :add(nn.CAddTable())
   -- {c(t), o}
   seq:add(nn.ConcatTable():add(nextCell):add(nn.SelectTable(4)))
   seq:add(nn.FlattenTable())
   -- {h(t) = tanh(c(t)) * o, c(t)}
   local cellAct = nn.Sequential():add(nn.SelectTable(1)):add(nn.Tanh())
   local output = nn.Sequential()
      :add(nn.ConcatTable():add(cellAct):add(nn.SelectTable(2)))
      :add(nn.CMulTable())
   seq:add(nn.ConcatTable():add(output):add(nn.SelectTable(1)))
   return seq
end

function FastLSTM:nngraphModel()
   assert(nngraph, "Missing nngraph package")
   local x, prevH, prevC = nn.Identity()(), nn.Identity()(), nn.Identity()()
   local i2h, h2h
   local bnWx, bnWh, bnC
   if self.bn then
      bnWx = nn.BatchNormalization(4 * self.outputSize, self.eps, self.momentum, self.affine)
      bnWh = nn.BatchNormalization(4 * self.outputSize, self.eps, self.momentum, self.affine)
      bnC = nn.BatchNormalization(self.outputSize, self.eps, self.momentum, self.affine)
      bnWx.weight:fill(0.1)
      bnWh.weight:fill(0.1)
      bnC.weight:fill(0.1)
      i2h = bnWx(self.i2g(x):annotate{name = 'i2h'}):annotate{name = 'bn_wx'}
      h2h = bnWh(self.o2g(prevH):annotate{name = 'h2h'}):annotate{name = 'bn_wh'}
      h2h = nn.Add(4 * self.outputSize)(h2h)
   else
      i2h = self.i2g(x):annotate{name = 'i2h'}
      h2h = self.o2g(prevH):annotate{name = 'h2h'}
   end
   local sums = nn.CAddTable()({i2h, h2h})
   local reshaped = nn.Reshape(4, self.outputSize)(sums)
   local n1, n2, n3, n4 = nn.SplitTable(2)(reshaped):split(4)
   local inGate = nn.Sigmoid()(n1)
   local inTransform = nn.Tanh()(n2)
   local forgetGate = nn.Sigmoid()(n3)
   local outGate = nn.Sigmoid()(n4)
   local nextC = nn.CAddTable()({
      nn.CMulTable()({forgetGate, prevC}),
      nn.CMulTable()({inGate, inTransform}),
   })
   local cellOut = self.bn and bnC(nextC):annotate{name = 'bn_c'} or nextC
   local nextH = nn.CMulTable()({outGate, nn.Tanh()(cellOut)})
   nngraph.annotateNodes()
   return nn.gModule({x, prevH, prevC}, {nextH, nextC})
end

for _, name in ipairs{'buildGate', 'buildInputGate', 'buildForgetGate', 'buildHidden',
                      'buildCell', 'buildOutputGate'} do
   FastLSTM[name] = function() error"Not Implemented" end
end
