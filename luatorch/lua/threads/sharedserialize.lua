-- threads.sharedserialize: as threads.serialize, but tensors, storages and tds objects cross
-- by reference: the receiving state gets a proxy of the very same object (same memory), as
-- Torch's version passes their pointers. Each such object is handed over through a ticket kept
-- by Python until the receiving state reads it.
local torch = require 'torch'
local py = torch._py

local serialize = {}

-- tds objects may be among what is shared: every state reading them must know their classes
pcall(require, 'tds')

local P = torch._P

local function sharedTypes()
   local names = {}
   for _, name in ipairs(torch._typeNames) do
      names[#names + 1] = 'torch.' .. name .. 'Tensor'
      names[#names + 1] = 'torch.' .. name .. 'Storage'
   end
   local tds = package.loaded.tds
   if tds then
      for _, name in ipairs{'tds.Hash', 'tds.Vec', 'tds.AtomicCounter'} do
         names[#names + 1] = name
      end
   end
   return names
end

local function pyObject(obj)
   local o = P[obj]
   if o == nil and package.loaded.tds then o = package.loaded.tds._pyObject(obj) end
   return o
end

local hooks = {
   __write = function(self, f)
      f:writeLong(py.thr_share(pyObject(self)))
   end,
   __factory = function(f)
      local o = py.thr_take_wrapped(f:readLong())   -- a tensor or storage comes as its proxy
      local tds = package.loaded.tds
      if tds and tds._isTds(o) then return tds._wrap(o) end
      return o
   end,
   __read = function() end,
}

-- installs the by-reference hooks on every shared class while f runs
local function withHooks(f, ...)
   local saved = {}
   for _, name in ipairs(sharedTypes()) do
      local mt = torch.getmetatable(name)
      if mt then
         saved[name] = {mt, rawget(mt, '__write'), rawget(mt, '__factory'), rawget(mt, '__read')}
         rawset(mt, '__write', hooks.__write)
         rawset(mt, '__factory', hooks.__factory)
         rawset(mt, '__read', hooks.__read)
      end
   end
   local res = {pcall(f, ...)}
   for _, s in pairs(saved) do
      rawset(s[1], '__write', s[2])
      rawset(s[1], '__factory', s[3])
      rawset(s[1], '__read', s[4])
   end
   if not res[1] then error(res[2], 0) end
   return res[2]
end

function serialize.save(obj)
   return withHooks(torch.serializeToStorage, obj, 'binary')
end

function serialize.load(storage)
   return withHooks(torch.deserializeFromStorage, storage, 'binary', {allowFunctions = true})
end

return serialize
