-- Walker's alias method (torchx's torch.AliasMultinomial): after an O(K) setup, each draw from
-- a K-way multinomial costs one uniform bucket and one biased coin. J[k] is the outcome that
-- shares bucket k with k; q[k] the chance that bucket k keeps its own outcome.
local AM = torch.class('torch.AliasMultinomial')

function AM:__init(probs)
   self.J, self.q = self:setup(probs)
end

function AM:setup(probs)
   assert(probs:dim() == 1)
   local K = probs:nElement()
   local q = probs.new(K):zero()
   local J = torch.LongTensor(K):zero()
   -- scaled by K, an outcome below 1 underfills its bucket, one above overfills it
   local under, over = {}, {}
   for k = 1, K do
      q[k] = K * probs[k]
      table.insert(q[k] < 1 and under or over, k)
   end
   -- each underfilled bucket is topped up by an overfilled outcome, which may then underfill
   while #under > 0 and #over > 0 do
      local small, large = table.remove(under), table.remove(over)
      J[small] = large
      q[large] = q[large] - (1 - q[small])
      table.insert(q[large] < 1 and under or over, large)
   end
   assert(q:min() >= 0)
   if q:max() > 1 then q:div(q:max()) end
   assert(q:max() <= 1)
   -- a bucket left without a partner (rounding) always keeps its own outcome
   for k = 1, K do
      if J[k] <= 0 then q[k] = 1 end
   end
   return J, q
end

function AM:draw()
   local K = self.J:nElement()
   local k = math.random(1, K)
   if math.random() < self.q[k] then return k end
   return self.J[k]
end

-- fills the LongTensor output with draws
function AM:batchdraw(output)
   assert(torch.type(output) == 'torch.LongTensor')
   assert(output:nElement() > 0)
   local K = self.J:nElement()
   self._kk = self._kk or output.new()
   self._kk:resizeAs(output):random(1, K)
   self._q = self._q or self.q.new()
   self._q:index(self.q, 1, self._kk:view(-1))
   self._mask = self._mask or torch.LongTensor()
   self._mask:resize(self._q:size()):bernoulli(self._q)
   -- output = keep * bucket + (1 - keep) * J[bucket]
   self.__kk = self.__kk or output.new()
   self.__kk:resize(self._kk:size()):copy(self._kk):cmul(self._mask)
   self._mask:add(-1):mul(-1)
   output:view(-1):index(self.J, 1, self._kk:view(-1))
   output:cmul(self._mask)
   output:add(self.__kk)
   return output
end
