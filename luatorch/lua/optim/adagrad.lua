--[[ AdaGrad.

x*, {f(x)} = optim.adagrad(opfunc, x[, config][, state])

config: learningRate (1e-3), learningRateDecay (0), weightDecay (0). state (defaults to config): evalCounter,
paramVariance (the running sum of squared gradients), paramStd.
]]
function optim.adagrad(opfunc, x, config, state)
   if config == nil and state == nil then
      print('no state table, ADAGRAD initializing')
   end
   config = config or {}
   state = state or config
   local lr = config.learningRate or 1e-3
   local lrd = config.learningRateDecay or 0
   local wd = config.weightDecay or 0
   state.evalCounter = state.evalCounter or 0
   local nevals = state.evalCounter

   local fx, dfdx = opfunc(x)
   -- an L2 penalty: its gradient goes into dfdx itself, so the caller's gradient changes
   if wd ~= 0 then
      dfdx:add(wd, x)
   end

   local clr = lr / (1 + nevals * lrd)

   if not state.paramVariance then
      state.paramVariance = torch.Tensor():typeAs(x):resizeAs(dfdx):zero()
      state.paramStd = torch.Tensor():typeAs(x):resizeAs(dfdx)
   end
   state.paramVariance:addcmul(1, dfdx, dfdx)
   torch.sqrt(state.paramStd, state.paramVariance)
   -- paramStd is recomputed from paramVariance every step, so the 1e-10 never accumulates
   x:addcdiv(-clr, dfdx, state.paramStd:add(1e-10))

   state.evalCounter = state.evalCounter + 1
   return x, {fx}
end
