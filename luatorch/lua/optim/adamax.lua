--[[ AdaMax, the infinity-norm variant of Adam (http://arxiv.org/pdf/1412.6980.pdf).

x*, {f(x)} = optim.adamax(opfunc, x[, config][, state])

config: learningRate (2e-3), beta1 (0.9), beta2 (0.999), epsilon (1e-38), weightDecay (0).
state (defaults to config): t, m (first moment), u (infinity norm), max (a 2 x size buffer).
]]
local maxIndices = torch.LongTensor()

function optim.adamax(opfunc, x, config, state)
   config = config or {}
   state = state or config
   local lr = config.learningRate or 0.002
   local beta1 = config.beta1 or 0.9
   local beta2 = config.beta2 or 0.999
   local epsilon = config.epsilon or 1e-38
   local wd = config.weightDecay or 0

   local fx, dfdx = opfunc(x)
   -- an L2 penalty: its gradient goes into dfdx itself, so the caller's gradient changes
   if wd ~= 0 then
      dfdx:add(wd, x)
   end

   state.t = state.t or 0
   state.m = state.m or x.new(dfdx:size()):zero()
   state.u = state.u or x.new(dfdx:size()):zero()
   state.max = state.max or x.new(2, unpack(dfdx:size():totable())):zero()

   state.t = state.t + 1
   state.m:mul(beta1):add(1 - beta1, dfdx)
   -- u = max(beta2 * u, |g| + eps), taken along the first dimension of the buffer
   -- (as in Torch, u then keeps that reduced dimension of size 1)
   state.max[1]:copy(state.u):mul(beta2)
   state.max[2]:copy(dfdx):abs():add(epsilon)
   state.u:max(maxIndices, state.max, 1)

   local biasCorrection1 = 1 - beta1^state.t
   local stepSize = lr / biasCorrection1
   x:addcdiv(-stepSize, state.m, state.u)

   return x, {fx}
end
