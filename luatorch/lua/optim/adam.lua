--[[ Adam (Kingma & Ba, http://arxiv.org/pdf/1412.6980.pdf).

x*, {f(x)} = optim.adam(opfunc, x[, config][, state])

config: learningRate (1e-3), learningRateDecay (0), beta1 (0.9), beta2 (0.999), epsilon (1e-8),
weightDecay (0).
state (defaults to config): t, m (first moment), v (second moment), denom.
]]
function optim.adam(opfunc, x, config, state)
   config = config or {}
   state = state or config
   local lr = config.learningRate or 0.001
   local lrd = config.learningRateDecay or 0
   local beta1 = config.beta1 or 0.9
   local beta2 = config.beta2 or 0.999
   local epsilon = config.epsilon or 1e-8
   local wd = config.weightDecay or 0

   local fx, dfdx = opfunc(x)
   -- an L2 penalty: its gradient goes into dfdx itself, so the caller's gradient changes
   if wd ~= 0 then
      dfdx:add(wd, x)
   end

   state.t = state.t or 0
   state.m = state.m or x.new(dfdx:size()):zero()
   state.v = state.v or x.new(dfdx:size()):zero()
   state.denom = state.denom or x.new(dfdx:size()):zero()

   -- the decay counts the steps taken before this one
   local clr = lr / (1 + state.t * lrd)
   state.t = state.t + 1
   state.m:mul(beta1):add(1 - beta1, dfdx)
   state.v:mul(beta2):addcmul(1 - beta2, dfdx, dfdx)
   state.denom:copy(state.v):sqrt():add(epsilon)

   -- bias corrections folded into the step size
   local biasCorrection1 = 1 - beta1^state.t
   local biasCorrection2 = 1 - beta2^state.t
   local stepSize = clr * math.sqrt(biasCorrection2) / biasCorrection1
   x:addcdiv(-stepSize, state.m, state.denom)

   return x, {fx}
end
