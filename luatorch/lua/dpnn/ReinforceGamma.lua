-- Samples output ~ Gamma(shape k, scale theta) (the mean k theta during evaluation unless
-- stochastic). The input is the shape, or {shape, scale} when no fixed scale is given; scale
-- may be a number, a tensor like shape, or one without its batch dimension. Like the other
-- REINFORCE modules, backward ignores gradOutput and returns -reward * d log p(output) / d input.
-- (dpnn draws with the randomkit package and takes digamma from cephes; both are computed here,
-- from torch's random generator: the samples follow the same law, not the same stream.)
local ReinforceGamma, parent = torch.class('nn.ReinforceGamma', 'nn.Reinforce')

function ReinforceGamma:__init(scale, stochastic)
   parent.__init(self, stochastic)
   self.scale = scale
   if not scale then self.gradInput = {torch.Tensor(), torch.Tensor()} end
end

-- one Gamma(k, 1) draw: Marsaglia & Tsang (2000); k < 1 through Gamma(k + 1) U^(1/k)
local function gammaDraw(k)
   if k < 1 then
      return gammaDraw(k + 1) * torch.uniform() ^ (1 / k)
   end
   local d = k - 1 / 3
   local c = 1 / math.sqrt(9 * d)
   while true do
      local x, v
      repeat
         x = torch.normal()
         v = 1 + c * x
      until v > 0
      v = v * v * v
      local u = torch.uniform()
      if u < 1 - 0.0331 * x ^ 4 or math.log(u) < 0.5 * x * x + d * (1 - v + math.log(v)) then
         return d * v
      end
   end
end

-- digamma(x) = d/dx log Gamma(x), for x > 0: shift x up by the recurrence
-- psi(x) = psi(x + 1) - 1/x, then the asymptotic series
local function digamma(x)
   local result = 0
   while x < 10 do
      result = result - 1 / x
      x = x + 1
   end
   local f = 1 / (x * x)
   return result + math.log(x) - 0.5 / x
      - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (1 / 132
         - f * 691 / 32760)))))
end
ReinforceGamma.digamma = digamma

-- the scale as a tensor the size of shape (filled from a number, or expanded over the batch)
function ReinforceGamma:expandScale(shape, scale)
   if torch.type(scale) == 'number' then
      self._numScale = self._numScale or shape.new()
      return self._numScale:resizeAs(shape):fill(scale)
   elseif torch.isTensor(scale) then
      if scale:dim() == shape:dim() then
         assert(scale:isSameSizeAs(shape))
         return scale
      end
      assert(scale:dim() + 1 == shape:dim())
      return self:expandOverBatch(scale, shape, 'scale')
   end
   error"unsupported shape type"
end

function ReinforceGamma:updateOutput(input)
   local shape, scale = input, self.scale
   if torch.type(input) == 'table' then
      assert(#input == 2)
      shape, scale = unpack(input)
   end
   assert(scale)
   scale = self:expandScale(shape, scale)
   self.output:resizeAs(shape)
   if self.stochastic or self.train ~= false then
      local out = self.output:view(-1)
      local k, theta = shape:contiguous():view(-1), scale:contiguous():view(-1)
      for i = 1, out:size(1) do
         out[i] = gammaDraw(k[i]) * theta[i]
      end
   else
      self.output:copy(shape):cmul(scale)
   end
   return self.output
end

-- d log p / d k     = log x - digamma(k) - log theta
-- d log p / d theta = x / theta^2 - k / theta
function ReinforceGamma:updateGradInput(input, gradOutput)
   local shape, scale = input, self.scale
   local gradShape, gradScale = self.gradInput, nil
   if torch.type(input) == 'table' then
      shape, scale = unpack(input)
      gradShape, gradScale = unpack(self.gradInput)
   end
   assert(scale)
   local fullScale = self:expandScale(shape, scale)
   gradShape:resizeAs(shape):copy(shape):apply(digamma):mul(-1)
   self._logOutput = self._logOutput or self.output.new()
   self._logOutput:log(self.output)
   self._logScale = self._logScale or fullScale.new()
   self._logScale:log(fullScale)
   gradShape:add(self._logOutput):add(-1, self._logScale)
   gradShape:cmul(self:rewardAs(shape)):mul(-1)
   if gradScale then
      gradScale:resizeAs(scale)
      gradScale:copy(torch.cdiv(self.output, torch.pow(scale, 2)))
      gradScale:add(-1, torch.cdiv(shape, scale))
      gradScale:cmul(self:rewardAs(scale)):mul(-1)
   end
   return self.gradInput
end

function ReinforceGamma:type(typename, tensorCache)
   self._logOutput = nil
   self._logScale = nil
   self._numScale = nil
   return parent.type(self, typename, tensorCache)
end
