-- Penlight's types: questions about values (callable, integer, empty, indexable ...).

local utils = require 'pl.utils'

local types = {}

function types.is_callable(obj)
   if type(obj) == 'function' then return true end
   local mt = getmetatable(obj)
   return type(mt) == 'table' and mt.__call ~= nil or false
end

types.is_type = utils.is_type

-- the class name for Penlight objects (tables whose metatable has _name), else type()
function types.type(obj)
   local t = type(obj)
   if t == 'table' or t == 'userdata' then
      local mt = getmetatable(obj)
      if type(mt) == 'table' and mt._name then return mt._name end
      if t == 'userdata' and torch and torch.typename(obj) then return torch.typename(obj) end
   end
   return t
end

function types.is_integer(x)
   return type(x) == 'number' and math.floor(x) == x
end

function types.is_empty(o, ignore_spaces)
   if o == nil then return true end
   if type(o) == 'table' then return next(o) == nil end
   if type(o) == 'string' then
      return o == '' or (ignore_spaces and o:find('^%s+$') ~= nil) or false
   end
   return true
end

local function hasAll(obj, ...)
   local mt = getmetatable(obj)
   if type(mt) ~= 'table' then return false end
   for i = 1, select('#', ...) do
      if mt[select(i, ...)] == nil then return false end
   end
   return true
end

function types.is_indexable(obj)
   return type(obj) == 'table' or hasAll(obj, '__len', '__index')
end

function types.is_iterable(obj)
   return type(obj) == 'table' or hasAll(obj, '__pairs')
end

function types.is_writeable(obj)
   return type(obj) == 'table' or hasAll(obj, '__newindex')
end

local trueStrings = {yes = true, y = true, ['true'] = true, t = true, ['1'] = true}

-- a value as a boolean: 'yes', 'true', 'y', 't', '1', non-zero numbers, non-empty tables
function types.to_bool(o, true_strs, check_objs)
   local t = type(o)
   if o == nil or o == false then return false end
   if t == 'boolean' then return o end
   if t == 'number' then return o ~= 0 end
   if t == 'string' then
      local s = o:lower()
      if trueStrings[s] then return true end
      for _, v in ipairs(true_strs or {}) do
         if type(v) == 'string' and v:lower() == s then return true end
      end
      return false
   end
   if check_objs then
      if t == 'table' then return next(o) ~= nil end
      return true
   end
   error('unable to convert ' .. t .. ' to boolean', 2)
end

return types
