-- Penlight's stringx: Python-style string functions (split, strip, startswith, partition ...),
-- and the text functions (indent, wrap, Template, the % operator) that pl.text also names.
-- stringx.import() copies them into the string table so they become string methods.

local utils = require 'pl.utils'

local stringx = {}

local function assertString(n, s) utils.assert_arg(n, s, 'string', nil, nil, 4) end

local function makeList(t) return setmetatable(t, require 'pl.List') end

local function allOf(s, class)
   assertString(1, s)
   return s:find('^' .. class .. '+$') ~= nil
end

function stringx.isalpha(s) return allOf(s, '%a') end
function stringx.isdigit(s) return allOf(s, '%d') end
function stringx.isalnum(s) return allOf(s, '%w') end
function stringx.isspace(s) return allOf(s, '%s') end
function stringx.islower(s) return allOf(s, '[%l%s]') end
function stringx.isupper(s) return allOf(s, '[%u%s]') end

-- a test against one string or any of a list of them
local function anyOf(s, what, test)
   if type(what) == 'string' then return test(s, what) end
   if type(what) == 'table' then
      for _, w in ipairs(what) do
         if test(s, w) then return true end
      end
      return false
   end
   error(('argument #2 expected a string or a table of strings, got %s'):format(type(what)), 3)
end

function stringx.startswith(s, prefix)
   assertString(1, s)
   return anyOf(s, prefix, function(a, p) return a:sub(1, #p) == p end)
end

function stringx.endswith(s, suffix)
   assertString(1, s)
   return anyOf(s, suffix, function(a, p) return #p == 0 or a:sub(-#p) == p end)
end

function stringx.join(s, seq)
   assertString(1, s)
   return table.concat(seq, s)
end

function stringx.splitlines(s, keep_ends)
   assertString(1, s)
   local res, pos = {}, 1
   while pos <= #s do
      local i, j = s:find('\r?\n', pos)
      if not i then
         res[#res + 1] = s:sub(pos)
         break
      end
      res[#res + 1] = s:sub(pos, keep_ends and j or i - 1)
      pos = j + 1
   end
   return makeList(res)
end

-- split on a plain delimiter (default: runs of whitespace, ignoring leading ones), at most n parts
function stringx.split(s, re, n)
   assertString(1, s)
   local plain = true
   if not re then
      s = s:gsub('^%s+', '')
      plain = false
   end
   local res = utils.split(s, re, plain, n)
   if re and re ~= '' and s:sub(-#re) == re and (n or math.huge) > #res then
      res[#res + 1] = ''
   end
   return makeList(res)
end

function stringx.splitv(s, re)
   assertString(1, s)
   return utils.splitv(s, re)
end

function stringx.expandtabs(s, tabsize)
   assertString(1, s)
   tabsize = tabsize or 8
   return (s:gsub('([^\t\r\n]*)\t', function(before)
      return before .. (' '):rep(tabsize - #before % tabsize)
   end))
end

-- plain find of sub in s[first..last]
local function findIn(s, sub, first, last)
   first = first or 1
   if first < 0 then first = #s + first + 1 end
   local i, j = s:find(sub, first, true)
   if i and last and j > (last < 0 and #s + last + 1 or last) then return nil end
   return i
end

function stringx.lfind(s, sub, first, last)
   assertString(1, s)
   assertString(2, sub)
   return findIn(s, sub, first, last)
end

function stringx.rfind(s, sub, first, last)
   assertString(1, s)
   assertString(2, sub)
   local found, pos = nil, first or 1
   while true do
      local i = findIn(s, sub, pos, last)
      if not i then return found end
      found, pos = i, i + 1
   end
end

function stringx.replace(s, old, new, n)
   assertString(1, s)
   assertString(2, old)
   assertString(3, new)
   local res, pos, done = {}, 1, 0
   while not n or done < n do
      local i, j = s:find(old, pos, true)
      if not i or old == '' then break end
      res[#res + 1] = s:sub(pos, i - 1)
      res[#res + 1] = new
      pos = j + 1
      done = done + 1
   end
   res[#res + 1] = s:sub(pos)
   return table.concat(res)
end

function stringx.count(s, sub, allow_overlap)
   assertString(1, s)
   local n, pos = 0, 1
   while true do
      local i, j = s:find(sub, pos, true)
      if not i then return n end
      n = n + 1
      pos = allow_overlap and i + 1 or j + 1
   end
end

function stringx.ljust(s, w, ch)
   assertString(1, s)
   ch = ch or ' '
   if #s >= w then return s end
   return s .. ch:rep(w - #s)
end

function stringx.rjust(s, w, ch)
   assertString(1, s)
   ch = ch or ' '
   if #s >= w then return s end
   return ch:rep(w - #s) .. s
end

function stringx.center(s, w, ch)
   assertString(1, s)
   ch = ch or ' '
   if #s >= w then return s end
   local left = math.floor((w - #s) / 2)
   return ch:rep(left) .. s .. ch:rep(w - #s - left)
end

-- the pattern class of chrs (a set of characters), or whitespace
local function charClass(chrs)
   if not chrs then return '%s' end
   return '[' .. utils.escape(chrs) .. ']'
end

function stringx.lstrip(s, chrs)
   assertString(1, s)
   return (s:gsub('^' .. charClass(chrs) .. '+', ''))
end

function stringx.rstrip(s, chrs)
   assertString(1, s)
   return (s:gsub(charClass(chrs) .. '+$', ''))
end

function stringx.strip(s, chrs)
   return stringx.rstrip(stringx.lstrip(s, chrs), chrs)
end

-- s cut at the first ch: before, ch, after (s, '', '' when absent)
function stringx.partition(s, ch)
   assertString(1, s)
   assertString(2, ch)
   if ch == '' then error('empty separator', 2) end
   local i, j = s:find(ch, 1, true)
   if not i then return s, '', '' end
   return s:sub(1, i - 1), ch, s:sub(j + 1)
end

-- s cut at the last ch ('', '', s when absent)
function stringx.rpartition(s, ch)
   assertString(1, s)
   assertString(2, ch)
   if ch == '' then error('empty separator', 2) end
   local i = stringx.rfind(s, ch)
   if not i then return '', '', s end
   return s:sub(1, i - 1), ch, s:sub(i + #ch)
end

function stringx.at(s, idx)
   assertString(1, s)
   return s:sub(idx, idx)
end

function stringx.lines(s)
   assertString(1, s)
   if not s:find('\n$') then s = s .. '\n' end
   return s:gmatch('([^\n]*)\n')
end

function stringx.title(s)
   assertString(1, s)
   return (s:gsub('(%S)(%S*)', function(first, rest) return first:upper() .. rest:lower() end))
end

stringx.capitalize = stringx.title

function stringx.shorten(s, w, tail)
   assertString(1, s)
   if #s <= w then return s end
   if w < 3 then return ('.'):rep(w) end
   if tail then return '...' .. s:sub(#s - w + 4) end
   return s:sub(1, w - 3) .. '...'
end

-- s as a Lua string literal (a long string when that reads better)
function stringx.quote_string(s)
   assertString(1, s)
   if s:find('\n') or (s:find('"') and s:find("'")) then
      local eq = ''
      while s:find(']' .. eq .. ']', 1, true) do eq = eq .. '=' end
      local lead = s:find('^\n') and '\n' or ''
      return '[' .. eq .. '[' .. lead .. s .. ']' .. eq .. ']'
   end
   return (('%q'):format(s):gsub('\\\n', '\\n'))
end

-- text: indenting, dedenting and wrapping paragraphs, $-templates, and the `format % values`
-- operator for strings (th turns it on at start-up); pl.text is this module
local function lines(s)
   local res = {}
   for l in stringx.lines(s) do res[#res + 1] = l end
   return res
end

-- every line of s prefixed with n copies of ch (default a space)
function stringx.indent(s, n, ch)
   utils.assert_arg(1, s, 'string')
   utils.assert_arg(2, n, 'number')
   local prefix = (ch or ' '):rep(n)
   local ls = lines(s)
   for i, l in ipairs(ls) do ls[i] = prefix .. l end
   return table.concat(ls, '\n') .. '\n'
end

-- the common leading whitespace removed from every line
function stringx.dedent(s)
   utils.assert_arg(1, s, 'string')
   local ls = lines(s)
   local cut = math.huge
   for _, l in ipairs(ls) do
      local _, j = l:find('^%s*%S')
      if j and j < cut then cut = j end
   end
   if cut == math.huge then cut = 1 end
   for i, l in ipairs(ls) do ls[i] = l:sub(cut) end
   return table.concat(ls, '\n') .. '\n'
end

-- the words of s in lines of at most width characters (a List)
function stringx.wrap(s, width)
   utils.assert_arg(1, s, 'string')
   width = width or 70
   local res, line = {}, nil
   for word in s:gmatch('%S+') do
      if line and #line + 1 + #word <= width then
         line = line .. ' ' .. word
      else
         if line then res[#res + 1] = line end
         line = word
      end
   end
   if line then res[#res + 1] = line end
   return setmetatable(res, require 'pl.List')
end

function stringx.fill(s, width)
   return table.concat(stringx.wrap(s, width), '\n') .. '\n'
end

-- ${name} and $name replaced by tbl[name] (or tbl(name) when tbl is callable); a missing
-- name is an error, or with `safe` is replaced by the bare name, as Penlight does
local function substitute(str, tbl, safe)
   local lookup = tbl
   if not (type(tbl) == 'function' or (getmetatable(tbl) or {}).__call) then
      lookup = function(name)
         local v = tbl[name]
         if v then return v end
         if safe then return name end
         error('not present in table ' .. name, 4)
      end
   end
   local res = str:gsub('%${([%w_]+)}', lookup)
   return (res:gsub('%$([%w_]+)', lookup))
end

local Template = {}
Template.__index = Template
stringx.Template = Template

setmetatable(Template, {__call = function(_, tmpl) return Template.new(tmpl) end})

function Template.new(tmpl)
   utils.assert_arg(1, tmpl, 'string')
   return setmetatable({tmpl = tmpl}, Template)
end

function Template:substitute(tbl)
   utils.assert_arg(1, tbl, 'table')
   return substitute(self.tmpl, tbl, false)
end

function Template:safe_substitute(tbl)
   utils.assert_arg(1, tbl, 'table')
   return substitute(self.tmpl, tbl, true)
end

-- like substitute, but a multi-line value is indented as deep as its $name was
function Template:indent_substitute(tbl)
   local out = self.tmpl:gsub('([ \t]*)%$([%w_]+)', function(indent, name)
      local v = tbl[name]
      if v == nil then error('not present in table ' .. name, 2) end
      v = tostring(v)
      if not v:find('\n') then return indent .. v end
      local ls = lines(v)
      for i, l in ipairs(ls) do ls[i] = indent .. l end
      return table.concat(ls, '\n')
   end)
   return out
end

-- string.format that passes tostring() of non-strings to %s
local function formatx(fmt, ...)
   local args, n, i = {...}, select('#', ...), 0
   for spec in fmt:gmatch('%%.') do
      if spec ~= '%%' then
         i = i + 1
         if spec == '%s' and type(args[i]) ~= 'string' then args[i] = tostring(args[i]) end
      end
   end
   return fmt:format(unpack(args, 1, n))
end

-- fmt % value, fmt % {values...}, fmt % {name = value} ($name) and fmt % function ($name)
function stringx.format_operator()
   getmetatable('').__mod = function(fmt, values)
      if values == nil then return fmt end
      if type(values) == 'table' and getmetatable(values) == nil then
         if #values == 0 then return substitute(fmt, values, true) end
         return formatx(fmt, unpack(values))
      elseif type(values) == 'function' then
         return (fmt:gsub('%$([%w_]+)', values))
      end
      return formatx(fmt, values)
   end
end


-- the string functions as string methods ('x':strip())
function stringx.import()
   utils.import(stringx, string)
end

return stringx
