--[[ SGD with Nesterov's accelerated gradient (Sutskever et al., ICML 2013).

x*, {f(x)} = optim.nag(opfunc, x[, config][, state])

The gradient is taken at x + momentum * v, where v is the previous update.
config: learningRate (1e-3), learningRateDecay (0), weightDecay (0), momentum (0.9, must be
positive), learningRates (per-parameter rates). state (defaults to config): evalCounter,
dfdx (the update v), deltaParameters. As Torch7's optim, x is left at the look-ahead point plus
the step.
]]
function optim.nag(opfunc, x, config, state)
   config = config or {}
   state = state or config
   local lr = config.learningRate or 1e-3
   local lrd = config.learningRateDecay or 0
   local wd = config.weightDecay or 0
   local mom = config.momentum or 0.9
   local lrs = config.learningRates
   state.evalCounter = state.evalCounter or 0
   local nevals = state.evalCounter
   if mom <= 0 then
      error('Momentum must be positive for Nesterov Accelerated Gradient')
   end

   -- look ahead: evaluate at x + momentum * v (x keeps the step: the updates below add to it)
   if state.dfdx then
      x:add(mom, state.dfdx)
   end
   local fx, dfdx = opfunc(x)
   if wd ~= 0 then
      dfdx:add(wd, x)
   end

   local clr = lr / (1 + nevals * lrd)
   if state.dfdx then
      state.dfdx:mul(mom)
   else
      state.dfdx = torch.Tensor():typeAs(dfdx):resizeAs(dfdx):fill(0)
   end
   -- v = momentum * v - clr * g (per-parameter rates when given); x moves by -clr * g
   local step = dfdx
   if lrs then
      state.deltaParameters = state.deltaParameters or torch.Tensor():typeAs(x):resizeAs(dfdx)
      state.deltaParameters:copy(lrs):cmul(dfdx)
      step = state.deltaParameters
   end
   x:add(-clr, step)
   state.dfdx:add(-clr, step)

   state.evalCounter = state.evalCounter + 1
   return x, {fx}
end
