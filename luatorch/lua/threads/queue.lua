-- threads.queue: a bounded queue of serialized jobs, reachable from every state by its id.
-- Queue(N [, serializer]) makes one holding at most N jobs; Queue(id, serializer) reaches it
-- from another state.
local torch = require 'torch'
local py = torch._py
local bind = torch._bind

local queueGet, queuePut = bind(py.thr_queue_get), bind(py.thr_queue_put)

local Queue = {}
Queue.__index = Queue
Queue.__typename = 'threads.Queue'

local function new(_, n, serializer, existing)
   if type(n) ~= 'number' then error('threads.Queue: number expected', 2) end
   local self = setmetatable({serialize = serializer or 'threads.serialize'}, Queue)
   self.__id = existing and n or py.thr_queue_new(n)
   return self
end

function Queue:id() return self.__id end

function Queue:isfull() return py.thr_queue_full(self.__id) end

-- callback and its arguments are serialized now: later changes to them are not seen
function Queue:addjob(callback, ...)
   self:addtaggedjob(nil, callback, ...)
end

-- a job with a number the receiver sees (as self.tag) even if it cannot read the job
function Queue:addtaggedjob(tag, callback, ...)
   local serialize = require(self.serialize)
   queuePut(self.__id, serialize.save(callback), serialize.save({n = select('#', ...), ...}), tag)
end

-- blocks until a job is there, then runs it and returns what it returns
function Queue:dojob()
   local serialize = require(self.serialize)
   local cb, args, tag = queueGet(self.__id)
   self.tag = tag
   if cb == nil then return nil end  -- a stop mark (see Threads.new)
   local callback = serialize.load(cb)
   args = serialize.load(args)
   return callback(unpack(args, 1, args.n))
end

-- a value (not a job): put serializes it, take waits for one and returns it
function Queue:put(value, tag)
   local serialize = require(self.serialize)
   queuePut(self.__id, serialize.save(value), nil, tag)
end

function Queue:take()
   local serialize = require(self.serialize)
   local value, _, tag = queueGet(self.__id)
   self.tag = tag
   return serialize.load(value)
end

function Queue:free() py.thr_queue_free(self.__id) end

return setmetatable({}, {__index = Queue, __call = new})
