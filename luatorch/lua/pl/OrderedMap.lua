-- Penlight's OrderedMap: a Map that remembers the order in which keys were set.

local tablex = require 'pl.tablex'
local utils = require 'pl.utils'
local List = require 'pl.List'
local Map = require 'pl.Map'
local class = require 'pl.class'

local OrderedMap = class(Map)
OrderedMap._name = 'OrderedMap'

local rawset = rawset

-- OrderedMap(t): t a map, or a list of one-pair tables {{a = 1}, {b = 2}} giving the order
function OrderedMap:_init(t)
   rawset(self, '_keys', List())
   if t then
      local ok, err = self:update(t)
      if not ok then error(err, 2) end
   end
end

function OrderedMap:update(t)
   if getmetatable(t) == OrderedMap then
      for k, v in t:iter() do self:set(k, v) end
   elseif #t > 0 then
      if type(t[1]) ~= 'table' then return nil, 'the list must contain tables with one pair' end
      for _, pair in ipairs(t) do
         local k, v = next(pair)
         if k == nil then return nil, 'empty pair initialization table' end
         self:set(k, v)
      end
   else
      for k, v in pairs(t) do self:set(k, v) end
   end
   return self
end

-- set a key (a new key goes last); a nil value removes the key
function OrderedMap:set(key, val)
   if rawget(self, key) == nil and val ~= nil then
      self._keys:append(key)
      rawset(self, key, val)
   else
      if val == nil then
         self._keys:remove_value(key)
         rawset(self, key, nil)
      else
         self[key] = val
      end
   end
   return self
end

OrderedMap.__newindex = OrderedMap.set

-- put key at position pos of the order (moving it if present)
function OrderedMap:insert(pos, key, val)
   local oldval = self[key]
   val = val or oldval
   if oldval then self._keys:remove_value(key) end
   if val then
      self._keys:insert(pos, key)
      rawset(self, key, val)
   end
   return self
end

function OrderedMap:keys()
   return self._keys
end

function OrderedMap:values()
   return List(tablex.index_by(self, self._keys))
end

function OrderedMap:sort(cmp)
   table.sort(self._keys, cmp and utils.function_arg(1, cmp) or nil)
   return self
end

-- iterate key, value in order
function OrderedMap:iter()
   local i = 0
   local keys = self._keys
   return function()
      i = i + 1
      local k = keys[i]
      if k ~= nil then return k, self[k] end
   end
end

OrderedMap.__pairs = OrderedMap.iter

function OrderedMap:__tostring()
   local res = {}
   for i, k in ipairs(self._keys) do
      local v = self[k]
      local vs = tostring(v)
      if type(v) ~= 'number' then vs = '"' .. vs .. '"' end
      res[i] = tostring(k) .. '=' .. vs
   end
   return '{' .. table.concat(res, ',') .. '}'
end

return OrderedMap
