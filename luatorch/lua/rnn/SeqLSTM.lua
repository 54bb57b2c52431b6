-- An LSTM over a whole sequence in one call (after Justin Johnson's torch-rnn): input x is
-- seqlen x batch x inputsize (batch x seqlen with batchfirst), or {h0, x} or {c0, h0, x} to
-- give the initial state; output is seqlen x batch x outputsize. The numerics are the
-- SeqLSTM kernels of luatorch/thnn/recurrent.py (gate order i, f, o, g).
local SeqLSTM, parent = torch.class('nn.SeqLSTM', 'nn.Module')
local THNN = nn.THNN

function SeqLSTM:__init(inputsize, hiddensize, outputsize)
   parent.__init(self)
   outputsize = outputsize or hiddensize
   local D, H, R = inputsize, hiddensize, outputsize
   self.inputsize, self.hiddensize, self.outputsize = D, H, R
   self.weight = torch.Tensor(D + R, 4 * H)
   self.gradWeight = torch.Tensor(D + R, 4 * H)
   self.bias = torch.Tensor(4 * H)
   self.gradBias = torch.Tensor(4 * H):zero()
   self:reset()
   self.cell = torch.Tensor()  -- T x N x H
   self.gates = torch.Tensor() -- T x N x 4H
   self.h0 = torch.Tensor()
   self.c0 = torch.Tensor()
   self._remember = 'neither'
   self.grad_c0 = torch.Tensor()
   self.grad_h0 = torch.Tensor()
   self.grad_x = torch.Tensor()
   self.gradInput = {self.grad_c0, self.grad_h0, self.grad_x}
   self.batchfirst = false
   self.maskzero = false
end

-- weights ~ N(0, std), std = 1/sqrt(inputsize + outputsize); forget-gate bias 1, others 0
function SeqLSTM:reset(std)
   std = std or 1.0 / math.sqrt(self.outputsize + self.inputsize)
   self.bias:zero()
   self.bias[{{self.outputsize + 1, 2 * self.outputsize}}]:fill(1)
   self.weight:normal(0, std)
   return self
end

function SeqLSTM:resetStates()
   self.h0 = self.h0.new()
   self.c0 = self.c0.new()
end

-- asserts that x has exactly the sizes dims (shared with SeqGRU)
function SeqLSTM.checkDims(x, dims)
   assert(x:dim() == #dims)
   for i, d in ipairs(dims) do assert(x:size(i) == d) end
end
local checkDims = SeqLSTM.checkDims

-- x and gradOutput time first (they are batch first with batchfirst)
function SeqLSTM:timeFirst(x, gradOutput)
   assert(x:dim() == 3, "Only supports batch mode")
   if self.batchfirst then
      x = x:transpose(1, 2)
      gradOutput = gradOutput and gradOutput:transpose(1, 2) or nil
   end
   return x, gradOutput
end

-- c0, h0, x (time first) and gradOutput (time first) from the input forms
function SeqLSTM:_prepare_size(input, gradOutput)
   local c0, h0, x
   if torch.type(input) == 'table' and #input == 3 then
      c0, h0, x = unpack(input)
   elseif torch.type(input) == 'table' and #input == 2 then
      h0, x = unpack(input)
   elseif torch.isTensor(input) then
      x = input
   else
      assert(false, 'invalid input')
   end
   x, gradOutput = self:timeFirst(x, gradOutput)
   local T, N = x:size(1), x:size(2)
   local H, D = self.outputsize, self.inputsize
   checkDims(x, {T, N, D})
   if h0 then checkDims(h0, {N, H}) end
   if c0 then checkDims(c0, {N, H}) end
   if gradOutput then checkDims(gradOutput, {T, N, H}) end
   return c0, h0, x, gradOutput
end

-- does the state carry over from the previous sequence? (see remember())
function SeqLSTM:remembers()
   local r = self._remember
   if self.train ~= false then return r == 'both' or r == 'train' end
   return r == 'both' or r == 'eval'
end

-- the initial state: given by the user, carried over, or zeros
function SeqLSTM:initialState(state, user, last, N, size)
   if user then
      assert(user:size(1) == N, 'batch sizes must be consistent with user state')
      state:resizeAs(user):copy(user)
   elseif state:nElement() == 0 or not self:remembers() then
      state:resize(N, size):zero()
   else
      assert(last:size(1) == N, 'batch sizes must be constant to remember states')
      state:copy(last)
   end
   return state
end

function SeqLSTM:updateOutput(input)
   self.recompute_backward = true
   local c0, h0, x = self:_prepare_size(input)
   local T, N = x:size(1), x:size(2)
   self.hiddensize = self.hiddensize or self.outputsize
   self._output = self._output or self.weight.new()
   self._return_grad_c0 = (c0 ~= nil)
   self._return_grad_h0 = (h0 ~= nil)
   if not c0 then
      local last = self.cell:nElement() > 0 and self.cell[self.cell:size(1)] or nil
      c0 = self:initialState(self.c0, self.userPrevCell, last, N, self.hiddensize)
   end
   if not h0 then
      local last = self._output:nElement() > 0 and self._output[self._output:size(1)] or nil
      h0 = self:initialState(self.h0, self.userPrevOutput, last, N, self.outputsize)
   end
   self:_forward(x, h0, c0)
   self.userPrevOutput = nil
   self.userPrevCell = nil
   self.output = self.batchfirst and self._output:transpose(1, 2) or self._output
   return self.output
end

function SeqLSTM:_forward(x, h0, c0)
   THNN.SeqLSTM_updateOutput(x, h0, c0, self.weight, self.bias, self._output, self.cell,
                             self.gates, self.maskzero)
end

function SeqLSTM:_backward(x, h0, c0, gradOutput, scale)
   THNN.SeqLSTM_backward(x, h0, c0, self.weight, self._output, self.cell, self.gates, gradOutput,
                         self.gradPrevOutput, self.userNextGradCell, self._grad_x, self.grad_h0,
                         self.grad_c0, self.gradWeight, self.gradBias, scale, false)
end

-- computes gradInput and accumulates the parameter gradients in one pass
function SeqLSTM:backward(input, gradOutput, scale)
   self.recompute_backward = false
   scale = scale or 1.0
   assert(scale == 1.0, 'must have scale=1')
   local c0, h0, x, gradH = self:_prepare_size(input, gradOutput)
   assert(gradH, "Expecting gradOutput")
   self._grad_x = self._grad_x or self.weight.new()
   self:_backward(x, h0 or self.h0, c0 or self.c0, gradH, scale)
   self.grad_x = self.batchfirst and self._grad_x:transpose(1, 2) or self._grad_x
   self.gradPrevOutput = nil
   self.userNextGradCell = nil
   self.userGradPrevCell = self.grad_c0
   self.userGradPrevOutput = self.grad_h0
   if self._return_grad_c0 and self._return_grad_h0 then
      self.gradInput = {self.grad_c0, self.grad_h0, self.grad_x}
   elseif self._return_grad_h0 then
      self.gradInput = {self.grad_h0, self.grad_x}
   else
      self.gradInput = self.grad_x
   end
   return self.gradInput
end

function SeqLSTM:clearState()
   self.cell:set()
   self.gates:set()
   self.grad_c0:set()
   self.grad_h0:set()
   self.grad_x:set()
   self._grad_x = nil
   self.output:set()
   self._output = nil
   self.gradInput = nil
   self.zeroMask = nil
   self._zeroMask = nil
end

function SeqLSTM:updateGradInput(input, gradOutput)
   if self.recompute_backward then self:backward(input, gradOutput, 1.0) end
   return self.gradInput
end

function SeqLSTM:accGradParameters(input, gradOutput, scale)
   if self.recompute_backward then self:backward(input, gradOutput, scale) end
end

function SeqLSTM:forget()
   self.c0:resize(0)
   self.h0:resize(0)
end

function SeqLSTM:type(typename, ...)
   self.zeroMask = nil
   self._zeroMask = nil
   return parent.type(self, typename, ...)
end

SeqLSTM.remember = nn.AbstractSequencer.remember

function SeqLSTM:training()
   if self.train == false then self:forget() end
   parent.training(self)
end

function SeqLSTM:evaluate()
   if self.train ~= false then self:forget() end
   parent.evaluate(self)
   assert(self.train == false)
end

-- an nn.FastLSTM with the same weights (FastLSTM's gate order is i, g, f, o, transposed)
function SeqLSTM:toFastLSTM()
   local D, H = self.inputsize, self.outputsize
   local lstm = nn.FastLSTM(D, H)
   local params, gradParams = lstm:parameters()
   -- FastLSTM block k takes SeqLSTM gate column block order[k]
   local order = {1, 4, 2, 3}
   local function blocks(src, dst, rows)
      for k, j in ipairs(order) do
         local cols = {(j - 1) * H + 1, j * H}
         if rows then
            dst[{{(k - 1) * H + 1, k * H}}]:t():copy(src[{rows, cols}])
         else
            dst[{{(k - 1) * H + 1, k * H}}]:copy(src[{cols}])
         end
      end
   end
   blocks(self.weight, params[1], {1, D})
   blocks(self.gradWeight, gradParams[1], {1, D})
   blocks(self.weight, params[3], {D + 1, D + H})
   blocks(self.gradWeight, gradParams[3], {D + 1, D + H})
   blocks(self.bias, params[2])
   blocks(self.gradBias, gradParams[2])
   return lstm
end

function SeqLSTM:maskZero()
   self.maskzero = true
end
