-- tnt.NDCGMeter{K = {1, ...}}: the normalized discounted cumulative gain at each K of the
-- ranking given by the scores, against graded relevances
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local NDCGMeter = torch.class('tnt.NDCGMeter', 'tnt.Meter', tnt)

-- rel[i1] + sum_{j=2..K} rel[ij] / log2(j)
local function dcg(relevance, index, K)
   assert(type(K) == 'number')
   assert(index:max() <= relevance:nElement())
   assert(index:nElement() >= K)
   relevance, index = relevance:squeeze(), index:squeeze()
   assert(relevance:dim() == 1)
   assert(index:dim() == 1)
   local value = relevance[index[1]]
   if K > 1 then
      local discount = torch.range(2, K):log():div(math.log(2)):typeAs(relevance)
      value = value + relevance:index(1, index:narrow(1, 2, K - 1)):cdiv(discount):sum()
   end
   return value
end

local function ndcg(relevance, index, K)
   local _, ideal = torch.sort(relevance:squeeze(), 1, true)
   local r = dcg(relevance, index, K) / dcg(relevance, ideal, K)
   assert(r >= 0 and r <= 1)
   return r
end

NDCGMeter.__init = argcheck{
   noordered = true,
   {name = 'self', type = 'tnt.NDCGMeter'},
   {name = 'K', type = 'table', default = {1}},
   call = function(self, K)
      self.K = torch.LongTensor(K):sort():totable()
      self:reset()
   end
}

NDCGMeter.reset = argcheck{
   {name = 'self', type = 'tnt.NDCGMeter'},
   call = function(self)
      self.ndcg = {}
      for _, k in ipairs(self.K) do self.ndcg[k] = 0 end
      self.n = 0
   end
}

NDCGMeter.add = argcheck{
   {name = 'self', type = 'tnt.NDCGMeter'},
   {name = 'output', type = 'torch.*Tensor'},
   {name = 'relevance', type = 'torch.*Tensor'},
   call = function(self, output, relevance)
      if output:dim() == 1 then output:resize(1, output:nElement()) end
      if relevance:dim() == 1 then relevance:resize(1, relevance:nElement()) end
      assert(output:dim() == 2)
      assert(relevance:dim() == 2)
      assert(output:size(1) == relevance:size(1), 'batch size must match')
      assert(output:size(2) == relevance:size(2), 'result size must match')
      assert(relevance:size(2) >= self.K[#self.K], 'too few results for value of K')
      relevance = relevance:double()
      local _, index = torch.sort(output, 2, true)
      for n = 1, index:size(1) do
         for _, k in ipairs(self.K) do
            self.ndcg[k] = self.ndcg[k] + ndcg(relevance[n], index[n], k)
         end
      end
      self.n = self.n + index:size(1)
   end
}

NDCGMeter.value = argcheck{
   {name = 'self', type = 'tnt.NDCGMeter'},
   {name = 'K', type = 'number', opt = true},
   call = function(self, K)
      if K then
         assert(self.ndcg[K], 'invalid k (was not provided at construction time)')
         return self.ndcg[K] / self.n
      end
      local value = {}
      for _, k in ipairs(self.K) do value[k] = self.ndcg[k] / self.n end
      return value
   end
}
