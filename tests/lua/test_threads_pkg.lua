-- The threads package (torch/threads' documented API) on real worker states.
local threads = require 'threads'
local tds = require 'tds'
local tester = torch.Tester()

local function withSerialization(name, f)
   local old = threads.Threads.serialization()
   threads.Threads.serialization(name)
   local ok, err = pcall(f)
   threads.Threads.serialization(old)
   if not ok then error(err, 0) end
end

function test_init_functions_run_on_every_worker_in_order()
   local msg = 'hello'
   local pool, initres = threads.Threads(3,
      function(id) gmsg = msg .. id end,              -- upvalue msg is copied to each worker
      function(id) return id, gmsg, __threadid end)
   tester:eq(#initres, 3)
   local seen = {}
   for _, r in ipairs(initres) do
      tester:eq(r[2], 'hello' .. r[1])
      tester:eq(r[3], r[1])
      seen[r[1]] = true
   end
   tester:assert(seen[1] and seen[2] and seen[3])
   pool:terminate()
end

function test_jobs_results_go_to_end_callbacks_in_main_state()
   local pool = threads.Threads(2)
   local sum, count = 0, 0
   for i = 1, 20 do
      pool:addjob(function(a, b) return a * b, __threadid end,
         function(r, tid)
            sum = sum + r       -- upvalue of the main state
            count = count + 1
            assert(tid == 1 or tid == 2)
         end, i, 2)
   end
   tester:assert(pool:hasjob() or count == 20)
   pool:synchronize()
   tester:eq(count, 20)
   tester:eq(sum, 2 * 210)
   tester:assert(not pool:hasjob())
   pool:terminate()
   tester:assert(not pool:isrunning())
   tester:assertErrorPattern(function() pool:addjob(function() end) end,
      'thread system is not running')
end

function test_nil_arguments_and_results_keep_their_positions()
   local pool = threads.Threads(1)
   local got
   pool:addjob(function(a, b, c) return a, b, c end, function(...) got = {n = select('#', ...), ...} end,
      1, nil, 3)
   pool:synchronize()
   tester:eq(got.n, 3)
   tester:eq(got[1], 1); tester:eq(got[2], nil); tester:eq(got[3], 3)
   pool:terminate()
end

function test_serialize_copies_tensors()
   withSerialization('threads.serialize', function()
      local t = torch.zeros(5)
      local pool = threads.Threads(1)
      local back
      pool:addjob(function() t:fill(1); return t end, function(r) back = r end)
      pool:synchronize()
      tester:eq(t:sum(), 0)          -- the worker filled its own copy
      tester:eq(back:sum(), 5)       -- and a copy of that came back
      pool:terminate()
   end)
end

function test_sharedserialize_passes_tensors_by_reference()
   withSerialization('threads.sharedserialize', function()
      local t = torch.zeros(2, 3)
      local pool = threads.Threads(2)
      for i = 1, 2 do
         pool:addjob(function() t[i]:fill(i); return t[i] end,
            function(row) row:add(10) end)   -- the row came back by reference too
      end
      pool:synchronize()
      tester:eq(t, torch.Tensor{{11, 11, 11}, {12, 12, 12}})
      local s = torch.FloatStorage(4):fill(0)
      pool:addjob(function() s[2] = 7 end)
      pool:synchronize()
      tester:eq(s[2], 7)
      pool:terminate()
   end)
end

function test_specific_mode_sends_jobs_to_the_named_worker()
   local pool = threads.Threads(3)
   tester:eq(pool:specific(), false)
   pool:specific(true)
   local ran = {}
   for i = 1, 3 do
      pool:addjob(i, function() return __threadid end, function(id) ran[i] = id end)
   end
   pool:synchronize()
   tester:eq(ran, {1, 2, 3})
   tester:assertErrorPattern(function() pool:addjob(function() end) end, 'thread index expected')
   pool:specific(false)
   pool:terminate()
end

function test_worker_state_persists_between_jobs()
   local pool = threads.Threads(1, function() counter = 0 end)
   local last
   for _ = 1, 5 do
      pool:addjob(function() counter = counter + 1; return counter end, function(c) last = c end)
   end
   pool:synchronize()
   tester:eq(last, 5)
   pool:terminate()
end

function test_callback_error_is_raised_with_thread_and_traceback()
   local pool = threads.Threads(1)
   pool:addjob(function()
      local function evil() error('broken job') end
      evil()
   end)
   local ok, err = pcall(pool.synchronize, pool)
   tester:assert(not ok)
   tester:assert(err:find('[thread 1 callback]', 1, true), err)
   tester:assert(err:find('broken job', 1, true), err)
   tester:assert(err:find("in function 'evil'", 1, true), err)
   -- the pool goes on
   local v
   pool:addjob(function() return 42 end, function(x) v = x end)
   pool:synchronize()
   tester:eq(v, 42)
   pool:addjob(function() return 1 end, function() error('end callback fails') end)
   ok, err = pcall(pool.synchronize, pool)
   tester:assert(not ok and err:find('[thread 1 endcallback]', 1, true), err)
   pool:terminate()
end

function test_bad_arguments()
   tester:assertErrorPattern(function() threads.Threads(0) end, 'positive integer')
   local pool = threads.Threads(1)
   tester:assertErrorPattern(function() pool:addjob('x') end, 'function callback expected')
   tester:assertErrorPattern(function() pool:addjob(function() end, 3) end,
      'function %(or nil%) endcallback expected')
   pool:terminate()
end

function test_acceptsjob_and_async_use()
   local pool = threads.Threads(2)
   local results = 0
   local added = 0
   while added < 10 do
      if pool:acceptsjob() then
         added = added + 1
         pool:addjob(function() return 1 end, function(x) results = results + x end)
      else
         pool:dojob()
      end
   end
   while pool:hasjob() do pool:dojob() end
   tester:eq(results, 10)
   pool:terminate()
end

function test_mutex_condition_and_safe_across_workers()
   withSerialization('threads.sharedserialize', function()
      local m = threads.Mutex()
      tester:eq(threads.Mutex(m:id()):id(), m:id())
      local total = torch.zeros(1)
      local mid = m:id()
      local pool = threads.Threads(4)
      for _ = 1, 8 do
         pool:addjob(function()
            local mutex = require('threads').Mutex(mid)
            for _ = 1, 200 do
               mutex:lock()
               total[1] = total[1] + 1     -- read-modify-write: a race without the mutex
               mutex:unlock()
            end
         end)
      end
      pool:synchronize()
      tester:eq(total[1], 1600)
      -- Condition: a worker waits until the main state signals
      local c = threads.Condition()
      local cid = c:id()
      local flag = torch.zeros(1)
      local done
      pool:addjob(function()
         local th = require 'threads'
         local mutex, cond = th.Mutex(mid), th.Condition(cid)
         mutex:lock()
         while flag[1] == 0 do cond:wait(mutex) end
         mutex:unlock()
         return flag[1]
      end, function(v) done = v end)
      m:lock(); flag[1] = 3; c:signal(); m:unlock()
      pool:synchronize()
      tester:eq(done, 3)
      local safeAdd = threads.safe(function(x) total[1] = total[1] + x end)
      for _ = 1, 4 do pool:addjob(function() for _ = 1, 50 do safeAdd(1) end end) end
      pool:synchronize()
      tester:eq(total[1], 1800)
      pool:terminate()
      c:free(); m:free()
      tester:assertErrorPattern(function() threads.Mutex(mid) end, 'invalid mutex id')
   end)
end

function test_tds_objects_are_shared_with_sharedserialize()
   withSerialization('threads.sharedserialize', function()
      local counter = tds.AtomicCounter()
      local h, v = tds.Hash(), tds.Vec()
      local pool = threads.Threads(3)
      for i = 1, 12 do
         pool:addjob(function()
            for _ = 1, 1000 do counter:inc() end
            h[i] = i * i
            v[i] = tostring(i)
         end)
      end
      pool:synchronize()
      tester:eq(counter:get(), 12000)
      tester:eq(#h, 12)
      tester:eq(h[7], 49)
      tester:eq(#v, 12)
      tester:eq(v:concat(','), '1,2,3,4,5,6,7,8,9,10,11,12')
      pool:terminate()
   end)
end

function test_tds_objects_are_copied_with_serialize()
   withSerialization('threads.serialize', function()
      local h = tds.Hash({a = 1})
      local pool = threads.Threads(1, function() require 'tds' end)
      local back
      pool:addjob(function() h.b = 2; return h end, function(r) back = r end)
      pool:synchronize()
      tester:eq(#h, 1)
      tester:eq(#back, 2)
      tester:eq(back.a, 1)
      pool:terminate()
   end)
end

function test_threads_module_is_callable_as_Threads()
   local pool = threads(1)
   tester:eq(torch.type(pool), 'threads.Threads')
   tester:eq(threads.serialization(), threads.Threads.serialization())
   pool:terminate()
end

function test_unreadable_jobs_and_results_fail_without_hanging()
   -- a class only the worker knows, in a result; a class only the main state knows, in a job
   local pool = threads.Threads(1, function() torch.class('threadsTestWorkerOnly') end)
   pool:addjob(function() return threadsTestWorkerOnly() end, function() end)
   local ok, err = pcall(pool.synchronize, pool)
   tester:assert(not ok and err:find('cannot read the results', 1, true), err)
   torch.class('threadsTestMainOnly')
   local obj = threadsTestMainOnly()
   pool:addjob(function() return obj end)
   ok, err = pcall(pool.synchronize, pool)
   tester:assert(not ok and err:find('FATAL THREAD PANIC', 1, true), err)
   local v
   pool:addjob(function() return 5 end, function(x) v = x end)
   pool:synchronize()
   tester:eq(v, 5)
   tester:assert(not pool:hasjob())
   pool:terminate()
end
