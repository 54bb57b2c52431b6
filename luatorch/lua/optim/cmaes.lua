--[[ CMA-ES, the covariance matrix adaptation evolution strategy (Hansen's barecmaes2 as ported
to Torch). Derivative-free: opfunc's gradient is ignored.

x*, {f}, nEvals = optim.cmaes(opfunc, x[, config][, state])

Settings are read from state (which defaults to config): sigma (initial step size, required),
maxEval (1e3 N^2), ftarget (stop when the best f <= ftarget), popsize (4 + floor(3 log N)),
verb_disp (print progress every verb_disp iterations, 0 for never), min_iterations (1).
x itself is not modified: x* is the best candidate seen, flattened. f[1] is f(x), then the best
f of each generation, then the overall best.
]]

-- the best candidate seen so far
local Best = {}
Best.__index = Best

local function newBest()
   return setmetatable({}, Best)
end

function Best:update(x, f, evals)
   if self.f == nil or f < self.f then
      self.x = x:clone()
      self.f = f
      self.evals = evals
   end
end

function optim.cmaes(opfunc, x, config, state)
   if x.triu == nil or x.diag == nil then
      error('Unsupported Tensor ' .. x:type() .. " please use Float- or DoubleTensor for x")
   end
   config = config or {}
   state = state or config
   local xmean = x:clone():view(-1)   -- mean of the search distribution
   local N = xmean:size(1)
   local sigma = state.sigma
   local ftarget = state.ftarget
   local maxEval = tonumber(state.maxEval) or 1e3 * N^2
   -- no default, as Torch7's: without verb_disp the progress display runs and fails on
   -- the second iteration (arithmetic on a nil verb_modulo), so programs pass it
   local verb_disp = state.verb_disp
   local min_iterations = state.min_iterations or 1

   -- selection
   local lambda = state.popsize or 4 + math.floor(3 * math.log(N))
   local mu = lambda / 2                   -- may be fractional: Torch keeps it so in the weights
   local nmu = math.floor(mu)              -- and truncates it where it counts candidates
   local weights = torch.Tensor(nmu)
   for i = 1, nmu do
      weights[i] = math.log(mu + 0.5) - math.log(i)
   end
   weights:div(weights:sum())
   local mueff = weights:sum()^2 / torch.pow(weights, 2):sum()
   weights = weights:typeAs(x)
   local weightsD = weights:double()   -- Torch reads x-typed weights back as Lua numbers

   -- adaptation constants
   local cc = (4 + mueff / N) / (N + 4 + 2 * mueff / N)
   local cs = (mueff + 2) / (N + mueff + 5)
   local c1 = 2 / ((N + 1.3)^2 + mueff)
   local cmu = math.min(1 - c1, 2 * (mueff - 2 + 1 / mueff) / ((N + 2)^2 + mueff))
   local damps = 2 * mueff / lambda + 0.3 + cs

   -- dynamic state
   local pc = torch.Tensor(N):zero():typeAs(x)   -- evolution path for C
   local ps = torch.Tensor(N):zero():typeAs(x)   -- evolution path for sigma
   local B = torch.eye(N):typeAs(x)              -- eigenvectors of C
   local D = torch.Tensor(N):fill(1):typeAs(x)   -- square roots of C's eigenvalues
   local C = torch.eye(N):typeAs(x)
   if not pcall(function() torch.symeig(C, 'V') end) then
      error('torch.symeig not available for ' .. x:type() ..
            " please use Float- or DoubleTensor for x")
   end
   local candidates = torch.Tensor(lambda, N):typeAs(x)
   local invsqrtC = torch.eye(N):typeAs(x)       -- C^-1/2
   local eigeneval = 0
   local counteval = 0
   local f_hist = {(opfunc(x))}
   local fitvals = torch.Tensor(lambda)
   local best = newBest()
   local iteration = 0

   -- lambda candidates m + sigma B D N(0, I)
   local function ask()
      -- refresh the eigendecomposition only every O(1/N) generations
      if counteval - eigeneval > lambda / (c1 + cmu) / C:size(1) / 10 then
         eigeneval = counteval
         C = torch.triu(C) + torch.triu(C, 1):t()
         D, B = torch.symeig(C, 'V')
         D = torch.sqrt(D)
         invsqrtC = B * torch.diag(torch.pow(D, -1)) * B:t()
      end
      for k = 1, lambda do
         local z = D:clone():normal(0, 1):cmul(D)
         candidates[{k, {}}] = torch.add(xmean, (B * z) * sigma)
      end
      return candidates
   end

   -- move the mean, the paths, C and sigma towards the best candidates
   local function tell(arx)
      counteval = counteval + lambda
      local xold = xmean:clone()

      local order
      fitvals, order = torch.sort(fitvals)
      arx = arx:index(1, order[{{1, nmu}}])
      table.insert(f_hist, fitvals[1])
      best:update(arx[1], fitvals[1], counteval)

      xmean:zero()
      xmean:addmv(arx:t(), weights)

      local y = xmean - xold
      local z = invsqrtC * y
      local c = (cs * (2 - cs) * mueff)^0.5 / sigma
      ps = ps - ps * cs + z * c
      local hsig = torch.sum(torch.pow(ps, 2)) / (1 - (1 - cs)^(2 * counteval / lambda)) / N
         < 2 + 4 / (N + 1)
      hsig = hsig and 1.0 or 0.0
      c = (cc * (2 - cc) * mueff)^0.5 / sigma
      pc = pc - pc * cc + y * c * hsig

      -- C += -(c1a + cmu) C + c1 pc pc' + cmu sum_k w_k y_k y_k' / sigma^2, in double
      -- precision element by element as Torch computes it in Lua numbers
      local c1a = c1 - (1 - hsig^2) * c1 * cc * (2 - cc)
      local Cd = C:double()
      local pcd = pc:double()
      local ard = arx:double()
      local xoldd = xold:double()
      local Cmu = torch.zeros(N, N)
      for k = 1, nmu do
         local yk = ard[k] - xoldd
         Cmu:add(torch.ger(yk * weightsD[k], yk))
      end
      Cmu:div(sigma^2)
      local upd = Cd * (-c1a - cmu) + torch.ger(pcd * c1, pcd) + Cmu * cmu
      C:copy(Cd + upd)

      -- step size, by at most a factor exp(0.6)
      sigma = sigma * math.exp(math.min(0.6,
         (cs / damps) * (torch.sum(torch.pow(ps, 2)) / N - 1) / 2))
   end

   local function stop()
      local res = {}
      if counteval > 0 then
         if counteval >= maxEval then
            res['evals'] = maxEval
         end
         if ftarget ~= nil and fitvals:nElement() > 0 and fitvals[1] <= ftarget then
            res['ftarget'] = ftarget
         end
         if torch.max(D) > 1e7 * torch.min(D) then
            res['condition'] = 1e7
         end
         if fitvals:nElement() > 1 and fitvals[fitvals:nElement()] - fitvals[1] < 1e-12 then
            res['tolfun'] = 1e-12
         end
         if sigma * torch.max(D) < 1e-11 then
            res['tolx'] = 1e-11
         end
      end
      return res
   end

   local function disp(verb_modulo)
      if verb_disp == 0 then
         return
      end
      local it = counteval / lambda
      if it == 1 or it % (10 * verb_modulo) == 0 then
         print('evals:\t ax-ratio max(std)   f-value')
      end
      if it <= 2 or it % verb_modulo == 0 then
         local max_std = math.sqrt(torch.max(torch.diag(C)))
         print(tostring(counteval) .. ': ' ..
               string.format(' %6.1f %8.1e ', torch.max(D) / torch.min(D), sigma * max_std) ..
               tostring(fitvals[1]))
      end
   end

   while next(stop()) == nil or iteration < min_iterations do
      iteration = iteration + 1
      local X = ask()
      for i = 1, lambda do
         -- candidates are evaluated in x's shape
         fitvals[i] = (opfunc(X[i]:viewAs(x)))
      end
      tell(X)
      disp(verb_disp)
   end

   local bestx, f, c = best.x, best.f, best.evals
   if verb_disp > 0 then
      for k, v in pairs(stop()) do
         print('termination by', k, '=', v)
      end
      print('best f-value =', f)
      print('solution = ')
      print(bestx)
      print('best found at iteration: ', c / lambda, ' , total iterations: ', iteration)
   end
   table.insert(f_hist, f)
   return bestx, f_hist, counteval
end
