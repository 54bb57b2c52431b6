-- threads: torch/threads' API on real OS threads. Each worker runs its own LuaJIT state (a
-- luatorch Runtime); jobs and their results cross between states serialized (threads.serialize,
-- or threads.sharedserialize to pass tensors, storages and tds objects by reference).
-- The OS side (threads, queues, mutexes, conditions) is luatorch/packages/threads_backend.py.

local torch = require 'torch'
local py = torch._py

local threads = {}
package.loaded.threads = threads

local bind = torch._bind

---------------------------------------------------------------------------------------------
-- Mutex and Condition: process-wide objects found by id from any state
---------------------------------------------------------------------------------------------
local Mutex = {}
Mutex.__index = Mutex
Mutex.__typename = 'threads.Mutex'

local mutexLock, mutexUnlock = bind(py.thr_mutex_lock), bind(py.thr_mutex_unlock)

-- threads.Mutex([id]): a new mutex, or the one another mutex:id() names
local function newMutex(_, id)
   local self = setmetatable({}, Mutex)
   if id == nil then
      self.__id = py.thr_mutex_new()
   else
      if type(id) ~= 'number' or not py.thr_mutex_exists(id) then
         error('threads.Mutex: invalid mutex id ' .. tostring(id), 2)
      end
      self.__id = id
   end
   return self
end

function Mutex:lock() mutexLock(self.__id) end
function Mutex:unlock() mutexUnlock(self.__id) end
function Mutex:id() return self.__id end
function Mutex:free() py.thr_mutex_free(self.__id) end
function Mutex:__tostring() return string.format('threads.Mutex(%d)', self.__id) end

local Condition = {}
Condition.__index = Condition
Condition.__typename = 'threads.Condition'

local condWait = bind(py.thr_cond_wait)

local function newCondition(_, id)
   local self = setmetatable({}, Condition)
   if id == nil then
      self.__id = py.thr_cond_new()
   else
      if type(id) ~= 'number' or not py.thr_cond_exists(id) then
         error('threads.Condition: invalid condition id ' .. tostring(id), 2)
      end
      self.__id = id
   end
   return self
end

function Condition:wait(mutex)
   if getmetatable(mutex) ~= Mutex then
      error('threads.Condition:wait: mutex expected', 2)
   end
   condWait(self.__id, mutex.__id)
end
function Condition:signal() py.thr_cond_signal(self.__id) end
function Condition:broadcast() py.thr_cond_broadcast(self.__id) end
function Condition:id() return self.__id end
function Condition:free() py.thr_cond_free(self.__id) end
function Condition:__tostring() return string.format('threads.Condition(%d)', self.__id) end

threads.Mutex = setmetatable({}, {__index = Mutex, __call = newMutex})
threads.Condition = setmetatable({}, {__index = Condition, __call = newCondition})

---------------------------------------------------------------------------------------------
-- Thread: a new state on a new OS thread running a chunk of Lua code
---------------------------------------------------------------------------------------------
local Thread = {}
Thread.__index = Thread
Thread.__typename = 'threads.Thread'

local function newThread(_, code)
   if type(code) ~= 'string' then
      error('threads.Thread: string (Lua code) expected', 2)
   end
   return setmetatable({__id = py.thr_thread_new(code, py.write)}, Thread)
end

-- waits for the thread's code to end
function Thread:free()
   if self.__id then
      py.thr_thread_join(self.__id)
      self.__id = nil
   end
end

threads.Thread = setmetatable({}, {__index = Thread, __call = newThread})

threads.Threads = require 'threads.threads'
threads.safe = require 'threads.safe'

-- threads(N, ...) is threads.Threads(N, ...) and threads.serialization is
-- threads.Threads.serialization, for old code (as in torch/threads)
setmetatable(threads, getmetatable(threads.Threads))

return threads
