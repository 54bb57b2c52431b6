-- finite-difference checks for modules taking sparse input: an nnz x 2 tensor of
-- (index, value) rows, of which only the values (column 2) are differentiated
nn.SparseJacobian = {}

-- d output / d param (or d input values) by backpropagation, one output unit at a time
function nn.SparseJacobian.backward(module, input, param, dparam)
   module:forward(input)
   local dout = module.output.new():resizeAs(module.output)
   local sdout = module.output.new(dout:storage(), 1, dout:nElement())
   local jacobian
   if param then
      jacobian = torch.Tensor(param:nElement(), dout:nElement()):zero()
   else
      jacobian = torch.Tensor(input:size(1), dout:nElement()):zero()
   end
   for i = 1, sdout:nElement() do
      dout:zero()
      sdout[i] = 1
      module:zeroGradParameters()
      local din = module:updateGradInput(input, dout)
      module:accGradParameters(input, dout)
      if param then
         jacobian:select(2, i):copy(dparam)
      else
         jacobian:select(2, i):copy(din:select(2, 2))
      end
   end
   return jacobian
end

-- the parameters after one accUpdateGradParameters step per output unit (from the same start)
function nn.SparseJacobian.backwardUpdate(module, input, param)
   module:forward(input)
   local dout = module.output.new():resizeAs(module.output)
   local sdout = module.output.new(dout:storage(), 1, dout:nElement())
   local jacobian = torch.Tensor(param:nElement(), dout:nElement()):zero()
   local params = module:parameters()
   local orig = {}
   for j = 1, #params do orig[j] = params[j]:clone() end
   for i = 1, sdout:nElement() do
      for j = 1, #params do params[j]:copy(orig[j]) end
      dout:zero()
      sdout[i] = 1
      module:zeroGradParameters()
      module:updateGradInput(input, dout)
      module:accUpdateGradParameters(input, dout, 1)
      jacobian:select(2, i):copy(param)
   end
   for j = 1, #params do params[j]:copy(orig[j]) end
   return jacobian
end

-- d output / d param (or d input values) by central differences
function nn.SparseJacobian.forward(module, input, param)
   local small = 1e-6
   local sin
   if param then
      sin = param.new(param):resize(param:nElement())
   else
      sin = input.new(input):select(2, 2)
   end
   local out = module:forward(input)
   local jacobian
   if param then
      jacobian = torch.Tensor():resize(param:nElement(), out:nElement())
   else
      jacobian = torch.Tensor():resize(input:size(1), out:nElement())
   end
   local outa = torch.Tensor(jacobian:size(2))
   local outb = torch.Tensor(jacobian:size(2))
   for i = 1, sin:nElement() do
      sin[i] = sin[i] - small
      outa:copy(module:forward(input))
      sin[i] = sin[i] + 2 * small
      outb:copy(module:forward(input))
      sin[i] = sin[i] - small
      outb:add(-1, outa):div(2 * small)
      jacobian:select(1, i):copy(outb)
   end
   return jacobian
end

-- param - d output / d param: what backwardUpdate's step with lr 1 gives
function nn.SparseJacobian.forwardUpdate(module, input, param)
   local small = 1e-6
   local sin = param.new(param):resize(param:nElement())
   local jacobian = torch.Tensor():resize(param:nElement(), module:forward(input):nElement())
   local outa = torch.Tensor(jacobian:size(2))
   local outb = torch.Tensor(jacobian:size(2))
   for i = 1, sin:nElement() do
      sin[i] = sin[i] - small
      outa:copy(module:forward(input))
      sin[i] = sin[i] + 2 * small
      outb:copy(module:forward(input))
      sin[i] = sin[i] - small
      outb:add(-1, outa):div(2 * small)
      jacobian:select(1, i):copy(outb)
      jacobian:select(1, i):mul(-1)
      jacobian:select(1, i):add(sin[i])
   end
   return jacobian
end

local function randomValues(input, minval, maxval)
   minval = minval or -2
   maxval = maxval or 2
   input:select(2, 2):copy(torch.rand(input:size(1)):mul(maxval - minval):add(minval))
   return minval, maxval
end

function nn.SparseJacobian.testJacobian(module, input, minval, maxval)
   randomValues(input, minval, maxval)
   local jac_fprop = nn.SparseJacobian.forward(module, input)
   local jac_bprop = nn.SparseJacobian.backward(module, input)
   return (jac_fprop - jac_bprop):abs():max()
end

function nn.SparseJacobian.testJacobianParameters(module, input, param, dparam, minval, maxval)
   minval, maxval = randomValues(input, minval, maxval)
   param:copy(torch.rand(param:nElement()):mul(maxval - minval):add(minval))
   local jac_bprop = nn.SparseJacobian.backward(module, input, param, dparam)
   local jac_fprop = nn.SparseJacobian.forward(module, input, param)
   return (jac_fprop - jac_bprop):abs():max()
end

function nn.SparseJacobian.testJacobianUpdateParameters(module, input, param, minval, maxval)
   minval, maxval = randomValues(input, minval, maxval)
   param:copy(torch.rand(param:nElement()):mul(maxval - minval):add(minval))
   local params_bprop = nn.SparseJacobian.backwardUpdate(module, input, param)
   local params_fprop = nn.SparseJacobian.forwardUpdate(module, input, param)
   return (params_fprop - params_bprop):abs():max()
end

-- forward/backward results survive a write/read round trip of the module
function nn.SparseJacobian.testIO(module, input, minval, maxval)
   minval = minval or -2
   maxval = maxval or 2
   module:forward(input)
   local go = module.output:clone():copy(
      torch.rand(module.output:nElement()):mul(maxval - minval):add(minval))
   module:zeroGradParameters()
   module:updateGradInput(input, go)
   module:accGradParameters(input, go)
   local fo = module.output:clone()
   local bo = module.gradInput:clone()
   local f = torch.DiskFile('tmp.bin', 'w'):binary()
   f:writeObject(module)
   f:close()
   local m = torch.DiskFile('tmp.bin'):binary():readObject()
   m:forward(input)
   m:zeroGradParameters()
   m:updateGradInput(input, go)
   m:accGradParameters(input, go)
   os.remove('tmp.bin')
   return (fo - m.output):abs():max(), (bo - m.gradInput):abs():max()
end

-- the four ways of updating a weight agree (plain, accUpdate, and both with a shared clone):
-- the same check as nn.Jacobian's, which sparse inputs need nothing different for
require 'nn.Jacobian'
nn.SparseJacobian.testAllUpdate = nn.Jacobian.testAllUpdate
