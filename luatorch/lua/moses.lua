-- moses: a functional utility belt with the API of Moses 1.6 (the version of Torch's days),
-- written for luatorch. Iterating functions call f(key, value, ...) as Moses 1.x did (map, each,
-- select, reject, all, countf, groupBy ...); reduce-style functions call f(state, value).
-- `local _ = require 'moses'`; `_(t):map(f):value()` chains.
local M = {}

local unpack = table.unpack or unpack
local floor, huge, random = math.floor, math.huge, math.random

local function less(a, b) return a < b end
local function greater(a, b) return a > b end

local function countPairs(t)
   local n = 0
   for _ in pairs(t) do n = n + 1 end
   return n
end

----------------------------------------------------------------------------- type tests
function M.isTable(x) return type(x) == 'table' end
function M.isString(x) return type(x) == 'string' end
function M.isFunction(x) return type(x) == 'function' end
function M.isNumber(x) return type(x) == 'number' end
function M.isBoolean(x) return type(x) == 'boolean' end
function M.isNil(x) return x == nil end
function M.isNaN(x) return type(x) == 'number' and x ~= x end
function M.isFinite(x) return type(x) == 'number' and x > -huge and x < huge end
function M.isInteger(x) return type(x) == 'number' and floor(x) == x end

function M.isCallable(x)
   if type(x) == 'function' then return true end
   local mt = type(x) == 'table' and getmetatable(x)
   return (mt and mt.__call ~= nil) or false
end

-- a table whose keys are exactly 1..n
function M.isArray(x)
   if type(x) ~= 'table' then return false end
   local n = 0
   for _ in pairs(x) do
      n = n + 1
      if x[n] == nil then return false end
   end
   return true
end

function M.isIterable(x) return (pcall(pairs, x)) end

function M.isEmpty(x)
   if x == nil then return true end
   if type(x) == 'string' then return #x == 0 end
   if type(x) == 'table' then return next(x) == nil end
   return true
end

-- deep equality of values (tables compared key by key; useMt lets __eq decide)
function M.isEqual(a, b, useMt)
   if type(a) ~= type(b) then return false end
   if type(a) ~= 'table' then return a == b end
   local ma, mb = getmetatable(a), getmetatable(b)
   if useMt and ((ma and ma.__eq) or (mb and mb.__eq)) then
      return a == b
   end
   if countPairs(a) ~= countPairs(b) then return false end
   for k, v in pairs(a) do
      if b[k] == nil or not M.isEqual(v, b[k], useMt) then return false end
   end
   return true
end

----------------------------------------------------------------------------- tables
function M.clear(t)
   for k in pairs(t) do t[k] = nil end
   return t
end

function M.each(t, f, ...)
   for k, v in pairs(t) do f(k, v, ...) end
end

-- integer keys only, in increasing order
function M.eachi(t, f, ...)
   local keys = {}
   for k in pairs(t) do
      if M.isInteger(k) then keys[#keys + 1] = k end
   end
   table.sort(keys)
   for _, k in ipairs(keys) do f(k, t[k], ...) end
end

function M.at(t, ...)
   local out = {}
   for _, k in ipairs({...}) do
      if t[k] ~= nil then out[#out + 1] = t[k] end
   end
   return out
end

function M.count(t, value)
   if value == nil then return M.size(t) end
   local n = 0
   for _, v in pairs(t) do
      if M.isEqual(v, value) then n = n + 1 end
   end
   return n
end

function M.countf(t, f, ...)
   local n = 0
   for k, v in pairs(t) do
      if f(k, v, ...) == true then n = n + 1 end
   end
   return n
end

-- an iterator going n times (1 by default) round t's key/value pairs
function M.cycle(t, n)
   n = n or 1
   if n <= 0 then return M.noop end
   local key, firstKey
   local rounds = 0
   return function()
      key = (key ~= nil and next(t, key)) or next(t)
      if firstKey == nil then firstKey = key end
      if key == firstKey then rounds = rounds + 1 end
      if rounds > n then return end
      return key, t[key]
   end
end

-- f(k, v, ...) gives the new value, or a new key and value
function M.map(t, f, ...)
   local out = {}
   for k, v in pairs(t) do
      local a, b = f(k, v, ...)
      if b then out[a] = b else out[k] = a end
   end
   return out
end

function M.reduce(t, f, state)
   for _, v in pairs(t) do
      if state == nil then state = v else state = f(state, v) end
   end
   return state
end

function M.reduceby(t, f, state, pred, ...)
   return M.reduce(M.select(t, pred, ...), f, state)
end

function M.reduceRight(t, f, state)
   return M.reduce(M.reverse(t), f, state)
end

-- the successive states of a reduce
function M.mapReduce(t, f, state)
   local out = {}
   for k, v in pairs(t) do
      if state == nil then state = v else state = f(state, v) end
      out[k] = state
   end
   return out
end

function M.mapReduceRight(t, f, state)
   return M.mapReduce(M.reverse(t), f, state)
end

-- value, or a predicate f(v, value)
function M.include(t, value)
   local test = type(value) == 'function' and value or M.isEqual
   for _, v in pairs(t) do
      if test(v, value) then return true end
   end
   return false
end

function M.detect(t, value)
   local test = type(value) == 'function' and value or M.isEqual
   for k, v in pairs(t) do
      if test(v, value) then return k end
   end
end

local function matches(v, props)
   for k, p in pairs(props) do
      if v[k] ~= p then return false end
   end
   return true
end

function M.where(t, props)
   local out = M.select(t, function(_, v) return matches(v, props) end)
   return #out > 0 and out or nil
end

function M.findWhere(t, props)
   local k = M.detect(t, function(v) return matches(v, props) end)
   return k and t[k]
end

function M.select(t, f, ...)
   local out = {}
   for k, v in pairs(t) do
      if f(k, v, ...) then out[#out + 1] = v end
   end
   return out
end

function M.reject(t, f, ...)
   local out = {}
   for k, v in pairs(t) do
      if not f(k, v, ...) then out[#out + 1] = v end
   end
   return out
end

function M.all(t, f, ...)
   for k, v in pairs(t) do
      if not f(k, v, ...) then return false end
   end
   return true
end

-- calls method (a name, or a function) on every element
function M.invoke(t, method, ...)
   local args = {...}
   return M.map(t, function(_, v)
      if type(v) == 'table' and v[method] ~= nil then
         if M.isCallable(v[method]) then return v[method](v, unpack(args)) end
         return v[method]
      end
      if M.isCallable(method) then return method(v, unpack(args)) end
   end)
end

function M.pluck(t, key)
   local out = {}
   for _, v in pairs(t) do
      if v[key] then out[#out + 1] = v[key] end
   end
   return out
end

local function extreme(t, better, transform, ...)
   transform = transform or M.identity
   local best
   for _, v in pairs(t) do
      local x = transform(v, ...)
      if best == nil or better(x, best) then best = x end
   end
   return best
end

function M.max(t, transform, ...) return extreme(t, greater, transform, ...) end
function M.min(t, transform, ...) return extreme(t, less, transform, ...) end

function M.shuffle(t, seed)
   if seed then math.randomseed(seed) end
   local out = {}
   for i, v in pairs(t) do
      local j = floor(random() * i) + 1
      out[i] = out[j]
      out[j] = v
   end
   return out
end

function M.same(a, b)
   return M.all(a, function(_, v) return M.include(b, v) end)
      and M.all(b, function(_, v) return M.include(a, v) end)
end

function M.sort(t, comp)
   table.sort(t, comp)
   return t
end

-- transform: a function or a key name
function M.sortBy(t, transform, comp)
   local f = transform or M.identity
   if type(transform) == 'string' then
      f = function(v) return v[transform] end
   end
   comp = comp or less
   local keyed = {}
   for _, v in pairs(t) do keyed[#keyed + 1] = {v, f(v)} end
   table.sort(keyed, function(a, b) return comp(a[2], b[2]) end)
   local out = {}
   for i, kv in ipairs(keyed) do out[i] = kv[1] end
   return out
end

function M.groupBy(t, f, ...)
   local out = {}
   for k, v in pairs(t) do
      local g = f(k, v, ...)
      out[g] = out[g] or {}
      table.insert(out[g], v)
   end
   return out
end

function M.countBy(t, f, ...)
   local out = {}
   for k, v in pairs(t) do
      local g = f(k, v, ...)
      out[g] = (out[g] or 0) + 1
   end
   return out
end

-- the number of pairs of a table, or the number of arguments
function M.size(...)
   local first = ...
   if type(first) == 'table' then return countPairs(first) end
   return countPairs({...})
end

function M.containsKeys(t, other)
   for k in pairs(other) do
      if not t[k] then return false end
   end
   return true
end

function M.sameKeys(a, b)
   return M.containsKeys(a, b) and M.containsKeys(b, a)
end

----------------------------------------------------------------------------- arrays
function M.sample(array, n, seed)
   n = n or 1
   if n < 1 then return end
   if n == 1 then
      if seed then math.randomseed(seed) end
      return array[random(1, #array)]
   end
   return M.slice(M.shuffle(array, seed), 1, n)
end

function M.sampleProb(array, prob, seed)
   if seed then math.randomseed(seed) end
   return M.select(array, function() return random() < prob end)
end

function M.toArray(...) return {...} end

function M.find(array, value, from)
   for i = from or 1, #array do
      if M.isEqual(array[i], value) then return i end
   end
end

function M.reverse(array)
   local out = {}
   for i = #array, 1, -1 do out[#out + 1] = array[i] end
   return out
end

function M.fill(array, value, i, j)
   for k = i or 1, j or M.size(array) do array[k] = value end
   return array
end

function M.selectWhile(array, f, ...)
   local out = {}
   for i, v in ipairs(array) do
      if not f(i, v, ...) then break end
      out[i] = v
   end
   return out
end

function M.dropWhile(array, f, ...)
   for i, v in ipairs(array) do
      if not f(i, v, ...) then return M.rest(array, i) end
   end
   return {}
end

-- where value would go in a sorted array
function M.sortedIndex(array, value, comp, sort)
   comp = comp or less
   if sort then table.sort(array, comp) end
   for i = 1, #array do
      if not comp(array[i], value) then return i end
   end
   return #array + 1
end

function M.indexOf(array, value)
   for i = 1, #array do
      if array[i] == value then return i end
   end
end

function M.lastIndexOf(array, value)
   for i = #array, 1, -1 do
      if array[i] == value then return i end
   end
end

function M.findIndex(array, f, ...)
   for i = 1, #array do
      if f(i, array[i], ...) then return i end
   end
end

-- the predicate sees the array reversed, indices included
function M.findLastIndex(array, f, ...)
   local n = #array
   for i = 1, n do
      if f(i, array[n - i + 1], ...) then return n - i + 1 end
   end
end

function M.addTop(array, ...)
   for _, v in ipairs({...}) do table.insert(array, 1, v) end
   return array
end

function M.push(array, ...)
   for _, v in ipairs({...}) do array[#array + 1] = v end
   return array
end

-- removes and returns the first n values
function M.pop(array, n)
   local out = {}
   for i = 1, math.min(n or 1, #array) do out[i] = table.remove(array, 1) end
   return unpack(out)
end

-- removes and returns the last n values
function M.unshift(array, n)
   local out = {}
   for i = 1, math.min(n or 1, #array) do out[i] = table.remove(array) end
   return unpack(out)
end

function M.pull(array, ...)
   for _, value in ipairs({...}) do
      for i = #array, 1, -1 do
         if M.isEqual(array[i], value) then table.remove(array, i) end
      end
   end
   return array
end

-- a copy of array without the elements start..finish
function M.removeRange(array, start, finish)
   local out = M.clone(array)
   local lo, n = next(out), #out
   if n < 1 then return out end
   local function clamp(x) return math.max(lo, math.min(x, n)) end
   start, finish = clamp(start or lo), clamp(finish or n)
   for _ = start, finish do table.remove(out, start) end
   return out
end

-- runs of consecutive elements for which f gives the same value
function M.chunk(array, f, ...)
   if not M.isArray(array) then return array end
   local out, index, previous = {}, 0, nil
   for i, v in ipairs(array) do
      local key = f(i, v, ...)
      if i > 1 and key ~= previous then index = index + 1 end
      out[index] = out[index] or {}
      table.insert(out[index], v)
      previous = key
   end
   return out
end

function M.slice(array, start, finish)
   start = start or next(array)
   finish = finish or #array
   return M.select(array, function(i) return i >= start and i <= finish end)
end

function M.first(array, n)
   return M.slice(array, 1, math.min(n or 1, #array))
end

-- all but the last n (1 by default)
function M.initial(array, n)
   if n and n < 0 then return end
   return M.slice(array, 1, n and #array - math.min(n, #array) or #array - 1)
end

-- the last n (all but the first when n is missing)
function M.last(array, n)
   if n and n <= 0 then return end
   return M.slice(array, n and #array - math.min(n - 1, #array - 1) or 2, #array)
end

function M.rest(array, index)
   if index and index > #array then return {} end
   return M.slice(array, index and math.max(1, math.min(index, #array)) or 1, #array)
end

function M.nth(array, index) return array[index] end

function M.compact(array)
   return M.select(array, function(_, v) return v end)
end

function M.flatten(array, shallow)
   local out = {}
   for _, v in pairs(array) do
      if type(v) == 'table' then
         for _, x in pairs(shallow and v or M.flatten(v)) do out[#out + 1] = x end
      else
         out[#out + 1] = v
      end
   end
   return out
end

function M.difference(array, other)
   if not other then return M.clone(array) end
   return M.select(array, function(_, v) return not M.include(other, v) end)
end

function M.union(...)
   return M.unique(M.flatten({...}))
end

function M.intersection(array, ...)
   local others = {...}
   local out = {}
   for _, v in ipairs(array) do
      if M.all(others, function(_, o) return M.include(o, v) end) then out[#out + 1] = v end
   end
   return out
end

function M.symmetricDifference(a, b)
   return M.difference(M.union(a, b), M.intersection(a, b))
end

function M.unique(array)
   local out = {}
   for i = 1, #array do
      if not M.find(out, array[i]) then out[#out + 1] = array[i] end
   end
   return out
end

function M.isunique(array) return M.isEqual(array, M.unique(array)) end

function M.zip(...)
   local arrays = {...}
   local n = 0
   for _, a in pairs(arrays) do n = math.max(n, #a) end
   local out = {}
   for i = 1, n do out[i] = M.pluck(arrays, i) end
   return out
end

function M.append(array, other)
   local out = {}
   for _, v in ipairs(array) do out[#out + 1] = v end
   for _, v in ipairs(other) do out[#out + 1] = v end
   return out
end

function M.interleave(...) return M.flatten(M.zip(...)) end

function M.interpose(value, array)
   return M.flatten(M.zip(array, M.rep(value, #array - 1)))
end

-- range(stop) from 0, range(start, stop), range(start, stop, step); stop included when reached
function M.range(...)
   local n = select('#', ...)
   if n == 0 then return {} end
   local start, stop, step
   if n == 1 then
      start, stop, step = 0, ..., 1
   else
      start, stop, step = ...
      step = step or 1
   end
   if step == 0 then return {} end
   local out = {}
   local steps = math.max(floor((stop - start) / step), 0)
   if steps > 0 then
      for i = 0, steps do out[#out + 1] = start + step * i end
   end
   return out
end

function M.rep(value, n)
   local out = {}
   for i = 1, n do out[i] = value end
   return out
end

-- an iterator over consecutive pieces of n elements (the last one padded with pad if given)
function M.partition(array, n, pad)
   if n <= 0 then return end
   n = n or 1
   return coroutine.wrap(function()
      for i = 1, #array, n do
         local piece = M.slice(array, i, i + n - 1)
         while pad and #piece < n do piece[#piece + 1] = pad end
         coroutine.yield(piece)
      end
   end)
end

-- an iterator over overlapping windows of n elements, each starting where the last ended
function M.sliding(array, n, pad)
   if n <= 1 then return end
   return coroutine.wrap(function()
      for i = 1, #array - 1, n - 1 do
         local piece = M.slice(array, i, i + n - 1)
         while pad and #piece < n do piece[#piece + 1] = pad end
         coroutine.yield(piece)
      end
   end)
end

-- an iterator over all permutations (the array itself, rearranged in place between steps)
function M.permutation(array)
   local function permute(a, n)
      if n == 0 then coroutine.yield(a) end
      for i = 1, n do
         a[n], a[i] = a[i], a[n]
         permute(a, n - 1)
         a[n], a[i] = a[i], a[n]
      end
   end
   return coroutine.wrap(function() permute(array, #array) end)
end

function M.invert(array)
   local out = {}
   for k, v in pairs(array) do out[v] = k end
   return out
end

function M.concat(array, sep, i, j)
   local strings = M.map(array, function(_, v) return tostring(v) end)
   return table.concat(strings, sep, i or 1, j or #array)
end

----------------------------------------------------------------------------- functions
function M.noop() end
function M.identity(v) return v end
function M.constant(v) return function() return v end end

function M.memoize(f, hash)
   local cache = setmetatable({}, {__mode = 'kv'})
   hash = hash or M.identity
   return function(...)
      local key = hash(...)
      if cache[key] == nil then cache[key] = f(...) end
      return cache[key]
   end
end

-- f called with the arguments of the first call, every time
function M.once(f)
   return M.before(f, 1)
end

-- f called with the arguments of the count-th call once past it
function M.before(f, count)
   local calls, args = 0, {}
   return function(...)
      calls = calls + 1
      if calls <= count then args = {...} end
      return f(unpack(args))
   end
end

function M.after(f, count)
   local calls = 0
   return function(...)
      calls = calls + 1
      if calls >= count then return f(...) end
   end
end

-- compose(f, g, h)(x) is f(g(h(x)))
function M.compose(...)
   local fs = {...}
   return function(...)
      local n = #fs
      if n == 0 then return end
      local value = fs[n](...)
      for i = n - 1, 1, -1 do value = fs[i](value) end
      return value
   end
end

function M.pipe(value, ...) return M.compose(...)(value) end

function M.complement(f)
   return function(...) return not f(...) end
end

function M.juxtapose(value, ...)
   local out = {}
   for _, f in ipairs({...}) do out[#out + 1] = f(value) end
   return unpack(out)
end

function M.wrap(f, wrapper)
   return function(...) return wrapper(f, ...) end
end

function M.times(n, f, ...)
   local out = {}
   for i = 1, n do out[i] = f(i, ...) end
   return out
end

function M.bind(f, v)
   return function(...) return f(v, ...) end
end

function M.bind2(f, v)
   return function(t, ...) return f(t, v, ...) end
end

function M.bindn(f, ...)
   local bound = {...}
   return function(...) return f(unpack(M.append(bound, {...}))) end
end

function M.bindAll(obj, ...)
   for _, name in ipairs({...}) do
      if obj[name] then obj[name] = M.bind(obj[name], obj) end
   end
   return obj
end

local lastId = -1
function M.uniqueId(template, ...)
   lastId = lastId + 1
   if type(template) == 'string' then return template:format(lastId) end
   if type(template) == 'function' then return template(lastId, ...) end
   return lastId
end

function M.iterator(f, x)
   return function()
      x = f(x)
      return x
   end
end

function M.array(...)
   local out = {}
   for v in ... do out[#out + 1] = v end
   return out
end

function M.flip(f)
   return function(...) return f(unpack(M.reverse({...}))) end
end

function M.over(...)
   local fs = {...}
   return function(...)
      local out = {}
      for i, f in ipairs(fs) do out[i] = f(...) end
      return out
   end
end

function M.overEvery(...)
   local all = M.over(...)
   return function(...)
      return M.reduce(all(...), function(state, v) return state and v end)
   end
end

function M.overSome(...)
   local all = M.over(...)
   return function(...)
      return M.reduce(all(...), function(state, v) return state or v end)
   end
end

function M.overArgs(f, ...)
   local transforms = {...}
   return function(...)
      local args = {...}
      for i, t in ipairs(transforms) do
         if args[i] then args[i] = t(args[i]) end
      end
      return f(unpack(args))
   end
end

-- partial(f, a, '_', c): '_' marks places filled by the call's first arguments
function M.partial(f, ...)
   local bound = {...}
   return function(...)
      local rest = {...}
      local args = {}
      for i, v in ipairs(bound) do
         if v == '_' then args[i] = M.pop(rest) else args[i] = v end
      end
      return f(unpack(M.append(args, rest)))
   end
end

function M.partialRight(f, ...)
   local bound = {...}
   return function(...)
      local rest = {...}
      local args = {}
      for i = 1, #bound do
         if bound[i] == '_' then args[i] = M.pop(rest) else args[i] = bound[i] end
      end
      return f(unpack(M.append(rest, args)))
   end
end

-- curry(f, n)(a)(b)... calls f once n arguments were given
function M.curry(f, n)
   n = n or 2
   local args = {}
   local function step(v)
      if n == 1 then return f(v) end
      if v ~= nil then args[#args + 1] = v end
      if #args < n then return step end
      local results = {f(unpack(args))}
      args = {}
      return unpack(results)
   end
   return step
end

function M.time(f, ...)
   local start = os.clock()
   local results = {f(...)}
   return os.clock() - start, unpack(results)
end

----------------------------------------------------------------------------- objects
function M.keys(obj)
   local out = {}
   for k in pairs(obj) do out[#out + 1] = k end
   return out
end

function M.values(obj)
   local out = {}
   for _, v in pairs(obj) do out[#out + 1] = v end
   return out
end

function M.kvpairs(obj)
   local out = {}
   for k, v in pairs(obj) do out[#out + 1] = {k, v} end
   return out
end

function M.toObj(kvpairs)
   local out = {}
   for _, kv in ipairs(kvpairs) do out[kv[1]] = kv[2] end
   return out
end

function M.property(key) return function(obj) return obj[key] end end
function M.propertyOf(obj) return function(key) return obj[key] end end
function M.toBoolean(v) return not not v end

function M.extend(dest, ...)
   for _, source in ipairs({...}) do
      if type(source) == 'table' then
         for k, v in pairs(source) do dest[k] = v end
      end
   end
   return dest
end

-- sorted names of obj's functions (the library's own by default)
function M.functions(obj, recurseMt)
   obj = obj or M
   local names = {}
   for k, v in pairs(obj) do
      if type(v) == 'function' then names[#names + 1] = k end
   end
   local mt = recurseMt and getmetatable(obj)
   if mt and type(mt.__index) == 'table' then
      for _, name in ipairs(M.functions(mt.__index)) do names[#names + 1] = name end
   end
   table.sort(names)
   return names
end

function M.clone(obj, shallow)
   if type(obj) ~= 'table' then return obj end
   local out = {}
   for k, v in pairs(obj) do
      if type(v) == 'table' and not shallow then out[k] = M.clone(v) else out[k] = v end
   end
   return out
end

function M.tap(obj, f, ...)
   f(obj, ...)
   return obj
end

function M.has(obj, key) return obj[key] ~= nil end

function M.pick(obj, ...)
   local out = {}
   for _, k in pairs(M.flatten({...})) do
      if obj[k] ~= nil then out[k] = obj[k] end
   end
   return out
end

function M.omit(obj, ...)
   local dropped = M.flatten({...})
   local out = {}
   for k, v in pairs(obj) do
      if not M.include(dropped, k) then out[k] = v end
   end
   return out
end

function M.template(obj, defaults)
   for k, v in pairs(defaults or {}) do
      if not obj[k] then obj[k] = v end
   end
   return obj
end

function M.result(obj, method, ...)
   if obj[method] then
      if M.isCallable(obj[method]) then return obj[method](obj, ...) end
      return obj[method]
   end
   if M.isCallable(method) then return method(obj, ...) end
end

----------------------------------------------------------------------------- aliases
local aliases = {
   forEach = 'each', forEachi = 'eachi', loop = 'cycle', collect = 'map', inject = 'reduce',
   foldl = 'reduce', injectr = 'reduceRight', foldr = 'reduceRight', mapr = 'mapReduce',
   maprr = 'mapReduceRight', any = 'include', some = 'include', contains = 'include',
   filter = 'select', discard = 'reject', every = 'all', takeWhile = 'selectWhile',
   rejectWhile = 'dropWhile', shift = 'pop', remove = 'pull', rmRange = 'removeRange',
   chop = 'removeRange', sub = 'slice', head = 'first', take = 'first', tail = 'rest',
   skip = 'last', without = 'difference', diff = 'difference', symdiff = 'symmetricDifference',
   xor = 'symmetricDifference', uniq = 'unique', isuniq = 'isunique', transpose = 'zip',
   part = 'partition', perm = 'permutation', mirror = 'invert', join = 'concat',
   cache = 'memoize', juxt = 'juxtapose', uid = 'uniqueId', iter = 'iterator',
   methods = 'functions', choose = 'pick', drop = 'omit', defaults = 'template',
   compare = 'isEqual',
}
for alias, name in pairs(aliases) do M[alias] = M[name] end

----------------------------------------------------------------------------- chaining
-- the module is callable: _(value) wraps value; library calls on a wrapped value return wrapped
-- results until :value()
local library = {}
local Wrapped = {__index = library}

local function wrap(value)
   return setmetatable({_value = value, _wrapped = true}, Wrapped)
end

for name, f in pairs(M) do
   library[name] = function(v, ...)
      if type(v) == 'table' and v._wrapped then return wrap(f(v._value, ...)) end
      return f(v, ...)
   end
end
library.chain = wrap
function library.value(self) return self._value end

-- copies the library's functions into context (_G by default)
function library.import(context, noConflict)
   context = context or _G
   for _, name in ipairs(M.functions()) do
      if not (noConflict and rawget(context, name) ~= nil) then
         context[name] = M[name]
      end
   end
   return context
end

local moses = {
   _VERSION = 'Moses v1.6.1',
   _URL = 'http://github.com/Yonaba/Moses',
   _LICENSE = 'MIT <http://raw.githubusercontent.com/Yonaba/Moses/master/LICENSE>',
   _DESCRIPTION = 'utility-belt library for functional programming in Lua',
}
moses.chain = wrap
setmetatable(moses, {
   __call = function(_, v) return wrap(v) end,
   __index = library,
})
return moses
