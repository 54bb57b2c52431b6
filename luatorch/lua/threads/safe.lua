-- threads.safe(func [, mutex]): func guarded by a mutex (one it makes, freed when the returned
-- function is collected, or the given one). The returned function can be sent to other threads:
-- it finds the mutex again by its id.
return function(func, mutex)
   local threads = require 'threads'
   if type(func) ~= 'function'
         or (mutex ~= nil and not (type(mutex) == 'table' and mutex.__id and mutex.lock)) then
      error('function, [mutex] expected', 2)
   end
   local owner
   if mutex == nil then
      mutex = threads.Mutex()
      owner = torch._py.thr_mutex_owner(mutex:id())   -- frees the mutex when collected
   end
   local mutexid = mutex:id()
   local function finish(m, ok, ...)
      m:unlock()
      if not ok then error((...), 0) end
      return ...
   end
   local safe = function(...)
      local m = require('threads').Mutex(mutexid)
      m:lock()
      return finish(m, pcall(func, ...))
   end
   if owner then
      -- the owner lives in the function's environment, which serialization does not copy
      setfenv(safe, setmetatable({__mutexOwner = owner}, {__index = _G}))
   end
   return safe
end
