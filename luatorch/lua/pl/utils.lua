-- Penlight's utils: small helpers the other pl modules share (argument checks, string lambdas,
-- file reading, splitting, error modes).

local compat = require 'pl.compat'

local utils = {}
for k, v in pairs(compat) do utils[k] = v end

utils._VERSION = '1.5.4'

-- Lua patterns for common tokens
utils.patterns = {
   FLOAT = '[%+%-%d]%d*%.?%d*[eE]?[%+%-]?%d*',
   INTEGER = '[+%-%d]%d*',
   IDEN = '[%a_][%w_]*',
   FILE = '[%a%.\\][:%][%w%._%-\\]*',
}

-- the metatables of Penlight's container classes, shared so modules can recognize each other
utils.stdmt = {
   List = {_name = 'List'},
   Map = {_name = 'Map'},
   Set = {_name = 'Set'},
   MultiMap = {_name = 'MultiMap'},
}

utils.pack = compat.pack

function utils.unpack(t, i, j)
   return unpack(t, i or 1, j or t.n or #t)
end

function utils.printf(fmt, ...)
   utils.assert_string(1, fmt)
   io.write(fmt:format(...))
end

function utils.fprintf(f, fmt, ...)
   utils.assert_string(2, fmt)
   f:write(fmt:format(...))
end

-- copy the fields of T (or of the module named T) into t (default: the global table)
function utils.import(t, T)
   T = T or _G
   t = t or utils
   if type(t) == 'string' then t = require(t) end
   for k, v in pairs(t) do T[k] = v end
end

function utils.choose(cond, value1, value2)
   if cond then return value1 end
   return value2
end

function utils.array_tostring(t, temp, tostr)
   temp, tostr = temp or {}, tostr or tostring
   for i = 1, #t do temp[i] = tostr(t[i], i) end
   return temp
end

function utils.is_type(obj, tp)
   if type(tp) == 'string' then return type(obj) == tp end
   return getmetatable(obj) == tp
end

-- assert_arg(n, val, tp [, verify, msg, level]): val is of type tp (and passes verify)
function utils.assert_arg(n, val, tp, verify, msg, lev)
   if type(val) ~= tp then
      error(("argument %d expected a '%s', got a '%s'"):format(n, tp, type(val)), lev or 2)
   end
   if verify and not verify(val) then
      error(("argument %d: '%s' %s"):format(n, val, msg), lev or 2)
   end
   return val
end

function utils.assert_string(n, val)
   return utils.assert_arg(n, val, 'string', nil, nil, 3)
end

-- error mode of functions that 'raise': 'default' (return nil, msg), 'quit' or 'error'
local errMode = 'default'

function utils.on_error(mode)
   mode = tostring(mode)
   if mode == 'default' or mode == 'quit' or mode == 'error' then
      errMode = mode
      return
   end
   local msg = "Bad argument expected string; 'default', 'quit', or 'error'. Got '" .. mode .. "'"
   if errMode == 'default' then error(msg, 2) end
   utils.raise(msg)
end

function utils.raise(err)
   if errMode == 'default' then return nil, err end
   if errMode == 'quit' then return utils.quit(err) end
   error(err, 2)
end
local raise = utils.raise

function utils.readfile(filename, is_bin)
   utils.assert_string(1, filename)
   local f, err = io.open(filename, is_bin and 'rb' or 'r')
   if not f then return raise(err) end
   local res, rerr = f:read('*a')
   f:close()
   if not res then return raise(filename .. ': ' .. tostring(rerr)) end
   return res
end

function utils.writefile(filename, str, is_bin)
   utils.assert_string(1, filename)
   utils.assert_string(2, str)
   local f, err = io.open(filename, is_bin and 'wb' or 'w')
   if not f then return raise(err) end
   local ok, werr = f:write(str)
   f:close()
   if not ok then return raise(filename .. ': ' .. tostring(werr)) end
   return true
end

function utils.readlines(filename)
   utils.assert_string(1, filename)
   local f, err = io.open(filename, 'r')
   if not f then return raise(err) end
   local res = {}
   for line in f:lines() do res[#res + 1] = line end
   f:close()
   return res
end

-- a shell argument (or a list of them) quoted for /bin/sh
function utils.quote_arg(argument)
   if type(argument) == 'table' then
      local parts = {}
      for i, a in ipairs(argument) do parts[i] = utils.quote_arg(a) end
      return table.concat(parts, ' ')
   end
   if argument == '' or argument:find('[^%w_@%+=:,%./%-]') then
      argument = "'" .. argument:gsub("'", [['\'']]) .. "'"
   end
   return argument
end

-- run a shell command; returns ok, exit code
function utils.execute(cmd)
   local ok, _, code = compat.execute(cmd)
   return ok, code
end

-- run a shell command; returns ok, exit code, its stdout and its stderr
function utils.executeex(cmd, bin)
   local outfile, errfile = os.tmpname(), os.tmpname()
   local ok, code = utils.execute(cmd .. ' > ' .. utils.quote_arg(outfile)
      .. ' 2> ' .. utils.quote_arg(errfile))
   local out = utils.readfile(outfile, bin) or ''
   local err = utils.readfile(errfile, bin) or ''
   os.remove(outfile)
   os.remove(errfile)
   return ok, code, out, err
end

function utils.quit(code, msg, ...)
   if type(code) == 'string' then
      utils.fprintf(io.stderr, code, msg, ...)
      io.stderr:write('\n')
      code = -1
   elseif msg then
      utils.fprintf(io.stderr, msg, ...)
      io.stderr:write('\n')
   end
   os.exit(code)
end

-- s with Lua pattern magic characters escaped
function utils.escape(s)
   utils.assert_string(1, s)
   return (s:gsub('[%-%.%+%[%]%(%)%$%^%%%?%*]', '%%%0'))
end

-- split s on the pattern re (default: runs of spaces) into a plain table, at most n parts
function utils.split(s, re, plain, n)
   utils.assert_string(1, s)
   re = re or '%s+'
   if re == '' then return {s} end
   local parts, start = {}, 1
   while true do
      local i, j = s:find(re, start, plain)
      if not i then
         local last = s:sub(start)
         if last ~= '' then parts[#parts + 1] = last end
         if #parts == 1 and parts[1] == '' then return {} end
         return parts
      end
      parts[#parts + 1] = s:sub(start, i - 1)
      if n and #parts == n then
         parts[#parts] = s:sub(start)
         return parts
      end
      start = j + 1
   end
end

function utils.splitv(s, re, plain, n)
   return unpack(utils.split(s, re, plain, n))
end

function utils.memoize(func)
   local cache = {}
   return function(k)
      local res = cache[k]
      if res == nil then
         res = func(k)
         cache[k] = res
      end
      return res
   end
end

-- objects of a metatable mt turn into functions through fun (function_arg asks for them)
local factories = setmetatable({}, {__mode = 'k'})
function utils.add_function_factory(mt, fun)
   factories[mt] = fun
end

-- '|x,y| x+y' or an expression of '_' ('_+1') as a function
utils.string_lambda = utils.memoize(function(f)
   local args, body
   if f:find('^|') then
      args, body = f:match('^|([^|]*)|(.+)$')
      if not args then return raise('bad string lambda') end
   elseif f:find('_') then
      args, body = '_', f
   else
      return raise('not a string lambda')
   end
   local chunk, err = loadstring('return function(' .. args .. ') return ' .. body .. ' end')
   if not chunk then return raise(err) end
   return chunk()
end)

-- operator names a string may stand for in function arguments ('+', '==', '..', '[]' ...)
local operators = {
   ['+'] = function(a, b) return a + b end,
   ['-'] = function(a, b) return a - b end,
   ['*'] = function(a, b) return a * b end,
   ['/'] = function(a, b) return a / b end,
   ['%'] = function(a, b) return a % b end,
   ['^'] = function(a, b) return a ^ b end,
   ['..'] = function(a, b) return a .. b end,
   ['()'] = function(fn, ...) return fn(...) end,
   ['[]'] = function(t, k) return t[k] end,
   ['<'] = function(a, b) return a < b end,
   ['<='] = function(a, b) return a <= b end,
   ['>'] = function(a, b) return a > b end,
   ['>='] = function(a, b) return a >= b end,
   ['=='] = function(a, b) return a == b end,
   ['~='] = function(a, b) return a ~= b end,
   ['#'] = function(a) return #a end,
   ['and'] = function(a, b) return a and b end,
   ['or'] = function(a, b) return a or b end,
   ['{}'] = function(...) return {...} end,
   ['~'] = function(s, p) return s:find(p) ~= nil end,
   [''] = function(...) return ... end,
}
utils._operators = operators

-- f as a function: a function, an operator string, a string lambda or a callable object
function utils.function_arg(idx, f, msg)
   utils.assert_arg(1, idx, 'number')
   local tp = type(f)
   if tp == 'function' then return f end
   if tp == 'string' then
      local op = operators[f]
      if op then return op end
      local fn, err = utils.string_lambda(f)
      if not fn then error(err .. ': ' .. f) end
      return fn
   elseif tp == 'table' or tp == 'userdata' then
      local mt = getmetatable(f)
      if not mt then error('not a callable object', 2) end
      if factories[mt] then return factories[mt](f) end
      if not mt.__call then error('not a callable object', 2) end
      return f
   end
   msg = msg or ' must be callable'
   if idx > 0 then error('argument ' .. idx .. ': ' .. msg, 2) end
   error(msg, 2)
end

function utils.bind1(fn, p)
   fn = utils.function_arg(1, fn)
   return function(...) return fn(p, ...) end
end

function utils.bind2(fn, p)
   fn = utils.function_arg(1, fn)
   return function(x, ...) return fn(x, p, ...) end
end

return utils
