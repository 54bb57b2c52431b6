--[[ Minimum of the polynomial interpolating N points given with function and derivative values.

minPos, fmin = optim.polyinterp(points[, xminBound][, xmaxBound])

points is an N x 3 tensor of (x, f(x), f'(x)) rows. The polynomial has degree 2N-1; its
minimum is searched among the bounds (default: the smallest and largest x), the points and
the real critical points in between. Two points without bounds use the closed-form cubic
(as minFunc does) and return only minPos.
]]

-- index (1 or 2) of the smaller of two numbers, as TH's min(1): ties and NaN keep the first
local function argmin2(a, b)
   if a ~= a then return 1 end
   if not (b >= a) then return 2 end
   return 1
end

-- roots of the polynomial c[1] x^n + ... + c[n+1], as a k x 2 tensor of (real, imaginary)
local function roots(c)
   c = c:clone()
   c[torch.lt(torch.abs(c), 1e-12)] = 0
   local n = c:size(1)
   local first, last = nil, nil
   for i = 1, n do
      if c[i] ~= 0 then
         first = first or i
         last = i
      end
   end
   if not first then
      return nil   -- the zero polynomial: every point is critical, none is reported
   end
   local nz = n - last              -- trailing zero coefficients: roots at 0
   c = c[{{first, last}}]
   local degree = c:size(1) - 1
   local r
   if degree == 1 then
      r = torch.Tensor({{-c[2] / c[1], 0}})
   elseif degree > 1 then
      -- eigenvalues of the companion matrix
      local A = torch.diag(torch.ones(degree - 1), -1)
      A[1] = -c[{{2, degree + 1}}] / c[1]
      r = torch.eig(A, 'N')
   end
   if nz > 0 then
      local zeros = torch.zeros(nz, 2)
      r = r and torch.cat(r, zeros, 1) or zeros
   end
   return r
end

-- value at x of the polynomial with coefficients p (highest power first)
local function polyval(p, x)
   local pwr = p:size(1)
   local val = 0
   for i = 1, pwr do
      val = val + p[i] * x^(pwr - i)
   end
   return val
end

function optim.polyinterp(points, xminBound, xmaxBound)
   local nPoints = points:size(1)
   local order = nPoints * 2 - 1

   if nPoints == 2 and not xminBound and not xmaxBound then
      -- cubic through two points with both derivatives; x2 is the farther point:
      --    d1 = g1 + g2 - 3 (f1 - f2) / (x1 - x2),  d2 = sqrt(d1^2 - g1 g2)
      --    t = x2 - (x2 - x1) (g2 + d2 - d1) / (g2 - g1 + 2 d2), clamped to [x1, x2]
      local lo = argmin2(points[1][1], points[2][1])
      local hi = 3 - lo
      local x1, f1, g1 = points[lo][1], points[lo][2], points[lo][3]
      local x2, f2, g2 = points[hi][1], points[hi][2], points[hi][3]
      local d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
      local d2 = math.sqrt(d1^2 - g1 * g2)
      if d2 == d2 then
         local t = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
         return math.min(math.max(t, x1), x2)
      end
      return points[{{}, 1}]:mean()
   end

   local xs = points[{{}, 1}]
   xminBound = xminBound or xs:min()
   xmaxBound = xmaxBound or xs:max()

   -- linear system for the coefficients: one row per function value, one per derivative
   local A = torch.zeros(nPoints * 2, order + 1)
   local b = torch.zeros(nPoints * 2, 1)
   for i = 1, nPoints do
      local xi = points[i][1]
      for j = order, 0, -1 do
         A[i][order - j + 1] = xi^j
      end
      b[i][1] = points[i][2]
      for j = 1, order do
         A[nPoints + i][j] = (order - j + 1) * xi^(order - j)
      end
      b[nPoints + i][1] = points[i][3]
   end
   local params = torch.gels(b, A)[{{1, nPoints * 2}}]:squeeze(2)
   params[torch.le(torch.abs(params), 1e-12)] = 0

   -- derivative's coefficients
   local dParams = torch.zeros(order)
   for i = 1, params:size(1) - 1 do
      dParams[i] = params[i] * (order - i + 1)
   end
   local finite = torch.ne(dParams, dParams):max() == 0 and torch.eq(dParams, math.huge):max() == 0

   -- candidates: bounds, points, then real critical points
   local candidates = {{xminBound, 0}, {xmaxBound, 0}}
   for i = 1, nPoints do
      candidates[#candidates + 1] = {points[i][1], 0}
   end
   if finite then
      local r = roots(dParams)
      if r then
         for i = 1, r:size(1) do
            candidates[#candidates + 1] = {r[i][1], r[i][2]}
         end
      end
   end

   local fmin = math.huge
   local minPos = (xminBound + xmaxBound) / 2   -- bisection when no candidate is valid
   for _, c in ipairs(candidates) do
      local x, imag = c[1], c[2]
      if imag == 0 and x >= xminBound and x <= xmaxBound then
         local fx = polyval(params, x)
         if fx < fmin then
            minPos = x
            fmin = fx
         end
      end
   end
   return minPos, fmin
end
