--[[ FISTA with backtracking line search (Beck & Teboulle, SIAM J. Imaging Sci. 2009).

x*, history = optim.FistaLS(f, g, pl, xinit[, params])

Minimizes f(x) + g(x) where f is smooth and g is not:
- f(x, 'dx') returns f(x) and df/dx; f(x) returns f(x)
- g(x) returns g(x)
- pl(x, L) solves the proximal problem in place (e.g. a soft threshold for L1)
params: L (0.1, 1/step), Lstep (1.5), maxiter (50), maxline (20), errthres (1e-4),
doFistaUpdate (FISTA when true, ISTA otherwise), verbose (false).
On return params.L holds the last L, and params.xkm, params.y, params.ply are work buffers
reused on the next call. history[i] has nline, L, F, Fply, Gply, Q (and xk, y when verbose).
xinit receives the solution.
]]
function optim.FistaLS(f, g, pl, xinit, params)
   params = params or {}
   local L = params.L or 0.1
   local Lstep = params.Lstep or 1.5
   local maxiter = params.maxiter or 50
   local maxline = params.maxline or 20
   local errthres = params.errthres or 1e-4
   local doFistaUpdate = params.doFistaUpdate
   local verbose = params.verbose

   params.xkm = params.xkm or torch.Tensor()
   params.y = params.y or torch.Tensor()
   params.ply = params.ply or torch.Tensor()
   local xkm = params.xkm   -- previous iterate
   local y = params.y       -- FISTA's extrapolated point
   local ply = params.ply   -- pl(y - grad f(y) / L)

   local xk = xinit
   xkm:resizeAs(xk):zero()
   ply:resizeAs(xk):zero()
   y:resizeAs(xk):zero()

   local history = {}
   local niter = 0
   local tk = 1
   local tkp = 0

   g(y)   -- Torch evaluates g at the start (its value is unused)
   local fval = math.huge
   while niter < maxiter do
      local fy, gfy = f(y, 'dx')
      local fply = 0
      local gply = 0
      local Q = 0

      -- backtracking: grow L until F(ply) <= Q(ply, y)
      local nline = 0
      local searching = true
      while searching do
         ply:copy(y):add(-1 / L, gfy)
         pl(ply, L)
         xk:copy(ply)
         fply = f(ply)

         ply:add(-1, y)                 -- ply - y
         local Q2 = gfy:dot(ply)        -- <ply - y, grad f(y)>
         local Q3 = L / 2 * ply:dot(ply)
         Q = fy + Q2 + Q3
         if verbose then
            print(string.format('nline=%d L=%g fply=%g Q=%g fy=%g Q2=%g Q3=%g',
                                nline, L, fply, Q, fy, Q2, Q3))
         end
         if fply <= Q then
            searching = false
         elseif nline >= maxline then
            searching = false
            xk:copy(xkm)   -- no better point found: stay at the previous iterate
         else
            L = L * Lstep
         end
         nline = nline + 1
      end

      if doFistaUpdate then
         -- y(k+1) = x(k) + (t(k) - 1) / t(k+1) (x(k) - x(k-1)), written with x(k-1) - x(k)
         tkp = (1 + math.sqrt(1 + 4 * tk * tk)) / 2
         xkm:add(-1, xk)
         y:copy(xk)
         y:add((1 - tk) / tkp, xkm)
         xkm:copy(xk)
      else
         y:copy(xk)
      end
      tk = tkp
      fply = f(y)
      gply = g(y)
      if verbose then
         print(string.format('iter=%d eold=%g enew=%g', niter, fval, fply + gply))
      end

      niter = niter + 1
      fval = fply + gply
      history[niter] = {nline = nline, L = L, F = fval, Fply = fply, Gply = gply, Q = Q}
      params.L = L
      if verbose then
         history[niter].xk = xk:clone()
         history[niter].y = y:clone()
      end

      if (niter > 1 and math.abs(history[niter].F - history[niter - 1].F) <= errthres)
         or niter >= maxiter then
         xinit:copy(y)
         return y, history
      end
   end
   error('not supposed to be here')
end
