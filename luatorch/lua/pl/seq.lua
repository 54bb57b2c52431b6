-- Penlight's seq: functions over iterators (map, filter, reduce, take, copy ...). A table stands
-- for the iterator over its array values. seq(iter) wraps an iterator so the functions chain as
-- methods: seq{1, 2, 3}:map('+', 1):copy() and for x in seq(t):filter(f) do ... end.

local utils = require 'pl.utils'
local types = require 'pl.types'

local seq = {}

local fnarg = utils.function_arg
local callable = types.is_callable

local function makeList(t) return setmetatable(t, require 'pl.List') end

-- the iterator over an array's values
function seq.list(t)
   local i = 0
   return function()
      i = i + 1
      return t[i]
   end
end

-- an iterator from a table (its values) or an iterator itself
local function iterOf(it)
   if type(it) == 'table' and not callable(it) then return seq.list(it) end
   if not callable(it) then error('expecting an iterator or a table', 3) end
   return it
end
seq.iter = iterOf

function seq.keys(t)
   local key
   return function()
      key = next(t, key)
      return key
   end
end

function seq.range(start, finish)
   local i = start - 1
   return function()
      i = i + 1
      if i <= finish then return i end
   end
end

function seq.greater_than(x) return function(v) return tonumber(v) > x end end
function seq.less_than(x) return function(v) return tonumber(v) < x end end
function seq.equal_to(x)
   if type(x) == 'number' then return function(v) return tonumber(v) == x end end
   return function(v) return v == x end
end
function seq.matching(s) return function(v) return v:find(s) end end

-- how many values satisfy condn(v, arg) (all of them without condn)
function seq.count(iter, condn, arg)
   local n = 0
   if condn then condn = fnarg(2, condn) end
   for v in iterOf(iter) do
      if not condn or condn(v, arg) then n = n + 1 end
   end
   return n
end

function seq.minmax(iter)
   local lo, hi = math.huge, -math.huge
   for v in iterOf(iter) do
      v = tonumber(v)
      if v < lo then lo = v end
      if v > hi then hi = v end
   end
   return lo, hi
end

-- the sum of the values (of fn(v) when given) and how many there were
function seq.sum(iter, fn)
   local s, n = 0, 0
   if fn then fn = fnarg(2, fn) end
   for v in iterOf(iter) do
      if fn then v = fn(v) end
      s, n = s + v, n + 1
   end
   return s, n
end

function seq.copy(iter)
   local res = {}
   for v in iterOf(iter) do res[#res + 1] = v end
   return makeList(res)
end

-- the first two values of each step, as pairs {v1, v2}
function seq.copy2(iter, i1, i2)
   local res = {}
   for v1, v2 in iterOf(iter), i1, i2 do res[#res + 1] = {v1, v2} end
   return res
end

function seq.copy_tuples(iter)
   iter = iterOf(iter)
   local res = {}
   while true do
      local t = {iter()}
      if t[1] == nil then break end
      res[#res + 1] = t
   end
   return makeList(res)
end

-- n random numbers: in [0, 1), or in [l, u] / [1, l] as math.random gives them
function seq.random(n, l, u)
   local i = 0
   return function()
      i = i + 1
      if i > n then return nil end
      if u then return math.random(l, u) end
      if l then return math.random(l) end
      return math.random()
   end
end

function seq.sort(iter, comp)
   local t = seq.copy(iter)
   table.sort(t, comp and fnarg(2, comp) or nil)
   return seq.list(t)
end

function seq.zip(iter1, iter2)
   iter1, iter2 = iterOf(iter1), iterOf(iter2)
   return function() return iter1(), iter2() end
end

-- value -> number of times it occurs
function seq.count_map(iter)
   local res = {}
   for v in iterOf(iter) do res[v] = (res[v] or 0) + 1 end
   return setmetatable(res, require 'pl.Map')
end

-- the distinct values, sorted (an iterator, or the List itself with returns_table)
function seq.unique(iter, returns_table)
   local seen = {}
   for v in iterOf(iter) do seen[v] = true end
   local res = {}
   for k in pairs(seen) do res[#res + 1] = k end
   table.sort(res)
   if returns_table then return makeList(res) end
   return seq.list(res)
end

-- print the values separated by sep, nfields to a line, each through fmt
function seq.printall(iter, sep, nfields, fmt)
   local write = io.write
   sep = sep or ' '
   if not nfields then
      if sep == '\n' then nfields = 1e30 else nfields = 7 end
   end
   if fmt then
      local f = fmt
      fmt = function(v) return f:format(v) end
   else
      fmt = tostring
   end
   local k = 1
   for v in iterOf(iter) do
      write(fmt(v))
      if k < nfields then
         write(sep)
         k = k + 1
      else
         write('\n')
         k = 1
      end
   end
   write('\n')
end

-- the values of iter1, then those of iter2
function seq.splice(iter1, iter2)
   iter1, iter2 = iterOf(iter1), iterOf(iter2)
   local current = iter1
   return function()
      local v = current()
      if v == nil and current == iter1 then
         current = iter2
         v = current()
      end
      return v
   end
end

function seq.map(fn, iter, arg)
   fn = fnarg(1, fn)
   iter = iterOf(iter)
   return function()
      local v1, v2 = iter()
      if v1 == nil then return nil end
      return fn(v1, arg or v2) or false
   end
end

function seq.filter(iter, pred, arg)
   pred = fnarg(2, pred)
   iter = iterOf(iter)
   return function()
      local v1, v2
      repeat
         v1, v2 = iter()
      until v1 == nil or pred(v1, arg or v2)
      return v1, v2
   end
end

function seq.reduce(fn, iter, initval)
   fn = fnarg(1, fn)
   iter = iterOf(iter)
   local acc = initval
   if acc == nil then acc = iter() end
   if acc == nil then return nil end
   for v in iter do acc = fn(acc, v) end
   return acc
end

function seq.take(iter, n)
   iter = iterOf(iter)
   local i = 0
   return function()
      i = i + 1
      if i > n then return end
      return iter()
   end
end

function seq.skip(iter, n)
   iter = iterOf(iter)
   for _ = 1, n do
      if iter() == nil then break end
   end
   return iter
end

-- index and value
function seq.enum(iter)
   iter = iterOf(iter)
   local i = 0
   return function()
      local v1, v2 = iter()
      if v1 == nil then return nil end
      i = i + 1
      return i, v1, v2
   end
end

-- v:name(arg1, arg2) for each value
function seq.mapmethod(iter, name, arg1, arg2)
   iter = iterOf(iter)
   return function()
      local v = iter()
      if v == nil then return nil end
      local method = v[name]
      if not method then error(type(v) .. ' does not have method ' .. name, 2) end
      return method(v, arg1, arg2)
   end
end

-- each value with the one before it
function seq.last(iter)
   iter = iterOf(iter)
   local prev = iter()
   if prev == nil then return function() return nil end end
   return function()
      local v = iter()
      if v == nil then return nil end
      local last = prev
      prev = v
      return v, last
   end
end

function seq.foreach(iter, fn)
   fn = fnarg(2, fn)
   for v1, v2, v3 in iterOf(iter) do fn(v1, v2, v3) end
end

-- the lines of a file (name or handle; default stdin), optionally split into fields
function seq.lines(f, ...)
   local n = select('#', ...)
   local fields = {...}
   if type(f) == 'string' then
      local handle, err = io.open(f)
      if not handle then error(err, 2) end
      f = handle
   elseif f == nil then
      f = io.stdin
   end
   local iter = f:lines()
   if n == 0 then return iter end
   return function()
      local line = iter()
      if line == nil then return nil end
      local parts = utils.split(line)
      local res = {}
      for i = 1, n do res[i] = parts[fields[i]] end
      return unpack(res, 1, n)
   end
end

-- a wrapped iterator whose methods are seq's functions (or the values' own methods)
local Sequence = {}

local function wrap(iter, ...)
   if callable(iter) then return setmetatable({iter = iter}, Sequence) end
   return iter, ...
end

local methodOrder = {
   map = function(self, fn, arg) return seq.map(fn, self, arg) end,
   reduce = function(self, fn, initval) return seq.reduce(fn, self, initval) end,
}

Sequence.__index = function(_, key)
   local fn = methodOrder[key] or seq[key]
   if fn then return function(sw, ...) return wrap(fn(sw.iter, ...)) end end
   return function(sw, ...) return wrap(seq.mapmethod(sw.iter, key, ...)) end
end

Sequence.__call = function(sw) return sw.iter() end

setmetatable(seq, {
   __call = function(_, iter, extra)
      if not callable(iter) then
         if type(iter) ~= 'table' then return iter end
         iter = seq.list(iter)
      end
      if extra then
         local inner = iter
         iter = function() return inner(extra) end
      end
      return setmetatable({iter = iter}, Sequence)
   end,
})

return seq
