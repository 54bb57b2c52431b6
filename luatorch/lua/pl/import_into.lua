-- pl.import_into(env): Penlight's modules become fields of env on first use (env[name] loads
-- pl.<name>); `utils` is set at once. Only the modules luatorch ships are known.

local modules = {
   utils = true, path = true, dir = true, tablex = true, stringx = true, text = true,
   pretty = true, seq = true, file = true, class = true, types = true, compat = true,
   List = true, Map = true, OrderedMap = true, lapp = true,
}

local function installInto(env)
   env = env or {}
   rawset(env, 'utils', require 'pl.utils')
   local oldmt = getmetatable(env)
   local previousIndex = oldmt and oldmt.__index
   local mt = {}
   if oldmt and oldmt.__newindex then mt.__newindex = oldmt.__newindex end
   local hook
   function mt.hook(handler) hook = handler end
   function mt.__index(t, name)
      if modules[name] then
         rawset(env, name, require('pl.' .. name))
         return rawget(env, name)
      end
      if hook then
         local res = hook(t, name)
         if res then return res end
      end
      if type(previousIndex) == 'function' then return previousIndex(t, name) end
      if type(previousIndex) == 'table' then return previousIndex[name] end
   end
   setmetatable(env, mt)
   return env
end

return installInto
