-- Penlight's Map: a table of key/value pairs with methods (keys, values, items, get, set ...).

local utils = require 'pl.utils'
local tablex = require 'pl.tablex'
local class = require 'pl.class'
local pretty = require 'pl.pretty'

local Map = utils.stdmt.Map
class(nil, nil, Map)
Map._name = 'Map'

function Map:_init(t)
   if t then self:update(t) end
end

Map.keys = tablex.keys
Map.values = tablex.values
Map.len = tablex.size
Map.update = tablex.update

function Map:iter()
   return pairs(self)
end

-- the pairs as a List of {key, value}, sorted by key
function Map:items()
   local res = require('pl.List')()
   for k, v in pairs(self) do res:append({k, v}) end
   res:sort(function(a, b) return a[1] < b[1] end)
   return res
end

function Map:setdefault(key, default)
   local v = self[key]
   if v ~= nil then return v end
   self:set(key, default)
   return default
end

function Map:set(key, val)
   rawset(self, key, val)
end

function Map:get(key)
   return rawget(self, key)
end

function Map:getvalues(keys)
   local res = require('pl.List')()
   for _, k in ipairs(keys) do res:append(self:get(k)) end
   return res
end

function Map:__eq(m)
   return tablex.deepcompare(self, m, true)
end

function Map:__tostring()
   return pretty.write(self, '')
end

return Map
