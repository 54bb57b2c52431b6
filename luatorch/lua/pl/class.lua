-- Penlight's class: class(base), class.Name(base) (which also sets the global Name) and
-- class{...} tables. Objects are tables whose metatable is their class; `_init` is the
-- constructor, `self:super(...)` inside it runs the nearest base constructor, `_base` links the
-- chain, `is_a`, `class_of` and `cast` answer type questions, `catch` installs a handler for
-- missing keys, and class.properties gives get_x/set_x accessors.

-- run the constructor of class c on obj; `super` is available while it runs
local function construct(c, obj, ...)
   local init = rawget(c, '_init')
   local above = rawget(c, '_parent_with_init')
   if above and not init then  -- an inherited constructor
      init = rawget(above, '_init')
      above = rawget(above, '_parent_with_init')
   end
   if above then
      rawset(obj, 'super', function(o, ...) construct(above, o, ...) end)
   else
      rawset(obj, 'super', nil)
   end
   local res = init(obj, ...)
   if above then rawset(obj, 'super', nil) end
   return res
end

local function is_a(self, klass)
   if klass == nil then return getmetatable(self) end
   local m = getmetatable(self)
   while m do
      if m == klass then return true end
      m = rawget(m, '_base')
   end
   return false
end

local function class_of(klass, obj)
   if type(klass) ~= 'table' or not rawget(klass, 'is_a') then return false end
   return klass.is_a(obj, klass)
end

local function cast(klass, obj)
   return setmetatable(obj, klass)
end

-- 'Name: 0x...' for named classes, the table address otherwise
local function defaultTostring(obj)
   local mt = obj._class
   local name = rawget(mt, '_name')
   setmetatable(obj, nil)
   local s = tostring(obj)
   setmetatable(obj, mt)
   if name then s = name .. s:gsub('table', '') end
   return s
end

local function newClass(base, c_arg, c)
   local meta = {}
   local plain = type(base) == 'table' and not getmetatable(base)
   if plain then  -- class{...}: the table is the class body, its _base the parent
      c = base
      base = c._base
   else
      c = c or {}
   end
   if type(base) == 'table' then
      for k, v in pairs(base) do
         if not plain or c[k] == nil then c[k] = v end
      end
      c._base = base
      if rawget(c, '_handler') then meta.__index = c._handler end
   elseif base ~= nil then
      error('must derive from a table type', 3)
   end
   c.__index = c
   setmetatable(c, meta)
   if not plain then
      if base and rawget(base, '_init') then c._parent_with_init = base end
      c._init = nil
   end
   if base and rawget(base, '_class_init') then base._class_init(c, c_arg) end

   meta.__call = function(_, ...)
      local obj
      if rawget(c, '_create') then obj = c._create(...) end
      obj = setmetatable(obj or {}, c)
      if rawget(c, '_init') or rawget(c, '_parent_with_init') then
         local res = construct(c, obj, ...)
         if res then obj = setmetatable(res, c) end  -- a constructor may return the object
      end
      if base and rawget(base, '_post_init') then base._post_init(obj) end
      return obj
   end
   c.catch = function(self, handler)
      if type(self) == 'function' then handler = self end
      c._handler = handler
      meta.__index = handler
   end
   c.is_a = is_a
   c.class_of = class_of
   c.cast = cast
   c._class = c
   if not rawget(c, '__tostring') then c.__tostring = defaultTostring end
   return c
end

local class
class = setmetatable({}, {
   __call = function(_, ...) return newClass(...) end,
   -- class.Name(base): a class named Name, also set in the caller's environment
   __index = function(_, key)
      if key == 'class' then return class end
      local env = getfenv(2)
      return function(...)
         local c = newClass(...)
         c._name = key
         rawset(env, key, c)
         return c
      end
   end,
})

class.properties = class()

function class.properties._class_init(klass)
   klass.__index = function(t, key)
      local v = klass[key]
      if v then return v end
      local getter = rawget(klass, 'get_' .. key)
      if getter then return getter(t) end
      return rawget(t, '_' .. key)
   end
   klass.__newindex = function(t, key, value)
      local setter = klass['set_' .. key]
      if setter then
         setter(t, value)
      else
         rawset(t, key, value)
      end
   end
end

return class
