-- Penlight's tablex: operations on tables seen as maps (pairs) or arrays (1..#t).
-- Results that are arrays are pl.List objects unless the input table has a metatable of its
-- own, which the result then shares (as Penlight does).

local utils = require 'pl.utils'

local tablex = {}

local function fnarg(idx, f) return utils.function_arg(idx, f) end

local function asList(t)
   return setmetatable(t, require 'pl.List')
end

-- the result takes t's metatable, or the named pl class when t has none
local function likeInput(res, t, plClass)
   local mt = getmetatable(t) or (plClass and require('pl.' .. plClass))
   if mt then return setmetatable(res, mt) end
   return res
end

local function assertTable(n, t)
   if type(t) ~= 'table' then
      utils.assert_arg(n, t, 'table', nil, nil, 4)
   end
end

function tablex.update(t1, t2)
   for k, v in pairs(t2) do t1[k] = v end
   return t1
end

function tablex.size(t)
   local n = 0
   for _ in pairs(t) do n = n + 1 end
   return n
end

function tablex.copy(t)
   local res = {}
   for k, v in pairs(t) do res[k] = v end
   return res
end

local function deepcopy(t, seen)
   if type(t) ~= 'table' then return t end
   if seen[t] then return seen[t] end
   local res = {}
   seen[t] = res
   for k, v in pairs(t) do res[deepcopy(k, seen)] = deepcopy(v, seen) end
   local mt = getmetatable(t)
   if mt then setmetatable(res, mt) end
   return res
end

function tablex.deepcopy(t)
   return deepcopy(t, {})
end

local function deepcompare(t1, t2, ignore_mt, eps)
   local ty = type(t1)
   if ty ~= type(t2) then return false end
   if ty ~= 'table' then
      if ty == 'number' and eps then return math.abs(t1 - t2) <= eps end
      return t1 == t2
   end
   local mt = getmetatable(t1)
   if not ignore_mt and mt and mt.__eq then return t1 == t2 end
   for k in pairs(t1) do
      if t2[k] == nil then return false end
   end
   for k in pairs(t2) do
      if t1[k] == nil then return false end
   end
   for k, v in pairs(t1) do
      if not deepcompare(v, t2[k], ignore_mt, eps) then return false end
   end
   return true
end

-- t1 and t2 equal all the way down (numbers within eps if given)
tablex.deepcompare = deepcompare

-- two arrays of the same length, equal element by element under cmp
function tablex.compare(t1, t2, cmp)
   if #t1 ~= #t2 then return false end
   cmp = fnarg(3, cmp)
   for i = 1, #t1 do
      if not cmp(t1[i], t2[i]) then return false end
   end
   return true
end

-- two arrays holding the same elements in any order
function tablex.compare_no_order(t1, t2, cmp)
   if cmp then cmp = fnarg(3, cmp) end
   if #t1 ~= #t2 then return false end
   local used = {}
   for i = 1, #t1 do
      local found = false
      for j = 1, #t2 do
         if not used[j] then
            local same
            if cmp then same = cmp(t1[i], t2[j]) else same = t1[i] == t2[j] end
            if same then
               used[j] = true
               found = true
               break
            end
         end
      end
      if not found then return false end
   end
   return true
end

-- index of val in the array t from idx on (negative idx counts from the end)
function tablex.find(t, val, idx)
   idx = idx or 1
   if idx < 0 then idx = #t + idx + 1 end
   for i = idx, #t do
      if t[i] == val then return i end
   end
   return nil
end

-- index of val in t searching backwards from idx (default: the end)
function tablex.rfind(t, val, idx)
   idx = idx or #t
   if idx < 0 then idx = #t + idx + 1 end
   for i = idx, 1, -1 do
      if t[i] == val then return i end
   end
   return nil
end

-- first key whose value satisfies cmp(v, arg); returns the key and cmp's answer
function tablex.find_if(t, cmp, arg)
   cmp = fnarg(2, cmp)
   for k, v in pairs(t) do
      local c = cmp(v, arg)
      if c then return k, c end
   end
   return nil
end

function tablex.index_by(tbl, idx)
   local res = {}
   for i = 1, #idx do res[i] = tbl[idx[i]] end
   return likeInput(res, tbl, 'List')
end

function tablex.map(fun, t, ...)
   assertTable(2, t)
   fun = fnarg(1, fun)
   local res = {}
   for k, v in pairs(t) do res[k] = fun(v, ...) end
   return likeInput(res, t)
end

function tablex.imap(fun, t, ...)
   assertTable(2, t)
   fun = fnarg(1, fun)
   local res = {}
   for i = 1, #t do res[i] = fun(t[i], ...) or false end
   return likeInput(res, t, 'List')
end

function tablex.map_named_method(name, t, ...)
   utils.assert_string(1, name)
   local res = {}
   for i = 1, #t do
      local obj = t[i]
      res[i] = obj[name](obj, ...)
   end
   return likeInput(res, t, 'List')
end

-- map in place
function tablex.transform(fun, t, ...)
   fun = fnarg(1, fun)
   for k, v in pairs(t) do t[k] = fun(v, ...) end
end

-- the numbers start, start+step, ... up to finish (step 1 by default), as a List
function tablex.range(start, finish, step)
   local res = {}
   step = step or 1
   if start == finish then
      res[1] = start
   else
      if (finish - start) * step >= 0 then
         local n = math.floor((finish - start) / step + 1e-9)
         for i = 0, n do res[i + 1] = start + i * step end
      end
   end
   return asList(res)
end

-- fold left: fun(fun(t[1], t[2]), t[3]) ... (memo first, when given)
function tablex.reduce(fun, t, memo)
   fun = fnarg(1, fun)
   local n = #t
   if n == 0 then return memo end
   local res, first = memo, 1
   if res == nil then
      res, first = t[1], 2
   end
   for i = first, n do res = fun(res, t[i]) end
   return res
end

function tablex.foreach(t, fun, ...)
   fun = fnarg(2, fun)
   for k, v in pairs(t) do fun(v, k, ...) end
end

function tablex.foreachi(t, fun, ...)
   fun = fnarg(2, fun)
   for i = 1, #t do fun(t[i], i, ...) end
end

-- fun(t1[i], t2[i], ...) for i up to the shortest array
function tablex.mapn(fun, ...)
   fun = fnarg(1, fun)
   local lists = {...}
   local n = math.huge
   for _, l in ipairs(lists) do n = math.min(n, #l) end
   if #lists == 0 then n = 0 end
   local res = {}
   for i = 1, n do
      local args = {}
      for j, l in ipairs(lists) do args[j] = l[i] end
      res[i] = fun(unpack(args, 1, #lists))
   end
   return asList(res)
end

-- fun(k, v, ...) returns a value and optionally a key; values under one key collect into a list
function tablex.pairmap(fun, t, ...)
   fun = fnarg(1, fun)
   local res = {}
   for k, v in pairs(t) do
      local rv, rk = fun(k, v, ...)
      if rk then
         local old = res[rk]
         if old == nil then
            res[rk] = rv
         elseif type(old) == 'table' then
            old[#old + 1] = rv
         else
            res[rk] = {old, rv}
         end
      else
         res[#res + 1] = rv
      end
   end
   return res
end

function tablex.keys(t)
   assertTable(1, t)
   local res = {}
   for k in pairs(t) do res[#res + 1] = k end
   return asList(res)
end

function tablex.values(t)
   assertTable(1, t)
   local res = {}
   for _, v in pairs(t) do res[#res + 1] = v end
   return asList(res)
end

-- value -> index of an array
function tablex.index_map(t)
   local res = {}
   for i, v in ipairs(t) do res[v] = i end
   return res
end

-- value -> true of an array
function tablex.makeset(t)
   local res = {}
   for _, v in ipairs(t) do res[v] = true end
   return res
end

-- keys of both tables (dup true) or of both at once (dup false); t2's values win on union
function tablex.merge(t1, t2, dup)
   local res = {}
   for k, v in pairs(t1) do
      if dup or t2[k] ~= nil then res[k] = v end
   end
   if dup then
      for k, v in pairs(t2) do res[k] = v end
   end
   return likeInput(res, t1)
end

function tablex.union(t1, t2) return tablex.merge(t1, t2, true) end
function tablex.intersection(t1, t2) return tablex.merge(t1, t2, false) end

-- keys of s1 missing from s2 (and, with symm, the other way round too)
function tablex.difference(s1, s2, symm)
   local res = {}
   for k, v in pairs(s1) do
      if s2[k] == nil then res[k] = v end
   end
   if symm then
      for k, v in pairs(s2) do
         if s1[k] == nil then res[k] = v end
      end
   end
   return likeInput(res, s1)
end

-- value -> how many times it occurs in the array (values equal under cmp count together)
function tablex.count_map(t, cmp)
   if cmp then cmp = fnarg(2, cmp) end
   local res, seen = {}, {}
   for i = 1, #t do
      local v = t[i]
      if not seen[i] then
         local n = 1
         for j = i + 1, #t do
            local same
            if cmp then same = cmp(v, t[j]) else same = v == t[j] end
            if same then
               seen[j] = true
               n = n + 1
            end
         end
         res[v] = n
      end
   end
   return res
end

function tablex.filter(t, pred, arg)
   pred = fnarg(2, pred)
   local res = {}
   for i = 1, #t do
      local v = t[i]
      if pred(v, arg) then res[#res + 1] = v end
   end
   return likeInput(res, t, 'List')
end

function tablex.zip(...)
   return tablex.mapn(function(...) return {...} end, ...)
end

-- copy nsrc elements of src from isrc into dest at idest; icopy also cuts dest after them
local function copyRange(dest, src, idest, isrc, nsrc, cutTail)
   idest, isrc = idest or 1, isrc or 1
   if idest < 0 then idest = #dest + idest + 1 end
   if isrc < 0 then isrc = #src + isrc + 1 end
   nsrc = nsrc or (#src - isrc + 1)
   for i = 0, nsrc - 1 do dest[idest + i] = src[isrc + i] end
   if cutTail then
      for i = #dest, idest + nsrc, -1 do dest[i] = nil end
   end
   return dest
end

function tablex.icopy(dest, src, idest, isrc, nsrc)
   return copyRange(dest, src, idest, isrc, nsrc, true)
end

function tablex.move(dest, src, idest, isrc, nsrc)
   return copyRange(dest, src, idest, isrc, nsrc, false)
end

-- first and last of a slice with negative indices counted from the end
function tablex._normalize_slice(self, first, last)
   local n = #self
   first = first or 1
   if first < 0 then first = n + first + 1 end
   last = last or n
   if last < 0 then last = n + 1 + last end
   return first, last
end

function tablex.sub(t, first, last)
   first, last = tablex._normalize_slice(t, first, last)
   local res = {}
   for i = first, last do res[#res + 1] = t[i] end
   return likeInput(res, t, 'List')
end

-- t[i1..i2] = val (or val(i) when val is callable)
function tablex.set(t, val, i1, i2)
   i1, i2 = i1 or 1, i2 or #t
   local call = type(val) == 'function' or
      (type(val) == 'table' and getmetatable(val) and getmetatable(val).__call)
   for i = i1, i2 do
      if call then t[i] = val(i) else t[i] = val end
   end
end

function tablex.new(n, val)
   local res = {}
   tablex.set(res, val, 1, n)
   return res
end

function tablex.clear(t, istart)
   istart = istart or 1
   for i = #t, istart, -1 do t[i] = nil end
end

-- insertvalues(t, [pos,] values): the array values inserted at pos (default: the end)
function tablex.insertvalues(t, ...)
   local pos, values
   if select('#', ...) == 1 then
      pos, values = #t + 1, ...
   else
      pos, values = ...
   end
   local n = #values
   if n == 0 then return t end
   for i = #t, pos, -1 do t[i + n] = t[i] end
   for i = 1, n do t[pos + i - 1] = values[i] end
   return t
end

function tablex.removevalues(t, i1, i2)
   i1, i2 = tablex._normalize_slice(t, i1, i2)
   for _ = i1, i2 do table.remove(t, i1) end
   return t
end

-- where value lives inside t (default _G), as a dotted path; exclude lists tables to skip
function tablex.search(t, value, exclude)
   local seen = {[t] = true}
   for _, e in ipairs(exclude or {}) do seen[e] = true end
   local queue = {{t, nil}}
   while #queue > 0 do
      local nextQueue = {}
      for _, item in ipairs(queue) do
         local tbl, prefix = item[1], item[2]
         for k, v in pairs(tbl) do
            if type(k) == 'string' then
               local name = prefix and (prefix .. '.' .. k) or k
               if v == value then return name end
               if type(v) == 'table' and not seen[v] then
                  seen[v] = true
                  nextQueue[#nextQueue + 1] = {v, name}
               end
            end
         end
      end
      queue = nextQueue
   end
   return nil
end

-- iterate k, v in the order of the sorted keys
function tablex.sort(t, f)
   local keys = {}
   for k in pairs(t) do keys[#keys + 1] = k end
   table.sort(keys, f and fnarg(2, f) or nil)
   local i = 0
   return function()
      i = i + 1
      local k = keys[i]
      if k ~= nil then return k, t[k] end
   end
end

-- iterate k, v in the order of the sorted values
function tablex.sortv(t, f)
   f = fnarg(2, f or '<')
   local keys = {}
   for k in pairs(t) do keys[#keys + 1] = k end
   table.sort(keys, function(a, b) return f(t[a], t[b]) end)
   local i = 0
   return function()
      i = i + 1
      local k = keys[i]
      if k ~= nil then return k, t[k] end
   end
end

-- a read-only view of t
function tablex.readonly(t)
   local mt = {
      __index = t,
      __newindex = function() error('Attempt to modify read-only table', 2) end,
      __pairs = function() return pairs(t) end,
      __ipairs = function() return ipairs(t) end,
      __len = function() return #t end,
      __metatable = false,
   }
   return setmetatable({}, mt)
end

return tablex
