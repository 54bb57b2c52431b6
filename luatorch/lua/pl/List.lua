-- Penlight's List: an array class with Python-like methods. Methods that change the list
-- return it, so calls chain: List{3, 1, 2}:sort():append(4).

local utils = require 'pl.utils'
local tablex = require 'pl.tablex'
local class = require 'pl.class'

local List = utils.stdmt.List
List.__index = List
List._class = List

local fnarg = utils.function_arg

-- the values of a table, the characters of a string, or what an iterator function yields
local function valuesOf(src)
   if type(src) == 'string' then
      local i = 0
      return function()
         i = i + 1
         if i <= #src then return src:sub(i, i) end
      end
   elseif type(src) == 'function' then
      return src
   end
   local i = 0
   return function()
      i = i + 1
      return src[i]
   end
end
List.iterate = valuesOf

class(nil, nil, List)

-- List(t) with a plain table t makes t itself the list
function List._create(src)
   if type(src) == 'table' and getmetatable(src) == nil then return src end
end

function List:_init(src)
   if self == src or src == nil then return end
   for v in valuesOf(src) do table.insert(self, v) end
end

List.new = List

function List:clone()
   local ls = List({})
   ls:extend(self)
   return ls
end

function List:append(x)
   table.insert(self, x)
   return self
end

List.push = table.insert

function List:extend(L)
   utils.assert_arg(1, L, 'table')
   for i = 1, #L do table.insert(self, L[i]) end
   return self
end

function List:insert(i, x)
   utils.assert_arg(1, i, 'number')
   table.insert(self, i, x)
   return self
end

function List:put(x)
   return self:insert(1, x)
end

function List:remove(i)
   utils.assert_arg(1, i, 'number')
   table.remove(self, i)
   return self
end

function List:remove_value(x)
   for i = 1, #self do
      if self[i] == x then
         table.remove(self, i)
         return self
      end
   end
   return self
end

function List:pop(i)
   i = i or #self
   if i < 0 then i = #self + i + 1 end
   return table.remove(self, i)
end

List.get = List.pop
List.index = tablex.find

function List:contains(x)
   return tablex.find(self, x) ~= nil
end

function List:count(x)
   local n = 0
   for i = 1, #self do
      if self[i] == x then n = n + 1 end
   end
   return n
end

function List:sort(cmp)
   if cmp then cmp = fnarg(1, cmp) end
   table.sort(self, cmp)
   return self
end

function List:sorted(cmp)
   return List(tablex.copy(self)):sort(cmp)
end

function List:reverse()
   local n = #self
   for i = 1, math.floor(n / 2) do
      self[i], self[n - i + 1] = self[n - i + 1], self[i]
   end
   return self
end

function List:minmax()
   local lo, hi = math.huge, -math.huge
   for i = 1, #self do
      local v = self[i]
      if v < lo then lo = v end
      if v > hi then hi = v end
   end
   return lo, hi
end

function List:slice(first, last)
   return tablex.sub(self, first, last)
end

function List:clear()
   for i = #self, 1, -1 do self[i] = nil end
   return self
end

-- List.range(n) is 1..n; List.range(a, b [, step]) is a..b
function List.range(start, finish, incr)
   if not finish then
      finish, start = start, 1
   end
   return tablex.range(start, finish, incr)
end

function List:len()
   return #self
end

function List:chop(i1, i2)
   return tablex.removevalues(self, i1, i2)
end

function List:splice(idx, list)
   utils.assert_arg(1, idx, 'number')
   tablex.insertvalues(self, idx, list)
   return self
end

function List:slice_assign(i1, i2, seq)
   utils.assert_arg(1, i1, 'number')
   utils.assert_arg(2, i2, 'number')
   i1, i2 = tablex._normalize_slice(self, i1, i2)
   if i2 >= i1 then self:chop(i1, i2) end
   self:splice(i1, seq)
   return self
end

function List:__concat(L)
   local ls = self:clone()
   ls:extend(L)
   return ls
end

function List:__eq(L)
   if #self ~= #L then return false end
   for i = 1, #self do
      if self[i] ~= L[i] then return false end
   end
   return true
end

function List:join(delim)
   delim = delim or ''
   return table.concat(utils.array_tostring(self), delim)
end

List.concat = table.concat

function List:__tostring()
   return '{' .. self:join(',') .. '}'
end

function List:foreach(fun, ...)
   fun = fnarg(1, fun)
   for i = 1, #self do fun(self[i], ...) end
end

function List:foreachm(name, ...)
   for i = 1, #self do
      local obj = self[i]
      obj[name](obj, ...)
   end
end

function List:filter(fun, arg)
   return tablex.filter(self, fun, arg)
end

function List.split(s, delim)
   utils.assert_string(1, s)
   return List(utils.split(s, delim))
end

function List:map(fun, ...)
   return tablex.imap(fun, self, ...)
end

function List:transform(fun, ...)
   fun = fnarg(1, fun)
   for i = 1, #self do self[i] = fun(self[i], ...) end
   return self
end

function List:mapm(name, ...)
   return tablex.map_named_method(name, self, ...)
end

function List:reduce(fun, memo)
   return tablex.reduce(fun, self, memo)
end

-- a table of Lists keyed by fun(v, ...)
function List:partition(fun, ...)
   fun = fnarg(1, fun)
   local res = {}
   for i = 1, #self do
      local v = self[i]
      local k = fun(v, ...)
      if k == nil then k = '<nil>' end
      if not res[k] then res[k] = List() end
      res[k]:append(v)
   end
   return res
end

function List:iter()
   return valuesOf(self)
end

return List
