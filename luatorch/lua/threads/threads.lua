-- threads.Threads: a pool of N worker states. Jobs (a callback and its arguments) are serialized
-- into a queue; a free worker runs the callback; its results come back serialized through the
-- main queue, and the main state runs the job's end callback with them (in dojob/synchronize).
-- In specific mode each job goes to the worker it names (the pool starts in it to run the
-- initialization functions on every worker, then leaves it).
local torch = require 'torch'
local py = torch._py
local Queue = require 'threads.queue'

local Threads = {}
Threads.__index = Threads
Threads.__typename = 'threads.Threads'
Threads.__serialize = 'threads.serialize'

-- Threads.serialization([name]): the module serializing jobs of pools made from now on
function Threads.serialization(name)
   if name == nil then return Threads.__serialize end
   if type(name) ~= 'string' then error('threads.Threads.serialization: string expected', 2) end
   Threads.__serialize = name
end

-- what each worker state runs: take jobs from its own queue (specific mode) or the shared one,
-- send back {status, results, end callback id, thread id}
local WORKER = [[
local Queue = require 'threads.queue'
__threadid = %d
local serializer = %q
local mainqueue = Queue(%d, serializer, true)
local threadqueue = Queue(%d, serializer, true)
local specificqueue = Queue(%d, serializer, true)
local threadid = __threadid
__queue_running = true
__queue_specific = true
while __queue_running do
   local queue = __queue_specific and specificqueue or threadqueue
   local ok, status, res, id = pcall(queue.dojob, queue)
   if not ok then
      -- the job could not be read (a class this state does not know...): its callback fails
      status, res, id = false, {n = 1, 'FATAL THREAD PANIC: (dojob) ' .. tostring(status)},
         queue.tag
   elseif status == nil then
      break  -- the pool was collected without terminate()
   end
   mainqueue:put({status, res, id, threadid}, id .. ' ' .. threadid)
end
]]

function Threads.new(N, ...)
   if type(N) ~= 'number' or N < 1 or N ~= math.floor(N) then
      error('threads.Threads: number of threads (a positive integer) expected', 2)
   end
   local funcs = {...}
   for i, f in ipairs(funcs) do
      if type(f) ~= 'function' then
         error(string.format('threads.Threads: argument #%d is not a function', i + 1), 2)
      end
   end
   if #funcs == 0 then funcs = {function() end} end

   local self = setmetatable({N = N, endcallbacks = {n = 0}, nextid = 0, errors = false,
      __specific = true, __running = true}, Threads)
   local ser = Threads.__serialize
   self.mainqueue = Queue(N, ser)
   self.threadqueue = Queue(N, ser)
   self.threadspecificqueues = {}
   self.threads = {}
   local threads = require 'threads'
   for i = 1, N do
      self.threadspecificqueues[i] = Queue(N, ser)
      local code = string.format(WORKER, i, ser, self.mainqueue:id(), self.threadqueue:id(),
         self.threadspecificqueues[i]:id())
      self.threads[i] = threads.Thread(code)
   end

   -- a pool dropped without terminate() stops its workers (from Python: see _Owner)
   local ids = {self.threadqueue:id()}
   for i = 1, N do ids[#ids + 1] = self.threadspecificqueues[i]:id() end
   self.__owner = py.thr_pool_owner(table.concat(ids, ' '), N)

   local initres = {}
   for j, f in ipairs(funcs) do
      for i = 1, N do
         if j < #funcs then
            self:addjob(i, f, function() end, i)
         else
            self:addjob(i, f, function(...) table.insert(initres, {...}) end, i)
         end
      end
   end
   self:specific(false)
   return self, initres
end

function Threads:isrunning()
   return self.__running
end

local function checkrunning(self)
   if not self.__running then error('thread system is not running', 3) end
end

-- specific(flag): switch mode (after finishing the running jobs); specific(): the mode
function Threads:specific(flag)
   checkrunning(self)
   if flag == nil then return self.__specific end
   if type(flag) ~= 'boolean' then error('boolean expected', 2) end
   self:synchronize()
   if self.__specific ~= flag then
      if self.__specific then
         for i = 1, self.N do
            self:addjob(i, function() __queue_specific = false end)
         end
      else
         for _ = 1, self.N do
            self:addjob(function() __queue_specific = true end)
         end
      end
      self.__specific = flag
      self:synchronize()
   end
end

-- runs the end callback of one finished job (waits for one if none has finished)
function Threads:dojob()
   checkrunning(self)
   self.errors = false
   local ok, result = pcall(self.mainqueue.take, self.mainqueue)
   if not ok then
      -- results this state cannot read (a class it does not know...): that job ends in error
      local id, threadid = self.mainqueue.tag:match('^(%d+) (%d+)$')
      self.endcallbacks[tonumber(id)] = nil
      self.endcallbacks.n = self.endcallbacks.n - 1
      self.errors = true
      error(string.format('[thread %s endcallback] cannot read the results: %s', threadid,
         tostring(result)), 2)
   end
   local status, res, id, threadid = unpack(result, 1, 4)
   local endcallback = self.endcallbacks[id]
   self.endcallbacks[id] = nil
   self.endcallbacks.n = self.endcallbacks.n - 1
   if not status then
      self.errors = true
      error(string.format('[thread %d callback] %s', threadid, tostring(res[1])), 2)
   end
   local ok, msg = xpcall(function() return endcallback(unpack(res, 1, res.n)) end,
      debug.traceback)
   if not ok then
      self.errors = true
      error(string.format('[thread %d endcallback] %s', threadid, tostring(msg)), 2)
   end
end

local function jobqueue(self, idx)
   if self.__specific then
      if type(idx) ~= 'number' or idx < 1 or idx > self.N or idx ~= math.floor(idx) then
         error('thread index expected', 3)
      end
      return self.threadspecificqueues[idx]
   end
   return self.threadqueue
end

function Threads:acceptsjob(idx)
   checkrunning(self)
   return not jobqueue(self, idx):isfull()
end

function Threads:hasjob()
   checkrunning(self)
   return self.endcallbacks.n > 0
end

-- addjob([idx,] callback [, endcallback [, ...]]): the index only in specific mode
function Threads:addjob(...)
   checkrunning(self)
   self.errors = false
   local idx, callback, endcallback, first
   if self.__specific then
      idx, callback, endcallback = ...
      first = 4
   else
      callback, endcallback = ...
      first = 3
   end
   local q = jobqueue(self, idx)
   if type(callback) ~= 'function' then error('function callback expected', 2) end
   if endcallback ~= nil and type(endcallback) ~= 'function' then
      error('function (or nil) endcallback expected', 2)
   end

   -- a full queue: finish jobs to make room
   while q:isfull() do self:dojob() end

   self.nextid = self.nextid + 1
   local id = self.nextid
   self.endcallbacks[id] = endcallback or function() end
   self.endcallbacks.n = self.endcallbacks.n + 1

   local job = function(...)
      local args = {n = select('#', ...), ...}
      local function pack(status, ...) return status, {n = select('#', ...), ...} end
      local status, res = pack(xpcall(function() return callback(unpack(args, 1, args.n)) end,
         debug.traceback))
      return status, res, id
   end
   q:addtaggedjob(id, job, select(first, ...))
end

function Threads:haserror()
   return false  -- errors are raised by dojob/synchronize as they happen (as Torch's do)
end

function Threads:synchronize()
   if not self.__running then return end
   self.errors = false
   while self:hasjob() do self:dojob() end
end

function Threads:terminate()
   if not self.__running or self.errors then return end
   local ok, err = pcall(function()
      for i = 1, self.N do
         if self.__specific then
            self:addjob(i, function() __queue_running = false end)
         else
            self:addjob(function() __queue_running = false end)
         end
      end
      self:synchronize()
      for i = 1, self.N do self.threads[i]:free() end
      self.mainqueue:free()
      self.threadqueue:free()
      for i = 1, self.N do self.threadspecificqueues[i]:free() end
      py.thr_disarm(self.__owner)
   end)
   self.__running = false
   if not ok then error(err, 2) end
end

return setmetatable({}, {
   __index = Threads,
   __newindex = Threads,
   __call = function(_, ...) return Threads.new(...) end,
})
