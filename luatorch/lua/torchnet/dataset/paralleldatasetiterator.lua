-- tnt.ParallelDatasetIterator{init, closure, nthread, perm, filter, transform, ordered}:
-- nthread worker threads (the threads package) each build their dataset with closure(idx)
-- (after init(idx)) and load samples; the main thread receives them in completion order, or
-- in index order when ordered
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'
local Threads = require 'threads'

local ParallelDatasetIterator =
   torch.class('tnt.ParallelDatasetIterator', 'tnt.DatasetIterator', tnt)

ParallelDatasetIterator.__init = argcheck{
   {name = 'self', type = 'tnt.ParallelDatasetIterator'},
   {name = 'init', type = 'function', default = function(idx) end},
   {name = 'closure', type = 'function'},
   {name = 'nthread', type = 'number'},
   {name = 'perm', type = 'function', default = function(idx) return idx end},
   {name = 'filter', type = 'function', default = function(sample) return true end},
   {name = 'transform', type = 'function', default = function(sample) return sample end},
   {name = 'ordered', type = 'boolean', default = false},
   call = function(self, init, closure, nthread, perm, filter, transform, ordered)
      -- each worker keeps its dataset in the global gdataset
      local function main(idx)
         gdataset = closure(idx)
         assert(torch.isTypeOf(gdataset, 'tnt.Dataset'), 'closure should return a Dataset class')
         return gdataset:size()
      end
      Threads.serialization('threads.sharedserialize')
      local threads, sizes = Threads(nthread, init, main)
      self.__threads = threads
      self.__nthread = nthread
      local size = sizes[1][1]
      local sample, sampleOrigIdx

      function self.run()
         threads:synchronize()
         threads:addjob(function() return gdataset:size() end,
                        function(n) size = n end)
         threads:dojob()
         local idx = 1
         -- keep the workers busy with the next indices
         local function enqueue()
            while idx <= size and threads:acceptsjob() do
               threads:addjob(
                  function(origIdx, i)
                     local s = gdataset:get(i)
                     collectgarbage()
                     collectgarbage()
                     return s, origIdx
                  end,
                  function(s, origIdx) sample, sampleOrigIdx = s, origIdx end,
                  idx, perm(idx))
               idx = idx + 1
            end
         end
         -- one finished job: its sample transformed, or nil when filtered out
         local function next()
            enqueue()
            threads:dojob()
            if threads:haserror() then threads:synchronize() end
            enqueue()
            sample = transform(sample)
            if filter(sample) then return sample end
         end
         enqueue()
         if not ordered then
            return function()
               while threads:hasjob() do
                  local s = next()
                  if s then return s end
               end
            end
         end
         -- in order: samples arriving early wait in stored (skipped ones as a placeholder)
         local current, stored, skipped = 1, {}, {}
         local function advance()
            while stored[current] == skipped do
               stored[current] = nil
               current = current + 1
            end
         end
         return function()
            advance()
            while stored[current] == nil and threads:hasjob() do
               local s = next()
               stored[sampleOrigIdx] = s or skipped
               advance()
            end
            enqueue()
            local s = stored[current]
            stored[current] = nil
            current = current + 1
            return s
         end
      end
   end
}

-- runs dataset method name in one worker
function ParallelDatasetIterator:execSingle(name, ...)
   assert(not self.__threads:hasjob(), 'cannot execSingle during loop')
   local args = {...}
   local res
   self.__threads:addjob(function() return gdataset:exec(name, unpack(args)) end,
                         function(...) res = {...} end)
   self.__threads:synchronize()
   return unpack(res)
end

-- runs dataset method name in every worker; one result (or table of results) per worker
function ParallelDatasetIterator:exec(name, ...)
   assert(not self.__threads:hasjob(), 'cannot exec during loop')
   local args = {...}
   local res = {}
   self.__threads:specific(true)
   for i = 1, self.__nthread do
      self.__threads:addjob(i,
         function() return gdataset:exec(name, unpack(args)) end,
         function(...)
            local r = {...}
            res[i] = #r > 1 and r or r[1]
         end)
   end
   self.__threads:specific(false)
   return res
end
