--[[ L-BFGS, after Mark Schmidt's minFunc.

x*, {f}, nEvals = optim.lbfgs(opfunc, x[, config][, state])

Without config.lineSearch the step is a fixed learningRate (cheap, and suited to stochastic
problems); with one (e.g. optim.lswolfe) the learning rate scales its initial step.
config: maxIter (20), maxEval (1.25 * maxIter), tolFun (1e-5), tolX (1e-9), nCorrection (100),
lineSearch, lineSearchOptions, learningRate (1), verbose (false).
state (defaults to config): funcEval, nIter, tmp1, dir_bufs, stp_bufs, d, t, old_dirs,
old_stps, Hdiag, g_old, f_old, ro, al. f[1] is f at the start, f[#f] at x*.
]]
function optim.lbfgs(opfunc, x, config, state)
   config = config or {}
   state = state or config
   local maxIter = tonumber(config.maxIter) or 20
   local maxEval = tonumber(config.maxEval) or maxIter * 1.25
   local tolFun = config.tolFun or 1e-5
   local tolX = config.tolX or 1e-9
   local nCorrection = config.nCorrection or 100
   local lineSearch = config.lineSearch
   local lineSearchOpts = config.lineSearchOptions
   local learningRate = config.learningRate or 1
   local isverbose = config.verbose or false

   state.funcEval = state.funcEval or 0
   state.nIter = state.nIter or 0

   local verbose = function() end
   if isverbose then
      verbose = function(...) print('<optim.lbfgs> ', ...) end
   end

   local f, g = opfunc(x)
   local f_hist = {f}
   local currentFuncEval = 1
   state.funcEval = state.funcEval + 1
   local p = g:size(1)

   -- already optimal?
   state.tmp1 = state.tmp1 or g.new(g:size()):zero()
   local tmp1 = state.tmp1
   tmp1:copy(g):abs()
   if tmp1:sum() <= tolFun then
      verbose('optimality condition below tolFun')
      return x, f_hist
   end

   if not state.dir_bufs then
      -- a pool of vectors recycled for the y and s histories
      verbose('creating recyclable direction/step/history buffers')
      state.dir_bufs = g.new(nCorrection + 1, p):split(1)
      state.stp_bufs = g.new(nCorrection + 1, p):split(1)
      for i = 1, #state.dir_bufs do
         state.dir_bufs[i] = state.dir_bufs[i]:squeeze(1)
         state.stp_bufs[i] = state.stp_bufs[i]:squeeze(1)
      end
   end

   local d = state.d
   local t = state.t
   local old_dirs = state.old_dirs
   local old_stps = state.old_stps
   local Hdiag = state.Hdiag
   local g_old = state.g_old
   local f_old = state.f_old

   local nIter = 0
   while nIter < maxIter do
      nIter = nIter + 1
      state.nIter = state.nIter + 1

      -- descent direction
      if state.nIter == 1 then
         d = g:clone():mul(-1)
         old_dirs = {}
         old_stps = {}
         Hdiag = 1
      else
         local y = table.remove(state.dir_bufs)
         local s = table.remove(state.stp_bufs)
         y:add(g, -1, g_old)   -- y = g - g_old
         s:mul(d, t)           -- s = t * d
         local ys = y:dot(s)
         if ys > 1e-10 then
            if #old_dirs == nCorrection then
               -- forget the oldest pair, recycling its buffers
               table.insert(state.dir_bufs, table.remove(old_dirs, 1))
               table.insert(state.stp_bufs, table.remove(old_stps, 1))
            end
            -- (Torch files s under old_dirs and y under old_stps)
            table.insert(old_dirs, s)
            table.insert(old_stps, y)
            Hdiag = ys / y:dot(y)
         else
            table.insert(state.dir_bufs, y)
            table.insert(state.stp_bufs, s)
         end

         -- two-loop recursion: d = -H g
         local k = #old_dirs
         state.ro = state.ro or torch.Tensor(nCorrection)
         local ro = state.ro
         for i = 1, k do
            ro[i] = 1 / old_stps[i]:dot(old_dirs[i])
         end
         local q = tmp1
         state.al = state.al or torch.zeros(nCorrection)
         local al = state.al
         q:mul(g, -1)
         for i = k, 1, -1 do
            al[i] = old_dirs[i]:dot(q) * ro[i]
            q:add(-al[i], old_stps[i])
         end
         local r = d   -- the old direction's buffer is reused for the new one
         r:mul(q, Hdiag)
         for i = 1, k do
            local be_i = old_stps[i]:dot(r) * ro[i]
            r:add(al[i] - be_i, old_dirs[i])
         end
      end
      g_old = g_old or g:clone()
      g_old:copy(g)
      f_old = f

      -- step length
      local gtd = g:dot(d)
      if gtd > -tolX then
         break   -- no descent along d
      end
      if state.nIter == 1 then
         tmp1:copy(g):abs()
         t = math.min(1, 1 / tmp1:sum()) * learningRate
      else
         t = learningRate
      end

      local lsFuncEval = 0
      if lineSearch and type(lineSearch) == 'function' then
         f, g, x, t, lsFuncEval = lineSearch(opfunc, x, t, d, f, g, gtd, lineSearchOpts)
         table.insert(f_hist, f)
      else
         x:add(t, d)
         if nIter ~= maxIter then
            -- the last iteration skips the evaluation: in a stochastic setting it is wasted
            f, g = opfunc(x)
            lsFuncEval = 1
            table.insert(f_hist, f)
         end
      end
      currentFuncEval = currentFuncEval + lsFuncEval
      state.funcEval = state.funcEval + lsFuncEval

      -- stopping conditions
      if nIter == maxIter then
         verbose('reached max number of iterations')
         break
      end
      if currentFuncEval >= maxEval then
         verbose('max nb of function evals')
         break
      end
      tmp1:copy(g):abs()
      if tmp1:sum() <= tolFun then
         verbose('optimality condition below tolFun')
         break
      end
      tmp1:copy(d):mul(t):abs()
      if tmp1:sum() <= tolX then
         verbose('step size below tolX')
         break
      end
      if math.abs(f - f_old) < tolX then
         verbose('function value changing less than tolX')
         break
      end
   end

   state.old_dirs = old_dirs
   state.old_stps = old_stps
   state.Hdiag = Hdiag
   state.g_old = g_old
   state.f_old = f_old
   state.t = t
   state.d = d

   return x, f_hist, currentFuncEval
end
