-- A GRU over a whole sequence in one call: input x is seqlen x batch x inputSize (batch first
-- with batchfirst), or {h0, x}; output is seqlen x batch x outputSize. Numerics: the SeqGRU
-- kernels of luatorch/thnn/recurrent.py (gate order r, u, hc).
local SeqGRU, parent = torch.class('nn.SeqGRU', 'nn.Module')
local THNN = nn.THNN

function SeqGRU:__init(inputSize, outputSize)
   parent.__init(self)
   self.inputSize = inputSize
   self.outputSize = outputSize
   self.seqLength = 1
   self.miniBatch = 1
   local D, H = inputSize, outputSize
   self.weight = torch.Tensor(D + H, 3 * H)
   self.gradWeight = torch.Tensor(D + H, 3 * H):zero()
   self.bias = torch.Tensor(3 * H)
   self.gradBias = torch.Tensor(3 * H):zero()
   self:reset()
   self.gates = torch.Tensor() -- T x N x 3H
   self.h0 = torch.Tensor()
   self._remember = 'neither'
   self.grad_h0 = torch.Tensor()
   self.grad_x = torch.Tensor()
   self.gradInput = {self.grad_h0, self.grad_x}
   self.batchfirst = false
   self.maskzero = false
end

function SeqGRU:reset(std)
   std = std or 1.0 / math.sqrt(self.outputSize + self.inputSize)
   self.bias:zero()
   self.bias[{{self.outputSize + 1, 2 * self.outputSize}}]:fill(1)
   self.weight:normal(0, std)
   return self
end

function SeqGRU:resetStates()
   self.h0 = self.h0.new()
end

local checkDims = nn.SeqLSTM.checkDims

function SeqGRU:_prepare_size(input, gradOutput)
   local h0, x
   if torch.type(input) == 'table' and #input == 2 then
      h0, x = unpack(input)
   elseif torch.isTensor(input) then
      x = input
   else
      assert(false, 'invalid input')
   end
   x, gradOutput = self:timeFirst(x, gradOutput)
   local T, N = x:size(1), x:size(2)
   checkDims(x, {T, N, self.inputSize})
   if h0 then checkDims(h0, {N, self.outputSize}) end
   if gradOutput then checkDims(gradOutput, {T, N, self.outputSize}) end
   return h0, x, gradOutput
end

-- what does not depend on the cell state is SeqLSTM's
for _, name in ipairs{'timeFirst', 'remembers', 'initialState', 'updateGradInput',
      'accGradParameters', 'training', 'evaluate', 'maskZero'} do
   SeqGRU[name] = nn.SeqLSTM[name]
end

function SeqGRU:updateOutput(input)
   self.recompute_backward = true
   local h0, x = self:_prepare_size(input)
   local N = x:size(2)
   self._output = self._output or self.weight.new()
   self._return_grad_h0 = (h0 ~= nil)
   if not h0 then
      local last = self._output:nElement() > 0 and self._output[self._output:size(1)] or nil
      h0 = self:initialState(self.h0, self.userPrevOutput, last, N, self.outputSize)
   end
   THNN.SeqGRU_updateOutput(x, h0, self.weight, self.bias, self._output, self.gates, self.maskzero)
   self.userPrevOutput = nil
   self.output = self.batchfirst and self._output:transpose(1, 2) or self._output
   return self.output
end

function SeqGRU:backward(input, gradOutput, scale)
   self.recompute_backward = false
   scale = scale or 1.0
   local h0, x, gradH = self:_prepare_size(input, gradOutput)
   assert(gradH, "Expecting gradOutput")
   self._grad_x = self._grad_x or self.weight.new()
   THNN.SeqGRU_backward(x, h0 or self.h0, self.weight, self._output, self.gates, gradH,
                        self.gradPrevOutput, self._grad_x, self.grad_h0, self.gradWeight,
                        self.gradBias, scale, self.maskzero)
   self.grad_x = self.batchfirst and self._grad_x:transpose(1, 2) or self._grad_x
   self.gradPrevOutput = nil
   self.userGradPrevOutput = self.grad_h0
   if self._return_grad_h0 then
      self.gradInput = {self.grad_h0, self.grad_x}
   else
      self.gradInput = self.grad_x
   end
   return self.gradInput
end

function SeqGRU:clearState()
   self.gates:set()
   self.grad_h0:set()
   self.grad_x:set()
   self._grad_x = nil
   self.output:set()
   self._output = nil
   self.gradInput = nil
   self.zeroMask = nil
   self._zeroMask = nil
end

function SeqGRU:forget()
   self.h0:resize(0)
end

function SeqGRU:type(typename, ...)
   self:clearState()
   return parent.type(self, typename, ...)
end

SeqGRU.remember = nn.AbstractSequencer.remember

-- an nn.GRU with the same weights. SeqGRU's weight is (D + H) x 3H (input rows, then hidden
-- rows; columns: the two gates, then the candidate) and its bias 3H; GRU's Linear layers hold
-- the transposes: i2g (2H x D, bias), o2g (2H x H), then the candidate's input (H x D, bias) and
-- hidden (H x H) maps.
function SeqGRU:toGRU()
   local D, H = self.inputSize, self.outputSize
   local gru = nn.GRU(D, H)
   local function fill(dst, src)
      local Wx, Wh = src.weight[{{1, D}}], src.weight[{{D + 1, D + H}}]
      local gates, candidate = {1, 2 * H}, {2 * H + 1, 3 * H}
      dst[1]:t():copy(Wx[{{}, gates}])
      dst[2]:copy(src.bias[{gates}])
      dst[3]:t():copy(Wh[{{}, gates}])
      dst[4]:t():copy(Wx[{{}, candidate}])
      dst[5]:copy(src.bias[{candidate}])
      dst[6]:t():copy(Wh[{{}, candidate}])
   end
   local params, gradParams = gru:parameters()
   fill(params, self)
   fill(gradParams, {weight = self.gradWeight, bias = self.gradBias})
   return gru
end
