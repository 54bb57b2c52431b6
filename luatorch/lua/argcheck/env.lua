-- how argcheck tells types: istype(obj, typename) and type(obj); both are fields a user may
-- replace. With torch, a torch object matches its class name, any parent class name, or a
-- Lua pattern of them ('torch.*Tensor').
local env = {}

function env.istype(obj, typename)
   local thname = torch and torch.typename(obj)
   if thname then
      local function matches(name)
         local m = name:match(typename)
         return m ~= nil and (m ~= typename or m == name)
      end
      if matches(thname) then return true end
      local mt = torch.getmetatable(thname)
      while mt do
         if rawget(mt, '__typename') and matches(mt.__typename) then return true end
         mt = getmetatable(mt)
      end
      return false
   end
   local mt = getmetatable(obj)
   if type(mt) == 'table' and rawget(mt, '__typename') then
      return rawget(mt, '__typename') == typename
   end
   return type(obj) == typename
end

function env.type(obj)
   if torch then return torch.type(obj) end
   local mt = getmetatable(obj)
   if type(mt) == 'table' and rawget(mt, '__typename') then return rawget(mt, '__typename') end
   return type(obj)
end

return env
