--[[ A line search satisfying the strong Wolfe conditions (after minFunc's WolfeLineSearch).

f_new, g_new, x, t, lsFuncEval = optim.lswolfe(opfunc, x, t, d, f, g, gtd[, options])

Starting at x with value f, gradient g and directional derivative gtd = g.d, it tries
x + t d, brackets a step satisfying the conditions (extrapolating with optim.polyinterp),
then zooms in on it. x is left at x + t d for the returned step t.
options: c1 (1e-4, sufficient decrease), c2 (0.9, curvature), tolX (1e-9), maxIter (20),
verbose (false).
]]

-- TH's min(1) over two values: ties and a NaN keep the first
local function lowest(F)
   if F[1] ~= F[1] then return 1 end
   if not (F[2] >= F[1]) then return 2 end
   return 1
end

function optim.lswolfe(opfunc, x, t, d, f, g, gtd, options)
   options = options or {}
   local c1 = options.c1 or 1e-4
   local c2 = options.c2 or 0.9
   local tolX = options.tolX or 1e-9
   local maxIter = options.maxIter or 20
   local isverbose = options.verbose or false
   local abs = math.abs

   local function verbose(...)
      if isverbose then print('<optim.lswolfe> ', ...) end
   end

   local n = g:size(1)
   local x_init = x:clone()
   x:add(t, d)
   local f_new, g_new = opfunc(x)
   local lsFuncEval = 1
   local gtd_new = g_new:dot(d)

   -- bracketing phase: step sizes (numbers), values and gradients of the bracket's ends
   local LSiter, t_prev, done = 0, 0, false
   local f_prev, g_prev, gtd_prev = f, g:clone(), gtd
   local bracket, bracketF, bracketG
   local function twoEnds(ta, fa, ga, tb, fb, gb)
      bracket, bracketF = {ta, tb}, {fa, fb}
      bracketG = g.new(2, n)
      bracketG[1] = ga
      bracketG[2] = gb
   end
   while LSiter < maxIter do
      if f_new > f + c1 * t * gtd or (LSiter > 1 and f_new >= f_prev) then
         twoEnds(t_prev, f_prev, g_prev, t, f_new, g_new)
         break
      elseif abs(gtd_new) <= -c2 * gtd then
         bracket, bracketF = {t}, {f_new}
         bracketG = g.new(1, n)
         bracketG[1] = g_new
         done = true
         break
      elseif gtd_new >= 0 then
         twoEnds(t_prev, f_prev, g_prev, t, f_new, g_new)
         break
      end

      -- extrapolate: a cubic through the last two points, bounded to [t + 0.01 dt, 10 t]
      local tmp = t_prev
      t_prev = t
      local minStep = t + 0.01 * (t - tmp)
      local maxStep = t * 10
      t = optim.polyinterp(torch.Tensor{{tmp, f_prev, gtd_prev}, {t, f_new, gtd_new}},
                           minStep, maxStep)

      f_prev = f_new
      g_prev = g_new:clone()
      gtd_prev = gtd_new
      x:copy(x_init):add(t, d)
      f_new, g_new = opfunc(x)
      lsFuncEval = lsFuncEval + 1
      gtd_new = g_new:dot(d)
      LSiter = LSiter + 1
   end

   if LSiter == maxIter then
      twoEnds(0, f, g, t, f_new, g_new)
   end

   -- zoom phase: shrink the bracket until a point satisfies the conditions
   local insufProgress = false
   while not done and LSiter < maxIter do
      local LOpos = lowest(bracketF)
      local f_LO = bracketF[LOpos]
      local HIpos = 3 - LOpos
      local bmin = math.min(bracket[1], bracket[2])
      local bmax = math.max(bracket[1], bracket[2])

      t = optim.polyinterp(torch.Tensor{{bracket[1], bracketF[1], bracketG[1]:dot(d)},
                                        {bracket[2], bracketF[2], bracketG[2]:dot(d)}})

      -- too close to an end of the bracket: move 10% inside (or allow it once)
      if math.min(bmax - t, t - bmin) / (bmax - bmin) < 0.1 then
         if insufProgress or t >= bmax or t <= bmin then
            if abs(t - bmax) < abs(t - bmin) then
               t = bmax - 0.1 * (bmax - bmin)
            else
               t = bmin + 0.1 * (bmax - bmin)
            end
            insufProgress = false
         else
            insufProgress = true
         end
      else
         insufProgress = false
      end

      x:copy(x_init):add(t, d)
      f_new, g_new = opfunc(x)
      lsFuncEval = lsFuncEval + 1
      gtd_new = g_new:dot(d)
      LSiter = LSiter + 1
      if f_new > f + c1 * t * gtd or f_new >= f_LO then
         -- no sufficient decrease, or not below the low end: the new point is the high end
         bracket[HIpos] = t
         bracketF[HIpos] = f_new
         bracketG[HIpos] = g_new
      else
         if abs(gtd_new) <= -c2 * gtd then
            done = true
         elseif gtd_new * (bracket[HIpos] - bracket[LOpos]) >= 0 then
            -- the old low end becomes the high end
            bracket[HIpos] = bracket[LOpos]
            bracketF[HIpos] = bracketF[LOpos]
            bracketG[HIpos] = bracketG[LOpos]
         end
         bracket[LOpos] = t
         bracketF[LOpos] = f_new
         bracketG[LOpos] = g_new
      end

      if not done and abs((bracket[1] - bracket[2]) * gtd_new) < tolX then
         break
      end
   end

   if LSiter == maxIter then
      verbose('reached max number of iterations')
   end

   local LOpos = (#bracket == 2) and lowest(bracketF) or 1
   t = bracket[LOpos]
   f_new = bracketF[LOpos]
   g_new = bracketG[LOpos]
   x:copy(x_init):add(t, d)
   return f_new, g_new, x, t, lsFuncEval
end
