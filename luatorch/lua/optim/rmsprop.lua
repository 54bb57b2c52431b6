--[[ RMSprop.

x*, {f(x)} = optim.rmsprop(opfunc, x[, config][, state])

config: learningRate (1e-2), alpha (0.99, smoothing constant), epsilon (1e-8), weightDecay (0),
initialMean (0, the first value of m).
state (defaults to config): m (leaky mean of squared gradients), tmp (sqrt(m) + epsilon).
]]
function optim.rmsprop(opfunc, x, config, state)
   config = config or {}
   state = state or config
   local lr = config.learningRate or 1e-2
   local alpha = config.alpha or 0.99
   local epsilon = config.epsilon or 1e-8
   local wd = config.weightDecay or 0
   local initialMean = config.initialMean or 0

   local fx, dfdx = opfunc(x)
   -- an L2 penalty: its gradient goes into dfdx itself, so the caller's gradient changes
   if wd ~= 0 then
      dfdx:add(wd, x)
   end

   if not state.m then
      state.m = torch.Tensor():typeAs(x):resizeAs(dfdx):fill(initialMean)
      state.tmp = torch.Tensor():typeAs(x):resizeAs(dfdx)
   end

   state.m:mul(alpha)
   state.m:addcmul(1.0 - alpha, dfdx, dfdx)
   state.tmp:sqrt(state.m):add(epsilon)
   x:addcdiv(-lr, dfdx, state.tmp)

   return x, {fx}
end
