-- tnt.BatchDataset(dataset, batchsize[, perm][, merge][, policy][, filter]): sample i merges
-- samples (i-1)*batchsize+1 .. i*batchsize (through perm, kept by filter) with merge, by
-- default tensors of equal sizes stacked along a new first dimension and other fields as
-- tables. policy: 'include-last' (a smaller last batch), 'skip-last' or 'divisible-only'.
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'
local transform = require 'torchnet.transform'

local BatchDataset = torch.class('tnt.BatchDataset', 'tnt.Dataset', tnt)

BatchDataset.__init = argcheck{
   {name = 'self', type = 'tnt.BatchDataset'},
   {name = 'dataset', type = 'tnt.Dataset'},
   {name = 'batchsize', type = 'number'},
   {name = 'perm', type = 'function', default = function(idx, size) return idx end},
   {name = 'merge', type = 'function', opt = true},
   {name = 'policy', type = 'string', default = 'include-last'},
   {name = 'filter', type = 'function', default = function(sample) return true end},
   call = function(self, dataset, batchsize, perm, merge, policy, filter)
      assert(batchsize > 0 and math.floor(batchsize) == batchsize,
             'batchsize should be a positive integer number')
      self.dataset = dataset
      self.perm = perm
      self.batchsize = batchsize
      self.makebatch = transform.makebatch{merge = merge}
      self.policy = policy
      self.filter = filter
      self:size() -- checks the policy
   end
}

BatchDataset.size = argcheck{
   {name = 'self', type = 'tnt.BatchDataset'},
   call = function(self)
      local n, b = self.dataset:size(), self.batchsize
      if self.policy == 'include-last' then
         return math.ceil(n / b)
      elseif self.policy == 'skip-last' then
         return math.floor(n / b)
      elseif self.policy == 'divisible-only' then
         assert(n % b == 0, 'dataset size is not divisible by batch size')
         return n / b
      end
      error('invalid policy (include-last | skip-last | divisible-only expected)')
   end
}

BatchDataset.get = argcheck{
   {name = 'self', type = 'tnt.BatchDataset'},
   {name = 'idx', type = 'number'},
   call = function(self, idx)
      assert(idx >= 1 and idx <= self:size(), 'index out of bound')
      local samples = {}
      local maxidx = self.dataset:size()
      for i = 1, self.batchsize do
         local j = (idx - 1) * self.batchsize + i
         if j > maxidx then break end
         local sample = self.dataset:get(self.perm(j, maxidx))
         if self.filter(sample) then table.insert(samples, sample) end
      end
      samples = self.makebatch(samples)
      collectgarbage()
      collectgarbage()
      return samples
   end
}
