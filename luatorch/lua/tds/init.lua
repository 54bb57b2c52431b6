-- tds: Hash, Vec and AtomicCounter, data structures outside the Lua heap (torch/tds's API).
-- Their contents live in Python (luatorch/packages/tds_backend.py), so every state of a threads
-- pool sharing one (threads.sharedserialize) sees the same object. A Lua proxy (userdata) stands
-- for each; elements are numbers, strings, booleans, tensors, storages and tds objects.
local torch = require 'torch'
local py = torch._py
local P = torch._P
local bind = torch._bind

tds = type(tds) == 'table' and tds or {}
local tds = tds
package.loaded.tds = tds

local O = setmetatable({}, {__mode = 'k'})   -- proxy -> Python object
local PX = setmetatable({}, {__mode = 'v'})  -- Python object -> proxy (one proxy per object)
local protos = {}                            -- kind -> a proxy carrying the kind's metatable

local function wrap(o, kind)
   kind = kind or py.tds_kind(o)
   local u = PX[o]
   if u ~= nil and O[u] == o then return u end
   u = newproxy(protos[kind])
   O[u] = o
   PX[o] = u
   return u
end

-- a value as Python takes it, and the type name its errors use
local function pyvalue(v)
   local t = type(v)
   if t == 'userdata' then
      local o = O[v] or P[v]
      if o ~= nil then return o, torch.type(v) end
   elseif t == 'number' or t == 'string' or t == 'boolean' or t == 'nil' then
      return v, t
   end
   return v, torch.type(v)
end

local function check(v, vtype)
   local t = type(v)
   if t == 'table' or t == 'function' or t == 'thread'
         or (t == 'userdata' and O[v] == nil and P[v] == nil) then
      error(string.format('unsupported key/value type <%s> (set)', vtype), 3)
   end
end

local function luavalue(v, kind)
   if kind then return wrap(v, kind) end
   return v
end

tds._wrap = function(o) return wrap(o) end
tds._isTds = function(o) return type(o) == 'userdata' and O[o] == nil and P[o] == nil
   and py.tds_kind(o) ~= nil end
tds._pyObject = function(u) return O[u] end

local function isvec(tbl)
   for k in pairs(tbl) do
      if type(k) ~= 'number' then return false end
   end
   return true
end

local function convert(v)
   if type(v) == 'table' then
      return isvec(v) and tds.Vec(v) or tds.Hash(v)
   end
   return v
end

-- a proxy prototype per kind; its metatable is registered as the Torch class 'tds.<kind>'
local function newmt(kind)
   local proto = newproxy(true)
   local mt = getmetatable(proto)
   local name = 'tds.' .. kind
   mt.__typename = name
   mt.__version = 0
   protos[kind] = proto
   local ct = setmetatable({}, {__index = mt, __newindex = mt, __metatable = mt,
      __call = function(_, ...) return tds[kind](...) end})
   torch._registerType(name, name, proto, ct)
   return mt
end

---------------------------------------------------------------------------------------------
-- Hash
---------------------------------------------------------------------------------------------
local hmt = newmt('Hash')
local hashGet, hashSet = bind(py.tds_hash_get), bind(py.tds_hash_set)

hmt.__index = function(self, k)
   if k == nil then error('hash index is nil', 2) end
   local ko, kt = pyvalue(k)
   return luavalue(hashGet(O[self], ko))
end

hmt.__newindex = function(self, k, v)
   if k == nil then error('hash index is nil', 2) end
   check(k, torch.type(k))
   check(v, torch.type(v))
   local ko = pyvalue(k)
   local vo, vt = pyvalue(v)
   hashSet(O[self], ko, vo, vt)
end

hmt.__len = function(self) return py.tds_len(O[self]) end

hmt.__pairs = function(self)
   local snap = py.tds_hash_snapshot(O[self])
   local i = 0
   return function()
      i = i + 1
      local k, kk, v, vk = py.tds_snapshot_item(snap, i)
      if k == nil then return nil end
      return luavalue(k, kk), luavalue(v, vk)
   end, self, nil
end

local function key2str(k)
   local t = type(k)
   if t == 'string' or t == 'number' or t == 'boolean' then return tostring(k) end
   return torch.type(k)
end

-- each element as 'key : value', continuation lines indented under the value
local function entry(kstr, v)
   local sp = string.rep(' ', #kstr)
   local i = 0
   return (tostring(v):gsub('([^\n]+)', function(line)
      i = i + 1
      return (i == 1 and kstr or sp) .. line
   end))
end

hmt.__tostring = function(self)
   local out = {string.format('tds.Hash[%d]{', #self)}
   local width, n = 0, 0
   for k in pairs(self) do
      width = math.max(width, #key2str(k))
      n = n + 1
      if n == 20 then break end
   end
   n = 0
   for k, v in pairs(self) do
      local ks = key2str(k)
      out[#out + 1] = entry(ks .. string.rep(' ', width - #ks) .. ' : ', v)
      n = n + 1
      if n == 20 then
         out[#out + 1] = '...'
         break
      end
   end
   out[#out + 1] = '}'
   return table.concat(out, '\n')
end

hmt.__write = function(self, f)
   f:writeLong(#self)
   for k, v in pairs(self) do
      f:writeObject(k)
      f:writeObject(v)
   end
end

hmt.__read = function(self, f)
   for _ = 1, f:readLong() do
      local k = f:readObject()
      self[k] = f:readObject()
   end
end

hmt.__factory = function() return tds.Hash() end

-- tds.Hash([tbl]): nested tables become Vecs (number keys only) or Hashes
function tds.Hash(...)
   local self = wrap(py.tds_new('Hash'), 'Hash')
   local n = select('#', ...)
   if n == 1 and type((...)) == 'table' then
      for k, v in pairs((...)) do self[convert(k)] = convert(v) end
   elseif n > 0 then
      error('lua table or nothing expected', 2)
   end
   return self
end
tds.hash = tds.Hash

---------------------------------------------------------------------------------------------
-- Vec
---------------------------------------------------------------------------------------------
local vmt = newmt('Vec')
local vecGet, vecSet, vecInsert = bind(py.tds_vec_get), bind(py.tds_vec_set),
   bind(py.tds_vec_insert)
local methods = {}

local function positive(k, level)
   if type(k) ~= 'number' or k <= 0 then error('positive number expected as key', level + 1) end
end

vmt.__index = function(self, k)
   if type(k) == 'number' then
      positive(k, 2)
      return luavalue(vecGet(O[self], k))
   end
   local m = methods[k]
   if m then return m end
   error('invalid key (number) or method name', 2)
end

vmt.__newindex = function(self, k, v)
   positive(k, 2)
   check(v, torch.type(v))
   local vo, vt = pyvalue(v)
   vecSet(O[self], k, vo, vt)
end

vmt.__len = function(self) return py.tds_len(O[self]) end

vmt.__ipairs = function(self)
   local k = 0
   return function()
      k = k + 1
      if k <= #self then return k, self[k] end
   end, self, nil
end
vmt.__pairs = vmt.__ipairs

-- insert([index,] value)
function methods:insert(...)
   local n = select('#', ...)
   local k, v
   if n == 1 then
      k, v = #self + 1, ...
   elseif n == 2 then
      k, v = ...
   else
      error('[key] value expected', 2)
   end
   positive(k, 2)
   check(v, torch.type(v))
   local vo, vt = pyvalue(v)
   vecInsert(O[self], k, vo, vt)
end

function methods:remove(k)
   k = k or #self
   positive(k, 2)
   py.tds_vec_remove(O[self], k)
end

function methods:resize(size)
   if type(size) ~= 'number' or size < 0 then error('size must be a positive number', 2) end
   py.tds_vec_resize(O[self], size)
end

-- sort(compare): compare(a, b) is true when a goes before b
function methods:sort(compare)
   if type(compare) ~= 'function' then
      error('compare function must be a lua or C function', 2)
   end
   local n = #self
   local vals, order = {}, {}
   for i = 1, n do vals[i] = self[i]; order[i] = i end
   table.sort(order, function(a, b) return compare(vals[a], vals[b]) end)
   py.tds_vec_reorder(O[self], order)
end

function methods:concat(sep, i, j)
   i = i or 1
   j = j or #self
   local parts = {}
   for k = i, j do
      local v = self[k]
      local s = tostring(v)
      if s == nil then error('cannot convert element to string', 2) end
      parts[#parts + 1] = s
   end
   return table.concat(parts, sep or '')
end

function methods:concatstorage(sep, i, j)
   return torch.CharStorage():string(self:concat(sep, i, j))
end

vmt.__tostring = function(self)
   local out = {string.format('tds.Vec[%d]{', #self)}
   for k, v in ipairs(self) do
      out[#out + 1] = entry(string.format('%5d : ', k), v)
      if k == 20 then
         out[#out + 1] = '...'
         break
      end
   end
   out[#out + 1] = '}'
   return table.concat(out, '\n')
end

vmt.__write = function(self, f)
   f:writeLong(#self)
   for _, v in ipairs(self) do f:writeObject(v) end
end

vmt.__read = function(self, f)
   for k = 1, f:readLong() do self[k] = f:readObject() end
end

vmt.__factory = function() return tds.Vec() end

-- tds.Vec([tbl | v1, v2, ...])
function tds.Vec(...)
   local self = wrap(py.tds_new('Vec'), 'Vec')
   local n = select('#', ...)
   local tbl
   if n == 1 and type((...)) == 'table' then
      tbl = ...
   elseif n > 0 then
      tbl = {...}
   end
   if tbl then
      if not isvec(tbl) then error('lua table with number keys expected', 2) end
      for k, v in pairs(tbl) do self[k] = convert(v) end
   end
   return self
end
tds.vec = tds.Vec

---------------------------------------------------------------------------------------------
-- AtomicCounter: inc() returns the value before the increment
---------------------------------------------------------------------------------------------
local amt = newmt('AtomicCounter')
local amethods = {
   inc = function(self) return py.tds_atomic_inc(O[self]) end,
   get = function(self) return py.tds_atomic_get(O[self]) end,
   set = function(self, v) py.tds_atomic_set(O[self], v) end,
}
amt.__index = function(_, k)
   local m = amethods[k]
   if m then return m end
   error('no such method', 2)
end
amt.__newindex = nil
amt.__tostring = function(self) return 'tds.AtomicCounter=' .. self:get() end
amt.__write = function(self, f) f:writeLong(self:get()) end
amt.__read = function(self, f) self:set(f:readLong()) end
amt.__factory = function() return tds.AtomicCounter() end

function tds.AtomicCounter()
   return wrap(py.tds_new('AtomicCounter'), 'AtomicCounter')
end
tds.atomiccounter = tds.AtomicCounter

-- pairs and ipairs honour __pairs/__ipairs, as in Torch's LuaJIT
require 'compat52'

return tds
