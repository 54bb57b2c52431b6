torch.manualSeed(11)
local function h(t)
   if type(t) == 'number' then return string.format('%.17g', t) end
   local d = t:double():contiguous():view(-1)
   local s, q = 0, 0
   for i = 1, d:size(1) do s = s + d[i] * i; q = q + d[i] end
   return string.format('%.17g %.17g', s, q)
end
for _, T in ipairs{'torch.DoubleTensor', 'torch.FloatTensor'} do
   local a = torch.randn(37, 23):type(T)
   local b = torch.rand(37, 23):type(T):add(0.5)
   local v = torch.randn(23):type(T)
   local checks = {
      sum = a:sum(), sum1 = a:sum(1), sum2 = a:sum(2), mean = a:mean(), mean1 = a:mean(1), mean2 = a:mean(2),
      std = a:std(), std1 = a:std(1), var2 = a:var(2), var2u = a:var(2, true), norm = a:norm(), norm1 = a:norm(1),
      norm3 = a:norm(3), normd = a:norm(2, 1), norm0 = a:norm(0), dist = a:dist(b), dist3 = a:dist(b, 3),
      prod = b:prod(), prod1 = b:prod(1), cumsum = a:cumsum(1), cumsum2 = a:cumsum(2), cumprod = b:cumprod(2),
      exp = torch.exp(a), log = torch.log(b), log1p = torch.log1p(b), sqrt = torch.sqrt(b), rsqrt = torch.rsqrt(b),
      tanh = torch.tanh(a), sigmoid = torch.sigmoid(a), sin = torch.sin(a), cos = torch.cos(a), atan = torch.atan(a),
      pow2 = torch.pow(b, 2), pow3 = torch.pow(b, 3.3), powhalf = torch.pow(b, 0.5), cpow = torch.cpow(b, b),
      div = torch.div(a, 3), cdiv = torch.cdiv(a, b), mul = torch.mul(a, 0.1), addcmul = torch.addcmul(a, 0.3, a, b),
      addcdiv = torch.addcdiv(a, 0.3, a, b), lerp = torch.lerp(a, b, 0.3), mv = torch.mv(a, v), mm = torch.mm(a, a:t()),
      addmm = torch.addmm(0.5, torch.mm(a, a:t()), 2, a, a:t()), dot = a:dot(b), renorm = torch.renorm(a, 2, 1, 1),
      clamp = torch.clamp(a, -0.5, 0.5), abs = torch.abs(a), round = torch.round(a * 3), floor = torch.floor(a * 3),
      frac = torch.frac(a * 3), fmod = torch.fmod(a, 0.3), rem = torch.remainder(a, 0.3), cmax = torch.cmax(a, b),
      max = a:max(), min1 = a:min(1), cinv = torch.cinv(b), neg = -a, sub = a - b, add = a + b * 2,
      median = a:median(), kth = a:kthvalue(3), acos = torch.acos(torch.clamp(a, -1, 1)), asin = torch.asin(torch.clamp(a, -1, 1)),
      cosh = torch.cosh(a), sinh = torch.sinh(a), tan = torch.tan(a), atan2 = torch.atan2(a, b), expm1 = a.expm1 and torch.expm1(a) or 0,
      trunc = torch.trunc(a * 3), sign = torch.sign(a), ceil = torch.ceil(a * 3),
      histc = torch.histc(a, 10), ger = torch.ger(v, v), addr = torch.addr(torch.zeros(23, 23):type(T), 0.5, v, v),
      trace = torch.mm(a:t(), a):trace(), diag = torch.diag(a), tril = torch.tril(a), xcorr = torch.xcorr2(a, b:narrow(1, 1, 3):narrow(2, 1, 3)),
      conv = torch.conv2(a, b:narrow(1, 1, 3):narrow(2, 1, 3)), convF = torch.conv2(a, b:narrow(1, 1, 3):narrow(2, 1, 3), 'F'),
      linspace = torch.linspace(-1.3, 2.7, 11):type(T), logspace = torch.logspace(-1.3, 2.7, 11):type(T),
   }
   local keys = {} for k in pairs(checks) do keys[#keys + 1] = k end table.sort(keys)
   for _, k in ipairs(keys) do
      local v = checks[k]
      if type(v) == 'number' or torch.isTensor(v) then print(T, k, h(v)) end
   end
end
