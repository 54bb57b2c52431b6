-- cjson: lua-cjson 2.1.0's API (encode, decode, cjson.null, the encode_*/decode_* options,
-- cjson.new, cjson.safe) in Lua, with its output and error messages: numbers written with %.14g,
-- '/' escaped, arrays detected from integer keys (sparse ones refused), strtod-style numbers
-- (NaN, Infinity, hex) accepted when decoding.

local type, pairs, tostring, tonumber, error, select, pcall = type, pairs, tostring, tonumber,
   error, select, pcall
local floor, huge = math.floor, math.huge
local byte, char, sub, format, find = string.byte, string.char, string.sub, string.format,
   string.find
local concat = table.concat

-- one value for JSON null, shared by every cjson module (cjson.new(), cjson.safe)
local null = rawget(_G, '__luatorch_cjson_null')
if null == nil then
   null = newproxy(true)
   getmetatable(null).__tostring = function() return 'userdata: NULL' end
   rawset(_G, '__luatorch_cjson_null', null)
end

local function argerror(msg)
   error("bad argument #1 to '?' (" .. msg .. ')', 0)
end

---------------------------------------------------------------------------------------------
-- encoding
---------------------------------------------------------------------------------------------
local escapes = {['"'] = '\\"', ['\\'] = '\\\\', ['/'] = '\\/', ['\b'] = '\\b',
   ['\f'] = '\\f', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t', ['\127'] = '\\u007f'}
for i = 0, 31 do
   local c = char(i)
   if not escapes[c] then escapes[c] = format('\\u%04x', i) end
end

local function quote(s)
   return '"' .. s:gsub('[%c"\\/]', escapes) .. '"'
end

local function newModule(safe)
   local cfg = {
      sparseConvert = false, sparseRatio = 2, sparseSafe = 10,
      encodeMaxDepth = 1000, decodeMaxDepth = 1000,
      precision = 14, keepBuffer = true,
      encodeInvalid = false, decodeInvalid = true,
   }
   local numfmt = '%.14g'

   local function number(x)
      if x ~= x or x == huge or x == -huge then
         local inv = cfg.encodeInvalid
         if inv == false then error('Cannot serialise number: must not be NaN or Inf', 0) end
         if inv == 'null' then return 'null' end
         if x ~= x then return 'nan' end
         return x > 0 and 'inf' or '-inf'
      end
      return format(numfmt, x)
   end

   -- the length of t as an array, or -1 when it is an object
   local function arrayLength(t)
      local max, items = 0, 0
      for k in pairs(t) do
         if type(k) == 'number' and k >= 1 and floor(k) == k then
            if k > max then max = k end
            items = items + 1
         else
            return -1
         end
      end
      if cfg.sparseRatio > 0 and max > items * cfg.sparseRatio and max > cfg.sparseSafe then
         if not cfg.sparseConvert then
            error('Cannot serialise table: excessively sparse array', 0)
         end
         return -1
      end
      return max
   end

   local encodeValue

   local function encodeTable(t, depth, out)
      depth = depth + 1
      if depth > cfg.encodeMaxDepth then
         error(format('Cannot serialise, excessive nesting (%d)', depth), 0)
      end
      local n = arrayLength(t)
      if n > 0 then
         out[#out + 1] = '['
         for i = 1, n do
            if i > 1 then out[#out + 1] = ',' end
            encodeValue(t[i], depth, out)
         end
         out[#out + 1] = ']'
      else
         out[#out + 1] = '{'
         local first = true
         for k, v in pairs(t) do
            if not first then out[#out + 1] = ',' end
            first = false
            local tk = type(k)
            if tk == 'string' then
               out[#out + 1] = quote(k)
            elseif tk == 'number' then
               out[#out + 1] = '"' .. number(k) .. '"'
            else
               error(format('Cannot serialise %s: table key must be a number or string', tk), 0)
            end
            out[#out + 1] = ':'
            encodeValue(v, depth, out)
         end
         out[#out + 1] = '}'
      end
   end

   encodeValue = function(v, depth, out)
      local tv = type(v)
      if tv == 'string' then
         out[#out + 1] = quote(v)
      elseif tv == 'number' then
         out[#out + 1] = number(v)
      elseif tv == 'boolean' then
         out[#out + 1] = v and 'true' or 'false'
      elseif tv == 'nil' or v == null then
         out[#out + 1] = 'null'
      elseif tv == 'table' then
         encodeTable(v, depth, out)
      else
         error(format('Cannot serialise %s: type not supported', tv), 0)
      end
   end

   local function encode(...)
      if select('#', ...) ~= 1 then argerror('expected 1 argument') end
      local out = {}
      encodeValue((...), 0, out)
      return concat(out)
   end

   ------------------------------------------------------------------------------------------
   -- decoding: tokens as lua-cjson names them in its errors
   ------------------------------------------------------------------------------------------
   local function fail(expected, found, pos)
      error(format('Expected %s but found %s at character %d', expected, found, pos), 0)
   end

   -- strtod's longest number at position i: the value and the position after it, or nil
   local function strtod(s, i)
      local sign, j = 1, i
      local c = sub(s, j, j)
      if c == '+' or c == '-' then
         if c == '-' then sign = -1 end
         j = j + 1
      end
      local rest = sub(s, j, j + 7):lower()
      if rest == 'infinity' then return sign * huge, j + 8 end
      if sub(rest, 1, 3) == 'inf' then return sign * huge, j + 3 end
      if sub(rest, 1, 3) == 'nan' then return 0 / 0, j + 3 end
      local hex = s:match('^0[xX]%x+', j)
      if hex then return sign * tonumber(hex), j + #hex end
      local m = s:match('^%d+%.?%d*', j) or s:match('^%.%d+', j)
      if not m then return nil end
      local e = s:match('^[eE][+-]?%d+', j + #m)
      if e then m = m .. e end
      return sign * tonumber(m), j + #m
   end

   -- numbers JSON does not allow, which strtod reads: a leading '+', leading zeros, hex, inf, nan
   local function invalidNumber(s, i)
      local c = sub(s, i, i)
      if c == '+' then return true end
      if c == '-' then i = i + 1; c = sub(s, i, i) end
      if c == '0' then
         local c2 = sub(s, i + 1, i + 1)
         return c2 == 'x' or c2 == 'X' or c2:match('%d') ~= nil
      end
      if c ~= '' and c <= '9' then return false end
      local w = sub(s, i, i + 2):lower()
      return w == 'inf' or w == 'nan'
   end

   local function hex4(s, i)
      local h = sub(s, i, i + 3)
      if not h:match('^%x%x%x%x$') then return nil end
      return tonumber(h, 16)
   end

   local function utf8(cp)
      if cp < 0x80 then return char(cp) end
      if cp < 0x800 then return char(0xC0 + floor(cp / 64), 0x80 + cp % 64) end
      if cp < 0x10000 then
         return char(0xE0 + floor(cp / 4096), 0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
      end
      return char(0xF0 + floor(cp / 262144), 0x80 + floor(cp / 4096) % 64,
         0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
   end

   local unescape = {['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n',
      r = '\r', t = '\t'}

   -- a string token starting at the quote at i: the string and the position after it,
   -- or nil, message, error position
   local function readString(s, i)
      local parts = {}
      local j = i + 1
      while true do
         local k = find(s, '["\\]', j)
         if not k then return nil, 'unexpected end of string', #s + 1 end
         parts[#parts + 1] = sub(s, j, k - 1)
         if sub(s, k, k) == '"' then return concat(parts), k + 1 end
         local e = sub(s, k + 1, k + 1)
         if e == 'u' then
            local cp = hex4(s, k + 2)
            local nexti = k + 6
            if cp and cp >= 0xD800 and cp <= 0xDBFF then
               local lo = sub(s, k + 6, k + 7) == '\\u' and hex4(s, k + 8)
               if lo and lo >= 0xDC00 and lo <= 0xDFFF then
                  cp = 0x10000 + (cp - 0xD800) * 1024 + (lo - 0xDC00)
                  nexti = k + 12
               else
                  cp = nil
               end
            elseif cp and cp >= 0xDC00 and cp <= 0xDFFF then
               cp = nil
            end
            if not cp then return nil, 'invalid unicode escape code', k end
            parts[#parts + 1] = utf8(cp)
            j = nexti
         elseif unescape[e] then
            parts[#parts + 1] = unescape[e]
            j = k + 2
         elseif e == '' then
            return nil, 'unexpected end of string', #s + 1
         else
            return nil, 'invalid escape code', k
         end
      end
   end

   -- the next token at or after i: kind, value, start position, position after it
   local simple = {['{'] = 'T_OBJ_BEGIN', ['}'] = 'T_OBJ_END', ['['] = 'T_ARR_BEGIN',
      [']'] = 'T_ARR_END', [':'] = 'T_COLON', [','] = 'T_COMMA'}
   local function token(s, i)
      i = find(s, '[^ \t\n\r]', i) or #s + 1
      local c = sub(s, i, i)
      if c == '' then return 'T_END', nil, i, i end
      local kind = simple[c]
      if kind then return kind, nil, i, i + 1 end
      if c == '"' then
         local v, after, epos = readString(s, i)
         if v == nil then return 'error', after, epos, epos end
         return 'T_STRING', v, i, after
      end
      if c == '-' or c:match('%d') then
         if not cfg.decodeInvalid and invalidNumber(s, i) then
            return 'error', 'invalid number', i, i
         end
         local v, after = strtod(s, i)
         if v == nil then return 'error', 'invalid number', i, i end
         return 'T_NUMBER', v, i, after
      end
      if sub(s, i, i + 3) == 'true' then return 'T_BOOLEAN', true, i, i + 4 end
      if sub(s, i, i + 4) == 'false' then return 'T_BOOLEAN', false, i, i + 5 end
      if sub(s, i, i + 3) == 'null' then return 'T_NULL', null, i, i + 4 end
      if cfg.decodeInvalid and invalidNumber(s, i) then
         local v, after = strtod(s, i)
         if v == nil then return 'error', 'invalid number', i, i end
         return 'T_NUMBER', v, i, after
      end
      return 'error', 'invalid token', i, i
   end

   local function found(kind, v)
      return kind == 'error' and v or kind
   end

   local parseValue

   local function parseContainer(s, kind, start, after, depth)
      depth = depth + 1
      if depth > cfg.decodeMaxDepth then
         error(format('Found too many nested data structures (%d) at character %d', depth,
            start), 0)
      end
      local t = {}
      local pos = after
      if kind == 'T_ARR_BEGIN' then
         local k, v, st, af = token(s, pos)
         if k == 'T_ARR_END' then return t, af end
         local n = 0
         while true do
            local value
            value, pos = parseValue(s, k, v, st, af, depth)
            n = n + 1
            t[n] = value
            k, v, st, af = token(s, pos)
            if k == 'T_ARR_END' then return t, af end
            if k ~= 'T_COMMA' then fail('comma or array end', found(k, v), st) end
            k, v, st, af = token(s, af)
         end
      end
      local k, v, st, af = token(s, pos)
      if k == 'T_OBJ_END' then return t, af end
      while true do
         if k ~= 'T_STRING' then fail('object key string', found(k, v), st) end
         local key = v
         k, v, st, af = token(s, af)
         if k ~= 'T_COLON' then fail('colon', found(k, v), st) end
         k, v, st, af = token(s, af)
         local value
         value, pos = parseValue(s, k, v, st, af, depth)
         t[key] = value
         k, v, st, af = token(s, pos)
         if k == 'T_OBJ_END' then return t, af end
         if k ~= 'T_COMMA' then fail('comma or object end', found(k, v), st) end
         k, v, st, af = token(s, af)
      end
   end

   parseValue = function(s, kind, v, start, after, depth)
      if kind == 'T_STRING' or kind == 'T_NUMBER' or kind == 'T_BOOLEAN' or kind == 'T_NULL' then
         return v, after
      end
      if kind == 'T_OBJ_BEGIN' or kind == 'T_ARR_BEGIN' then
         return parseContainer(s, kind, start, after, depth)
      end
      fail('value', found(kind, v), start)
   end

   local function decode(...)
      if select('#', ...) ~= 1 then argerror('expected 1 argument') end
      local s = ...
      if type(s) == 'number' then s = tostring(s) end
      if type(s) ~= 'string' then
         argerror('string expected, got ' .. (s == nil and 'no value' or type(s)))
      end
      local kind, v, start, after = token(s, 1)
      local value, pos = parseValue(s, kind, v, start, after, 0)
      kind, v, start = token(s, pos)
      if kind ~= 'T_END' then fail('the end', found(kind, v), start) end
      return value
   end

   ------------------------------------------------------------------------------------------
   -- options: each returns its current setting(s)
   ------------------------------------------------------------------------------------------
   local function boolOption(v, allowNull)
      if v == nil then return nil end
      if v == true or v == false then return v end
      if allowNull and v == 'null' then return v end
      if v == 'on' then return true end
      if v == 'off' then return false end
      argerror(format("invalid option '%s'", tostring(v)))
   end

   local function intOption(v, lo, hi, argn)
      if v == nil then return nil end
      if type(v) ~= 'number' or v < lo or v > hi or floor(v) ~= v then
         error(format("bad argument #%d to '?' (expected integer between %d and %d)", argn, lo,
            hi), 0)
      end
      return v
   end

   local M = {_NAME = 'cjson', _VERSION = '2.1.0', null = null}

   function M.encode_sparse_array(convert, ratio, safeLimit)
      local c = boolOption(convert)
      local r = intOption(ratio, 0, 2147483647, 2)
      local s = intOption(safeLimit, 0, 2147483647, 3)
      if c ~= nil then cfg.sparseConvert = c end
      if r then cfg.sparseRatio = r end
      if s then cfg.sparseSafe = s end
      return cfg.sparseConvert, cfg.sparseRatio, cfg.sparseSafe
   end

   function M.encode_max_depth(n)
      cfg.encodeMaxDepth = intOption(n, 1, 2147483647, 1) or cfg.encodeMaxDepth
      return cfg.encodeMaxDepth
   end

   function M.decode_max_depth(n)
      cfg.decodeMaxDepth = intOption(n, 1, 2147483647, 1) or cfg.decodeMaxDepth
      return cfg.decodeMaxDepth
   end

   function M.encode_number_precision(n)
      cfg.precision = intOption(n, 1, 14, 1) or cfg.precision
      numfmt = '%.' .. cfg.precision .. 'g'
      return cfg.precision
   end

   function M.encode_keep_buffer(v)
      local b = boolOption(v)
      if b ~= nil then cfg.keepBuffer = b end
      return cfg.keepBuffer
   end

   function M.encode_invalid_numbers(v)
      local b = boolOption(v, true)
      if b ~= nil then cfg.encodeInvalid = b end
      return cfg.encodeInvalid
   end

   function M.decode_invalid_numbers(v)
      local b = boolOption(v)
      if b ~= nil then cfg.decodeInvalid = b end
      return cfg.decodeInvalid
   end

   if safe then
      -- cjson.safe: errors come back as nil, message
      local function protect(f)
         return function(...)
            local ok, r = pcall(f, ...)
            if ok then return r end
            return nil, r
         end
      end
      M.encode, M.decode = protect(encode), protect(decode)
   else
      M.encode, M.decode = encode, decode
   end
   M.new = function() return newModule(safe) end
   return M
end

local cjson = newModule(false)
cjson._newModule = newModule
return cjson
