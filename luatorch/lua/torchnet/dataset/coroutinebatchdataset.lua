-- tnt.CoroutineBatchDataset: a BatchDataset whose underlying dataset's get() may call
-- coroutine.yield() once (to queue its index, say, and fetch many at a time): every get() of a
-- batch is started in its own coroutine first, then the suspended ones are resumed to finish.
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local CoroutineBatchDataset, BatchDataset =
   torch.class('tnt.CoroutineBatchDataset', 'tnt.BatchDataset', tnt)

CoroutineBatchDataset.__init = argcheck{
   {name = 'self', type = 'tnt.CoroutineBatchDataset'},
   {name = 'dataset', type = 'tnt.Dataset'},
   {name = 'batchsize', type = 'number'},
   {name = 'perm', type = 'function', default = function(idx, size) return idx end},
   {name = 'merge', type = 'function', opt = true},
   {name = 'policy', type = 'string', default = 'include-last'},
   {name = 'filter', type = 'function', default = function(sample) return true end},
   call = function(self, dataset, batchsize, perm, merge, policy, filter)
      BatchDataset.__init(self, dataset, batchsize, perm, merge, policy, filter)
   end
}

-- resumes a coroutine; once more after a collection if it ran out of memory
local function resume(co)
   local ok, result = coroutine.resume(co)
   if not ok and string.format('%s', result) == 'not enough memory' then
      collectgarbage()
      collectgarbage()
      ok, result = coroutine.resume(co)
   end
   if not ok then error(string.format('dataset threw error: %s', result)) end
   return result
end

CoroutineBatchDataset.get = argcheck{
   {name = 'self', type = 'tnt.CoroutineBatchDataset'},
   {name = 'idx', type = 'number'},
   call = function(self, idx)
      assert(idx >= 1 and idx <= self:size(), 'index out of bound')
      assert(idx == math.floor(idx), 'index should be integer value')
      local coroutines, samples, maxidx = {}, {}, self.dataset:size()
      -- start every get(); those that return at once give their sample now
      for n = 1, self.batchsize do
         local j = (idx - 1) * self.batchsize + n
         if j > maxidx then break end
         coroutines[n] = coroutine.create(function() return self.dataset:get(self.perm(j)) end)
         local sample = resume(coroutines[n])
         if coroutine.status(coroutines[n]) == 'dead' then samples[n] = sample end
      end
      -- then finish the ones that yielded
      for n = 1, self.batchsize do
         local co = coroutines[n]
         if co and coroutine.status(co) == 'suspended' then
            local ok, sample = coroutine.resume(co)
            if not ok then error(string.format('dataset threw error: %s', sample)) end
            assert(coroutine.status(co) == 'dead', 'coroutine did not die')
            samples[n] = sample
         end
      end
      local kept = {}
      for n = 1, self.batchsize do
         if self.filter(samples[n]) then table.insert(kept, samples[n]) end
      end
      local batch = self.makebatch(kept)
      collectgarbage()
      return batch
   end
}
