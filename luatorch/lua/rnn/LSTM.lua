-- Long Short-Term Memory with peephole connections (cell to gates, cell2gate). One step maps
-- {x(t), h(t-1), c(t-1)} to {h(t), c(t)}:
--   i = sigmoid(Wxi x + Whi h + Wci c)       f = sigmoid(Wxf x + Whf h + Wcf c)
--   c(t) = f * c(t-1) + i * tanh(Wxc x + Whc h)
--   o = sigmoid(Wxo x + Who h + Wco c(t))    h(t) = o * tanh(c(t))
local LSTM, parent = torch.class('nn.LSTM', 'nn.AbstractRecurrent')

function LSTM:__init(inputSize, outputSize, rho, cell2gate, p, mono)
   parent.__init(self, rho or 9999)
   self.p = p or 0
   if p and p ~= 0 then
      assert(nn.Dropout(p, false, false, true).lazy, 'only work with Lazy Dropout!')
   end
   self.mono = mono or false
   self.inputSize = inputSize
   self.outputSize = outputSize or inputSize
   self.cell2gate = (cell2gate == nil) and true or cell2gate
   self.recurrentModule = self:buildModel()
   self.modules[1] = self.recurrentModule
   self.sharedClones[1] = self.recurrentModule
   -- the initial hidden state and the gradient after the last step
   self.zeroTensor = torch.Tensor()
   self.cells = {}
   self.gradCells = {}
end

function LSTM:dropout()
   return nn.Dropout(self.p, false, false, true, self.mono)
end

-- sigmoid(W x + U h [+ diag(V) c]) from {x, h, c}
function LSTM:buildGate()
   local gate = nn.Sequential()
   if not self.cell2gate then gate:add(nn.NarrowTable(1, 2)) end
   local input2gate = nn.Sequential()
      :add(self:dropout()):add(nn.Linear(self.inputSize, self.outputSize))
   local output2gate = nn.Sequential()
      :add(self:dropout()):add(nn.LinearNoBias(self.outputSize, self.outputSize))
   local para = nn.ParallelTable():add(input2gate):add(output2gate)
   if self.cell2gate then para:add(nn.CMul(self.outputSize)) end
   gate:add(para)
   gate:add(nn.CAddTable())
   gate:add(nn.Sigmoid())
   return gate
end

function LSTM:buildInputGate()
   self.inputGate = self:buildGate()
   return self.inputGate
end

function LSTM:buildForgetGate()
   self.forgetGate = self:buildGate()
   return self.forgetGate
end

-- tanh(W x + U h) from {x, h, c}
function LSTM:buildHidden()
   local hidden = nn.Sequential()
   hidden:add(nn.NarrowTable(1, 2))
   local input2hidden = nn.Sequential()
      :add(self:dropout()):add(nn.Linear(self.inputSize, self.outputSize))
   local output2hidden = nn.Sequential()
      :add(self:dropout()):add(nn.LinearNoBias(self.outputSize, self.outputSize))
   hidden:add(nn.ParallelTable():add(input2hidden):add(output2hidden))
   hidden:add(nn.CAddTable())
   hidden:add(nn.Tanh())
   self.hiddenLayer = hidden
   return hidden
end

-- c(t) = f * c(t-1) + i * hidden, from {x, h, c}
function LSTM:buildCell()
   self.inputGate = self:buildInputGate()
   self.forgetGate = self:buildForgetGate()
   self.hiddenLayer = self:buildHidden()
   local forget = nn.Sequential()
      :add(nn.ConcatTable():add(self.forgetGate):add(nn.SelectTable(3)))
      :add(nn.CMulTable())
   local input = nn.Sequential()
      :add(nn.ConcatTable():add(self.inputGate):add(self.hiddenLayer))
      :add(nn.CMulTable())
   local cell = nn.Sequential()
      :add(nn.ConcatTable():add(forget):add(input))
      :add(nn.CAddTable())
   self.cellLayer = cell
   return cell
end

function LSTM:buildOutputGate()
   self.outputGate = self:buildGate()
   return self.outputGate
end

-- {x, h(t-1), c(t-1)} -> {h(t), c(t)}
function LSTM:buildModel()
   self.cellLayer = self:buildCell()
   self.outputGate = self:buildOutputGate()
   local model = nn.Sequential()
   -- {x, h, c(t)}
   model:add(nn.ConcatTable():add(nn.NarrowTable(1, 2)):add(self.cellLayer))
   model:add(nn.FlattenTable())
   local cellAct = nn.Sequential():add(nn.SelectTable(3)):add(nn.Tanh())
   local output = nn.Sequential()
      :add(nn.ConcatTable():add(self.outputGate):add(cellAct))
      :add(nn.CMulTable())
   model:add(nn.ConcatTable():add(output):add(nn.SelectTable(3)))
   return model
end

-- step nil is the last step, a negative step counts back from it
local function resolveStep(self, step, current)
   if step == nil then return current - 1 end
   if step < 0 then return current - step - 1 end
   return step
end

-- {h, c} after step (step 0: the user's initial state or zeros shaped like input)
function LSTM:getHiddenState(step, input)
   step = resolveStep(self, step, self.step)
   local prevOutput, prevCell
   if step == 0 then
      prevOutput = self.userPrevOutput or self.outputs[step] or self.zeroTensor
      prevCell = self.userPrevCell or self.cells[step] or self.zeroTensor
      if input then
         if input:dim() == 2 then
            self.zeroTensor:resize(input:size(1), self.outputSize):zero()
         else
            self.zeroTensor:resize(self.outputSize):zero()
         end
      end
   else
      prevOutput = self.outputs[step]
      prevCell = self.cells[step]
   end
   return {prevOutput, prevCell}
end

function LSTM:setHiddenState(step, hiddenState)
   step = resolveStep(self, step, self.step)
   assert(torch.type(hiddenState) == 'table')
   assert(#hiddenState == 2)
   self.outputs[step] = hiddenState[1]
   self.cells[step] = hiddenState[2]
end

function LSTM:updateOutput(input)
   local prevOutput, prevCell = unpack(self:getHiddenState(self.step - 1, input))
   local output, cell
   if self.train ~= false then
      self:recycle()
      local module = self:getStepModule(self.step)
      output, cell = unpack(module:updateOutput{input, prevOutput, prevCell})
   else
      output, cell = unpack(self.recurrentModule:updateOutput{input, prevOutput, prevCell})
   end
   self.cells[self.step] = cell
   self.cell = cell
   return self:endStep(output)
end

-- {dL/dh, dL/dc} flowing into step from the step after it
function LSTM:getGradHiddenState(step)
   self.gradOutputs = self.gradOutputs or {}
   self.gradCells = self.gradCells or {}
   step = resolveStep(self, step, self.updateGradInputStep or self.step)
   local gradOutput, gradCell
   if step == self.step - 1 then
      gradOutput = self.userNextGradOutput or self.gradOutputs[step] or self.zeroTensor
      gradCell = self.userNextGradCell or self.gradCells[step] or self.zeroTensor
   else
      gradOutput = self.gradOutputs[step]
      gradCell = self.gradCells[step]
   end
   return {gradOutput, gradCell}
end

function LSTM:setGradHiddenState(step, gradHiddenState)
   step = resolveStep(self, step, self.updateGradInputStep or self.step)
   assert(torch.type(gradHiddenState) == 'table')
   assert(#gradHiddenState == 2)
   self.gradOutputs[step] = gradHiddenState[1]
   self.gradCells[step] = gradHiddenState[2]
end

function LSTM:_updateGradInput(input, gradOutput)
   assert(self.step > 1, "expecting at least one updateOutput")
   local step = self.updateGradInputStep - 1
   assert(step >= 1)
   local module = self:getStepModule(step)
   local gradHidden = self:getGradHiddenState(step)
   local nextGradOutput, gradCell = gradHidden[1], gradHidden[2]
   assert(nextGradOutput and gradCell)
   gradOutput = self:stepGradOutput(step, nextGradOutput, gradOutput)
   local inputTable = self:getHiddenState(step - 1)
   table.insert(inputTable, 1, input)
   local gradInputTable = module:updateGradInput(inputTable, {gradOutput, gradCell})
   self:setGradHiddenState(step - 1, {gradInputTable[2], gradInputTable[3]})
   return gradInputTable[1]
end

function LSTM:_accGradParameters(input, gradOutput, scale)
   local step = self.accGradParametersStep - 1
   assert(step >= 1)
   local module = self:getStepModule(step)
   local inputTable = self:getHiddenState(step - 1)
   table.insert(inputTable, 1, input)
   local gradOutputTable = self:getGradHiddenState(step)
   gradOutputTable[1] = self._gradOutputs[step] or gradOutputTable[1]
   module:accGradParameters(inputTable, gradOutputTable, scale)
end

function LSTM:clearState()
   self.zeroTensor:set()
   for _, name in ipairs{'userPrevOutput', 'userPrevCell', 'userGradPrevOutput', 'userGradPrevCell'} do
      if self[name] then self[name]:set() end
   end
   return parent.clearState(self)
end

function LSTM:type(typename, ...)
   if typename then
      self:forget()
      self:clearState()
      self.zeroTensor = self.zeroTensor:type(typename)
   end
   return parent.type(self, typename, ...)
end
