-- finite-difference checks of modules' derivatives (as Torch's nn.Jacobian)
nn.Jacobian = {}

-- Writes column after column of an n x m matrix: each column goes into a row of a small
-- buffer (a contiguous copy, done in Lua), and every few columns the block is copied into the
-- matrix at once (a copy into one strided column costs a call into Python each time). The
-- matrix gets the same values as from jacobian:select(2, i):copy(x).
local function columnWriter(jacobian)
   if jacobian:dim() ~= 2 then  -- (empty: the column copy raises Torch's error)
      local i = 0
      return {put = function(x)
         i = i + 1
         jacobian:select(2, i):copy(x)
      end}
   end
   local n, m = jacobian:size(1), jacobian:size(2)
   local rows = math.max(1, math.min(m, math.floor(2^20 / math.max(n, 1))))
   local buffer = jacobian.new(rows, n)
   local filled, first = 0, 1
   local writer = {}
   function writer.put(x)
      filled = filled + 1
      buffer[filled]:copy(x)
      if filled == rows or first + filled - 1 == m then
         jacobian:narrow(2, first, filled):copy(buffer:narrow(1, 1, filled):t())
         first, filled = first + filled, 0
      end
   end
   return writer
end

-- the Jacobian d output / d param (or d input) from backpropagation, one output unit at a time
function nn.Jacobian.backward(module, input, param, dparam)
   local doparam = 0
   if param then
      doparam = 1
   end
   param = param or input
   -- output deriv
   module:forward(input)
   local dout = module.output.new():resizeAs(module.output)
   -- 1D view
   local sdout = module.output.new(dout:storage(), 1, dout:nElement())
   -- jacobian matrix to calculate
   local jacobian = torch.Tensor(param:nElement(), dout:nElement()):zero()
   local columns = columnWriter(jacobian)

   for i = 1, sdout:nElement() do
      dout:zero()
      sdout[i] = 1
      module:zeroGradParameters()
      local din = module:updateGradInput(input, dout)
      module:accGradParameters(input, dout)
      if doparam == 1 then
         columns.put(dparam)
      else
         columns.put(din)
      end
   end
   return jacobian
end

function nn.Jacobian.backwardUpdate(module, input, param)
   -- output deriv
   module:forward(input)
   local dout = module.output.new():resizeAs(module.output)
   -- 1D view
   local sdout = module.output.new(dout:storage(), 1, dout:nElement())
   -- jacobian matrix to calculate
   local jacobian = torch.Tensor(param:nElement(), dout:nElement()):zero()
   local columns = columnWriter(jacobian)

   -- original param
   local params = module:parameters()
   local origparams = {}
   for j = 1, #params do
      table.insert(origparams, params[j]:clone())
   end

   for i = 1, sdout:nElement() do
      for j = 1, #params do
         params[j]:copy(origparams[j])
      end
      dout:zero()
      sdout[i] = 1
      module:updateGradInput(input, dout)
      module:accUpdateGradParameters(input, dout, 1)
      columns.put(param)
   end

   for j = 1, #params do
      params[j]:copy(origparams[j])
   end

   return jacobian
end

-- the Jacobian by central differences of the forward pass
function nn.Jacobian.forward(module, input, param, perturbation)
   param = param or input
   -- perturbation amount
   perturbation = perturbation or 1e-6
   -- 1D view of input
   local sin = param.new(param):resize(param:nElement())
   -- jacobian matrix to calculate
   local jacobian = torch.Tensor():resize(param:nElement(), module:forward(input):nElement())

   local outa = torch.Tensor(jacobian:size(2))
   local outb = torch.Tensor(jacobian:size(2))

   for i = 1, sin:nElement() do
      local orig = sin[i]
      sin[i] = orig - perturbation
      outa:copy(module:forward(input))
      sin[i] = orig + perturbation
      outb:copy(module:forward(input))
      sin[i] = orig

      outb:add(-1, outa):div(2 * perturbation)
      jacobian:select(1, i):copy(outb)
   end

   return jacobian
end

-- diagonal Hessian of F = sum(y^2)/2 by the modules' own second-order code (needs the
-- updateDiagHessianInput/accDiagHessianParameters methods of hessian.lua): d2F/dy2 = 1
function nn.Jacobian.backwardDiagHessian(module, input, diagHessianParamName)
   module:forward(input)
   local diagHessianOutput = module.output.new():resizeAs(module.output):fill(1)
   module.diagHessianWeight:zero()
   module.diagHessianBias:zero()
   module:updateDiagHessianInput(input, diagHessianOutput)
   module:accDiagHessianParameters(input, diagHessianOutput)
   return module[diagHessianParamName]
end

-- the same diagonal Hessian from first derivatives, for modules linear in inputs and weights:
-- d2F/dx_i2 = sum_k (dy_k/dx_i)^2
function nn.Jacobian.linearModuleDiagHessian(module, input, gradParamName)
   local gradParam = module[gradParamName]
   local diagHessian = gradParam.new():resize(gradParam:nElement()):zero()
   module:forward(input)
   local gradOutput = module.output.new():resizeAs(module.output)
   local gradOutput1D = gradOutput:view(gradOutput:nElement())
   for i = 1, gradOutput:nElement() do
      gradOutput1D:zero()
      gradOutput1D[i] = 1
      module.gradWeight:zero()
      if module.bias then
         module.gradBias:zero()
      end
      module:updateGradInput(input, gradOutput)
      module:accGradParameters(input, gradOutput)
      diagHessian:addcmul(gradParam, gradParam)
   end
   return diagHessian
end

function nn.Jacobian.forwardUpdate(module, input, param, perturbation)
   -- perturbation amount
   perturbation = perturbation or 1e-6
   -- 1D view of input
   local sin = param.new(param):resize(param:nElement())
   -- jacobian matrix to calculate
   local jacobian = torch.Tensor():resize(param:nElement(), module:forward(input):nElement())

   local outa = torch.Tensor(jacobian:size(2))
   local outb = torch.Tensor(jacobian:size(2))

   for i = 1, sin:nElement() do
      local orig = sin[i]
      sin[i] = orig - perturbation
      outa:copy(module:forward(input))
      sin[i] = orig + perturbation
      outb:copy(module:forward(input))
      sin[i] = orig

      outb:add(-1, outa):div(2 * perturbation)
      jacobian:select(1, i):copy(outb)
      jacobian:select(1, i):mul(-1)
      jacobian:select(1, i):add(sin[i])
   end
   return jacobian
end

function nn.Jacobian.testJacobian(module, input, minval, maxval, perturbation)
   minval = minval or -2
   maxval = maxval or 2
   local inrange = maxval - minval
   input:copy(torch.rand(input:nElement()):mul(inrange):add(minval))
   local jac_fprop = nn.Jacobian.forward(module, input, input, perturbation)
   local jac_bprop = nn.Jacobian.backward(module, input)
   local error = jac_fprop - jac_bprop
   return error:abs():max()
end

function nn.Jacobian.testJacobianParameters(module, input, param, dparam, minval, maxval, perturbation)
   minval = minval or -2
   maxval = maxval or 2
   local inrange = maxval - minval
   input:copy(torch.rand(input:nElement()):mul(inrange):add(minval))
   param:copy(torch.rand(param:nElement()):mul(inrange):add(minval))
   local jac_bprop = nn.Jacobian.backward(module, input, param, dparam)
   local jac_fprop = nn.Jacobian.forward(module, input, param, perturbation)
   local error = jac_fprop - jac_bprop
   return error:abs():max()
end

function nn.Jacobian.testJacobianUpdateParameters(module, input, param, minval, maxval, perturbation)
   minval = minval or -2
   maxval = maxval or 2
   local inrange = maxval - minval
   input:copy(torch.rand(input:nElement()):mul(inrange):add(minval))
   param:copy(torch.rand(param:nElement()):mul(inrange):add(minval))
   local params_bprop = nn.Jacobian.backwardUpdate(module, input, param)
   local params_fprop = nn.Jacobian.forwardUpdate(module, input, param, perturbation)

   local error = params_fprop - params_bprop
   return error:abs():max()
end

function nn.Jacobian.testDiagHessian(module, input, gradParamName, diagHessianParamName, minval, maxval)
   minval = minval or -2
   maxval = maxval or 2
   local inrange = maxval - minval
   input:copy(torch.rand(input:nElement()):mul(inrange):add(minval))
   module:initDiagHessianParameters()
   local h_bprop = nn.Jacobian.backwardDiagHessian(module, input, diagHessianParamName)
   local h_linearModuleDiagHessian = nn.Jacobian.linearModuleDiagHessian(module, input, gradParamName)
   local error = h_bprop - h_linearModuleDiagHessian
   return error:abs():max()
end

function nn.Jacobian.testDiagHessianInput(module, input, minval, maxval)
   return nn.Jacobian.testDiagHessian(module, input, 'gradInput', 'diagHessianInput', minval, maxval)
end

function nn.Jacobian.testDiagHessianWeight(module, input, minval, maxval)
   return nn.Jacobian.testDiagHessian(module, input, 'gradWeight', 'diagHessianWeight', minval, maxval)
end

function nn.Jacobian.testDiagHessianBias(module, input, minval, maxval)
   return nn.Jacobian.testDiagHessian(module, input, 'gradBias', 'diagHessianBias', minval, maxval)
end

-- write the module out and read it back: forward and backward must give the same results
function nn.Jacobian.testIO(module, input, minval, maxval)
   minval = minval or -2
   maxval = maxval or 2
   local inrange = maxval - minval
   local inputclone = input:clone()

   -- run module
   module:forward(input)
   local go = module.output:clone():copy(torch.rand(module.output:nElement()):mul(inrange):add(minval))
   input:copy(inputclone)
   module:zeroGradParameters()
   module:updateGradInput(input, go)
   module:accGradParameters(input, go)

   local fo = module.output:clone()
   local bo = module.gradInput:clone()

   -- write and read the module
   assert(torch.MemoryFile, 'nn.Jacobian.testIO needs torch.MemoryFile')
   local f = torch.MemoryFile('rw'):binary()
   f:writeObject(module)
   f:seek(1)
   local m = f:readObject()
   f:close()

   m:forward(inputclone)
   m:zeroGradParameters()
   m:updateGradInput(inputclone, go)
   m:accGradParameters(inputclone, go)

   local fo2 = m.output:clone()
   local bo2 = m.gradInput:clone()

   local errf = fo - fo2
   local errb = bo - bo2
   return errf:abs():max(), errb:numel() == 0 and 0 or errb:abs():max()
end

function nn.Jacobian.testAllUpdate(module, input, weight, gradWeight)
   local gradOutput
   local lr = torch.uniform(0.1, 1)
   local errors = {}

   -- accGradParameters
   local maccgp = module:clone()
   local weightc = maccgp[weight]:clone()
   maccgp:forward(input)
   gradOutput = torch.rand(maccgp.output:size())
   maccgp:zeroGradParameters()
   maccgp:updateGradInput(input, gradOutput)
   maccgp:accGradParameters(input, gradOutput)
   maccgp:updateParameters(lr)
   errors['accGradParameters'] = (weightc - maccgp[gradWeight] * lr - maccgp[weight]):norm()

   -- accUpdateGradParameters
   local maccugp = module:clone()
   maccugp:forward(input)
   maccugp:updateGradInput(input, gradOutput)
   maccugp:accUpdateGradParameters(input, gradOutput, lr)
   errors['accUpdateGradParameters'] = (maccugp[weight] - maccgp[weight]):norm()

   -- shared, accGradParameters
   local macsh1 = module:clone()
   local macsh2 = module:clone()
   macsh2:share(macsh1, weight)
   macsh1:forward(input)
   macsh2:forward(input)
   macsh1:zeroGradParameters()
   macsh2:zeroGradParameters()
   macsh1:updateGradInput(input, gradOutput)
   macsh2:updateGradInput(input, gradOutput)
   macsh1:accGradParameters(input, gradOutput)
   macsh2:accGradParameters(input, gradOutput)
   macsh1:updateParameters(lr)
   macsh2:updateParameters(lr)
   local err = (weightc - maccgp[gradWeight] * (lr * 2) - macsh1[weight]):norm()
   err = err + (weightc - maccgp[gradWeight] * (lr * 2) - macsh2[weight]):norm()
   errors['accGradParameters [shared]'] = err

   -- shared, accUpdateGradParameters
   local macshu1 = module:clone()
   local macshu2 = module:clone()
   macshu2:share(macshu1, weight)
   macshu1:forward(input)
   macshu2:forward(input)
   macshu1:updateGradInput(input, gradOutput)
   macshu2:updateGradInput(input, gradOutput)
   macshu1:accUpdateGradParameters(input, gradOutput, lr)
   macshu2:accUpdateGradParameters(input, gradOutput, lr)
   err = (weightc - maccgp[gradWeight] * (lr * 2) - macshu1[weight]):norm()
   err = err + (weightc - maccgp[gradWeight] * (lr * 2) - macshu2[weight]):norm()
   errors['accUpdateGradParameters [shared]'] = err

   return errors
end

return nn.Jacobian
