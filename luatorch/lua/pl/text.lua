-- Penlight's text: indenting, dedenting and wrapping paragraphs, $-templates, and the
-- `format % values` operator for strings (th turns it on at start-up).

local utils = require 'pl.utils'
local stringx = require 'pl.stringx'

local text = {}

local function lines(s)
   local res = {}
   for l in stringx.lines(s) do res[#res + 1] = l end
   return res
end

-- every line of s prefixed with n copies of ch (default a space)
function text.indent(s, n, ch)
   utils.assert_arg(1, s, 'string')
   utils.assert_arg(2, n, 'number')
   local prefix = (ch or ' '):rep(n)
   local ls = lines(s)
   for i, l in ipairs(ls) do ls[i] = prefix .. l end
   return table.concat(ls, '\n') .. '\n'
end

-- the common leading whitespace removed from every line
function text.dedent(s)
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
function text.wrap(s, width)
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

function text.fill(s, width)
   return table.concat(text.wrap(s, width), '\n') .. '\n'
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
text.Template = Template

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
function text.format_operator()
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

return text
