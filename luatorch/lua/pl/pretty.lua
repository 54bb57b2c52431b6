-- Penlight's pretty: tables written as readable Lua (write, dump), read back safely (read, load),
-- and numbers in human units (number).

local utils = require 'pl.utils'
local stringx = require 'pl.stringx'

local pretty = {}

local keywords = {}
for w in ([[and break do else elseif end false for function goto if in local nil not or
           repeat return then true until while]]):gmatch('%a+') do
   keywords[w] = true
end

local function isIdentifier(s)
   return type(s) == 'string' and s:find('^[%a_][%w_]*$') ~= nil and not keywords[s]
end

local function keyIndex(isNumber, key)
   if not isNumber then
      key = stringx.quote_string(key)
      if key:find('^%[') then key = ' ' .. key .. ' ' end
   end
   return '[' .. key .. ']'
end

local function scalar(v)
   if type(v) == 'string' then return stringx.quote_string(v) end
   local s = tostring(v)
   if s:find(' ') then s = stringx.quote_string(s) end
   return s
end

-- string keys sorted (by type, then text), then numeric keys outside the array part
local function orderedKeys(t)
   local named, numbered = {}, {}
   for k in pairs(t) do
      if type(k) == 'number' then numbered[#numbered + 1] = k else named[#named + 1] = k end
   end
   table.sort(named, function(a, b)
      if type(a) == type(b) then return tostring(a) < tostring(b) end
      return type(a) < type(b)
   end)
   for _, k in ipairs(numbered) do named[#named + 1] = k end
   return named
end

-- tbl as Lua source, indented by `space` per level ('' writes one line); `not_clever` writes
-- every key explicitly, arrays included
function pretty.write(tbl, space, not_clever)
   if type(tbl) ~= 'table' then
      if type(tbl) == 'string' then return stringx.quote_string(tbl) end
      return tostring(tbl), 'not a table'
   end
   local set = space == '' and '=' or ' = '
   space = space or '  '
   local lines, current, active = {}, '', {}

   local function put(s) current = current .. s end
   local function endLine(s)
      lines[#lines + 1] = current .. s
      current = ''
   end
   local function dropComma()
      local last = lines[#lines]
      if last:sub(-1) == ',' then lines[#lines] = last:sub(1, -2) end
   end

   local function writeValue(v, outer, inner)
      if type(v) ~= 'table' then
         endLine(scalar(v) .. ',')
         return
      end
      if active[v] then
         endLine('<cycle>,')
         return
      end
      active[v] = true
      local deeper = inner .. space
      endLine('{')
      local inArray = {}
      if not not_clever then
         for i = 1, #v do
            if v[i] == nil then break end
            put(inner)
            writeValue(v[i], inner, deeper)
            inArray[i] = true
         end
      end
      for _, k in ipairs(orderedKeys(v)) do
         local isNumber = type(k) == 'number'
         if not_clever then
            put(inner .. keyIndex(isNumber, tostring(k)) .. set)
            writeValue(v[k], inner, deeper)
         elseif not (isNumber and inArray[k]) then
            local key = type(k) == 'string' and k or tostring(k)
            if isNumber or not isIdentifier(key) then key = keyIndex(isNumber, key) end
            put(inner .. key .. set)
            writeValue(v[k], inner, deeper)
         end
      end
      active[v] = nil
      dropComma()
      endLine(outer .. '},')
   end

   writeValue(tbl, '', space)
   dropComma()
   return table.concat(lines, #space > 0 and '\n' or '')
end

-- print a table as Lua source, or write it to a file
function pretty.dump(t, filename)
   if not filename then
      print(pretty.write(t))
      return true
   end
   return utils.writefile(filename, pretty.write(t))
end

-- whether the Lua source s uses one of the keywords (outside strings and comments)
local function usesKeyword(s, words)
   local code = s:gsub('%-%-%[(=*)%[.-%]%1%]', ''):gsub('%-%-[^\n]*', '')
   code = code:gsub('%[(=*)%[.-%]%1%]', '""'):gsub('"[^"\\]*(\\.[^"\\]*)*"', '""')
   code = code:gsub("'[^'\\]*(\\.[^'\\]*)*'", "''")
   for _, word in ipairs(words) do
      if code:find('%f[%w_]' .. word .. '%f[^%w_]') then return true end
   end
   return false
end

-- a Lua chunk run in env (default: an empty table); paranoid refuses loops and functions
function pretty.load(s, env, paranoid)
   env = env or {}
   if paranoid and usesKeyword(s, {'for', 'repeat', 'function', 'goto'}) then
      return nil, 'looping not allowed'
   end
   local chunk, err = loadstring(s, 'tbl')
   if not chunk then return nil, err end
   setfenv(chunk, env)
   local ok, res = pcall(chunk)
   if not ok then return nil, res end
   return env
end

-- a table literal read back, run with no globals (no functions allowed in it)
function pretty.read(s)
   utils.assert_arg(1, s, 'string')
   if s:find('^%s*%-%-') then s = s:gsub('%-%-.-\n', '') end
   if not s:find('^%s*{') then return nil, 'not a Lua table' end
   if usesKeyword(s, {'function'}) then return nil, 'cannot have functions in table definition' end
   local chunk, err = loadstring('return ' .. s, 'tbl')
   if not chunk then return nil, err end
   setfenv(chunk, {})
   local ok, res = pcall(chunk)
   if not ok then return nil, res end
   return res
end

-- for debugging: the arguments written as a table
function pretty.debug(...)
   local n = select('#', ...)
   local t = {...}
   for i = 1, n do
      if t[i] == nil then t[i] = '<nil>' end
   end
   print(pretty.write(t))
end

local function withCommas(v)
   local thousands = math.floor(v / 1000)
   if thousands > 0 then
      return withCommas(thousands) .. ',' .. ('%03d'):format(v % 1000)
   end
   return tostring(v)
end

-- 'M' memory (B, KiB, MiB, GiB), 'N' (K, M, B) with prec decimals, 'T' thousands separators
function pretty.number(num, kind, prec)
   if kind == 'T' then return withCommas(num) end
   local fmt = '%.' .. (prec or 1) .. 'f%s'
   local factor, units = 1000, {'', 'K', 'M', 'B'}
   if kind == 'M' then factor, units = 1024, {'B', 'KiB', 'MiB', 'GiB'} end
   local div, k = factor, 1
   while num >= div and k <= #units do
      div = div * factor
      k = k + 1
   end
   div = div / factor
   if k > #units then
      k = k - 1
      div = div / factor
   end
   if k > 1 then return fmt:format(num / div, units[k]) end
   return num .. units[1]
end

return pretty
