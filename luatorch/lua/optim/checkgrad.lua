--[[ Numerical gradient check by central differences.

diff, dC, dC_est = optim.checkgrad(opfunc, x[, eps])

opfunc(x) returns f(x) and df/dx; eps defaults to 1e-7. dC is the analytic gradient (resized
to x's size), dC_est the estimate, and diff = |dC - dC_est| / |dC + dC_est|.
]]
function optim.checkgrad(opfunc, x, eps)
   local _, dC = opfunc(x)
   dC:resize(x:size())

   eps = eps or 1e-7
   local dC_est = torch.Tensor():typeAs(dC):resizeAs(dC)
   for i = 1, dC:size(1) do
      x[i] = x[i] + eps
      local C1 = opfunc(x)
      x[i] = x[i] - 2 * eps
      local C2 = opfunc(x)
      x[i] = x[i] + eps
      dC_est[i] = (C1 - C2) / (2 * eps)
   end

   local diff = torch.norm(dC - dC_est) / torch.norm(dC + dC_est)
   return diff, dC, dC_est
end
