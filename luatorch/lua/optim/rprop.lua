--[[ Resilient backpropagation (Riedmiller; Koray Kavukcuoglu's Torch version).

x*, {f(x) for each iteration} = optim.rprop(opfunc, x[, config][, state])

Each parameter has its own step size, grown by etaplus while the gradient keeps its sign and
shrunk by etaminus when it flips (the gradient is then zeroed for that step).
config: stepsize (0.1), etaplus (1.2), etaminus (0.5), stepsizemax (50), stepsizemin (1e-6),
niter (1). state (defaults to config): delta, stepsize, sign, psign, nsign, zsign, dminmax.
]]
function optim.rprop(opfunc, x, config, state)
   if config == nil and state == nil then
      print('no state table RPROP initializing')
   end
   config = config or {}
   state = state or config
   local stepsize = config.stepsize or 0.1
   local etaplus = config.etaplus or 1.2
   local etaminus = config.etaminus or 0.5
   local stepsizemax = config.stepsizemax or 50.0
   local stepsizemin = config.stepsizemin or 1E-06
   local niter = config.niter or 1

   local hfx = {}
   for _ = 1, niter do
      local fx, dfdx = opfunc(x)

      if not state.delta then
         state.delta = dfdx.new(dfdx:size()):zero()
         state.stepsize = dfdx.new(dfdx:size()):fill(stepsize)
         state.sign = dfdx.new(dfdx:size())
         state.psign = torch.ByteTensor(dfdx:size())
         state.nsign = torch.ByteTensor(dfdx:size())
         state.zsign = torch.ByteTensor(dfdx:size())
         state.dminmax = torch.ByteTensor(dfdx:size())
      end

      -- did each gradient component keep its sign since the last step?
      torch.cmul(state.sign, dfdx, state.delta)
      torch.sign(state.sign, state.sign)
      state.sign.gt(state.psign, state.sign, 0)
      state.sign.lt(state.nsign, state.sign, 0)
      state.sign.eq(state.zsign, state.sign, 0)

      -- per-component step factors, then clamp the step sizes
      state.sign[state.psign] = etaplus
      state.sign[state.nsign] = etaminus
      state.sign[state.zsign] = 1
      state.stepsize:cmul(state.sign)
      state.stepsize.gt(state.dminmax, state.stepsize, stepsizemax)
      state.stepsize[state.dminmax] = stepsizemax
      state.stepsize.lt(state.dminmax, state.stepsize, stepsizemin)
      state.stepsize[state.dminmax] = stepsizemin

      -- a component whose sign flipped does not move this time
      dfdx[state.nsign] = 0
      torch.sign(state.sign, dfdx)
      x:addcmul(-1, state.sign, state.stepsize)

      state.delta:copy(dfdx)
      hfx[#hfx + 1] = fx
   end

   return x, hfx
end
