-- xlua: Torch's extra Lua helpers (torch/xlua): the progress bar, formatTime, a verbose print,
-- safe require, argument unpacking, string and table helpers. All output goes through io.write.

local torch = require 'torch'
local sys = require 'sys'

xlua = xlua or {}
local xlua = xlua

local protected = {}
for k in pairs(_G) do protected[#protected + 1] = k end

---------------------------------------------------------------------------------------------
-- print: tables as { [k] = v, ... }, long values cut at 40 characters
---------------------------------------------------------------------------------------------
function xlua.print(obj, ...)
   if type(obj) == 'table' then
      local mt = getmetatable(obj)
      if mt and mt.__tostring__ then
         io.write(mt.__tostring__(obj))
      else
         local tos = tostring(obj)
         if tos and not tos:find('table: ') then
            if obj.usage and type(obj.usage) == 'string' then
               io.write(obj.usage)
               io.write('\n\nFIELDS:\n')
            else
               io.write(tos .. ':\n')
            end
         end
         io.write('{')
         local tab = ''
         local idx = 1
         for k, v in pairs(obj) do
            if idx > 1 then io.write(',\n') end
            if type(v) == 'userdata' then
               io.write(tab .. '[' .. tostring(k) .. ']' .. ' = <userdata>')
            else
               local s = tostring(v):gsub('\n', '\\n')
               if #s > 40 then
                  io.write(tab .. '[' .. tostring(k) .. ']' .. ' = ' .. s:sub(1, 40)
                     .. sys.COLORS.none .. ' ... ')
               else
                  io.write(tab .. '[' .. tostring(k) .. ']' .. ' = ' .. s)
               end
            end
            tab = ' '
            idx = idx + 1
         end
         io.write('}')
      end
   else
      io.write(tostring(obj))
   end
   if select('#', ...) > 0 then
      io.write('    ')
      xlua.print(...)
   else
      io.write('\n')
   end
end
rawset(_G, 'xprint', xlua.print)

---------------------------------------------------------------------------------------------
-- globals
---------------------------------------------------------------------------------------------
local function isProtected(k)
   for _, p in ipairs(protected) do if k == p then return true end end
   return false
end

function xlua.clearall()
   for k in pairs(_G) do
      if not isProtected(k) then
         _G[k] = nil
         if package.loaded[k] then package.loaded[k] = nil end
      end
   end
   collectgarbage()
end

function xlua.clear(var)
   _G[var] = nil
   collectgarbage()
end

function xlua.who()
   local user, libs = {}, {}
   for k, v in pairs(_G) do
      if package.loaded[k] and k ~= '_G' then
         libs[#libs + 1] = k
      elseif not isProtected(k) then
         user[k] = v
      end
   end
   xlua.print('')
   xlua.print('Global Libs:')
   xlua.print(libs)
   xlua.print('')
   xlua.print('Global Vars:')
   xlua.print(user)
   xlua.print('')
end

-- log(file [, append]): copy everything written from now on into file
function xlua.log(file, append)
   local f = assert(io.open(file, append and 'a' or 'w'))
   local write = io.write
   io._write = write
   io.write = function(...)
      write(...)
      for i = 1, select('#', ...) do f:write((select(i, ...))) end
      f:flush()
   end
end

---------------------------------------------------------------------------------------------
-- time: two most significant units, e.g. 1h3m, 12s345ms, 0ms
---------------------------------------------------------------------------------------------
function xlua.formatTime(seconds)
   local floor = math.floor
   local days = floor(seconds / 3600 / 24)
   seconds = seconds - days * 3600 * 24
   local hours = floor(seconds / 3600)
   seconds = seconds - hours * 3600
   local minutes = floor(seconds / 60)
   seconds = seconds - minutes * 60
   local secondsf = floor(seconds)
   seconds = seconds - secondsf
   local millis = floor(seconds * 1000)
   local f, i = '', 1
   if days > 0 then f = f .. days .. 'D'; i = i + 1 end
   if hours > 0 and i <= 2 then f = f .. hours .. 'h'; i = i + 1 end
   if minutes > 0 and i <= 2 then f = f .. minutes .. 'm'; i = i + 1 end
   if secondsf > 0 and i <= 2 then f = f .. secondsf .. 's'; i = i + 1 end
   if millis > 0 and i <= 2 then f = f .. millis .. 'ms'; i = i + 1 end
   if f == '' then f = '0ms' end
   return f
end
local formatTime = xlua.formatTime

---------------------------------------------------------------------------------------------
-- progress(current, goal): Torch's bar, drawn with \r and \b for a terminal of termLength
-- columns (at most 120); with no terminal, 80 columns as `tput cols` answers then
---------------------------------------------------------------------------------------------
do
   local barDone = true
   local previous = -1
   local timer, times, indices
   local termLength

   function xlua.progress(current, goal)
      termLength = termLength or math.min(torch._py.os_term_columns(), 120)
      local barLength = termLength - 34
      local smoothing = 100
      local percent = math.floor((current * barLength) / goal)

      -- a new bar starts after a finished one, or when the count goes back
      if barDone and (previous == -1 or percent < previous) then
         barDone = false
         previous = -1
         timer = torch.Timer()
         times = {timer:time().real}
         indices = {current}
      else
         io.write('\r')
      end

      if not barDone then
         previous = percent
         io.write(' [')
         for i = 1, barLength do
            if i < percent then io.write('=')
            elseif i == percent then io.write('>')
            else io.write('.') end
         end
         io.write('] ')
         for _ = 1, termLength - barLength - 4 do io.write(' ') end
         for _ = 1, termLength - barLength - 4 do io.write('\b') end
         local elapsed = timer:time().real
         local step = (elapsed - times[1]) / (current - indices[1])
         if current == indices[1] then step = 0 end
         local remaining = math.max(0, (goal - current) * step)
         indices[#indices + 1] = current
         times[#times + 1] = elapsed
         if #indices > smoothing then
            indices = table.splice(indices)
            times = table.splice(times)
         end
         local tm
         if percent < barLength then
            tm = ' ETA: ' .. formatTime(remaining)
         else
            tm = ' Tot: ' .. formatTime(elapsed)
         end
         tm = tm .. ' | Step: ' .. formatTime(step)
         io.write(tm)
         -- back to the middle of the bar for the count
         for _ = 1, 5 + #tm + barLength / 2 do io.write('\b') end
         io.write(' ', current, '/', goal, ' ')
         if percent == barLength then
            barDone = true
            io.write('\n')
         end
         io.write('\r')
         io.flush()
      end
   end
end

---------------------------------------------------------------------------------------------
-- errors, packages
---------------------------------------------------------------------------------------------
function xlua.error(message, domain, usage)
   local c = sys.COLORS
   if domain then message = '<' .. domain .. '> ' .. message end
   local msg = c.Red .. tostring(message) .. c.none
   if usage then msg = msg .. '\n' .. usage end
   error(msg)
end
rawset(_G, 'xerror', xlua.error)

function xlua.trycatch(try, catch)
   local ok, err = pcall(try)
   if not ok then catch(err) end
end

function xlua.installed(name)
   local p = package.path .. ';' .. package.cpath .. ';'
   for path in p:gmatch('(.-);') do
      path = path:gsub('%?', (name:gsub('%.', '/')))
      if paths.filep(path) then return true, path end
   end
   return false, p
end

-- require that warns instead of failing: the package, or false
function xlua.require(name)
   local ok, loaded = pcall(require, name)
   if not ok then
      print(loaded)
      print('warning: <' .. name .. '> could not be loaded (is it installed?)')
      return false
   end
   return loaded
end
rawset(_G, 'xrequire', xlua.require)

---------------------------------------------------------------------------------------------
-- tables as strings
---------------------------------------------------------------------------------------------
local function valueString(v)
   if type(v) == 'string' then
      v = v:gsub('\n', '\\n')
      if v:gsub("[^'\"]", ''):match('^"+$') then return "'" .. v .. "'" end
      return '"' .. v:gsub('"', '\\"') .. '"'
   end
   return type(v) == 'table' and xlua.table2string(v) or tostring(v)
end

local function keyString(k)
   if type(k) == 'string' and k:match('^[_%a][_%a%d]*$') then return k end
   return '[' .. valueString(k) .. ']'
end

function xlua.table2string(tbl, newline)
   local result, done = {}, {}
   for k, v in ipairs(tbl) do
      result[#result + 1] = valueString(v)
      done[k] = true
   end
   local sep = newline and ' : ' or '='
   for k, v in pairs(tbl) do
      if not done[k] then result[#result + 1] = keyString(k) .. sep .. valueString(v) end
   end
   if newline then return '{\n   ' .. table.concat(result, '\n   ') .. '\n}' end
   return '{' .. table.concat(result, ',') .. '}'
end

---------------------------------------------------------------------------------------------
-- usage and named-argument unpacking (dok-style argument tables)
---------------------------------------------------------------------------------------------
function xlua.usage(funcname, description, example, ...)
   local c = sys.COLORS
   local banner = '+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++'
   local str = banner .. '\n' .. c.Magenta .. funcname .. c.none .. '\n'
   if description then str = str .. '\n' .. description .. '\n' end
   str = str .. '\n' .. c.blue .. '> ' .. c.none .. 'usage:\n' .. c.cyan
   local args = {...}
   if args[1] and args[1].tabled then args = args[1].tabled end
   if args[1] and args[1].arg then
      str = str .. funcname .. '{\n'
      for _, param in ipairs(args) do
         local key
         if param.req then
            key = '    ' .. param.arg .. ' = ' .. param.type
         else
            key = '    [' .. param.arg .. ' = ' .. param.type .. ']'
         end
         while #key < 40 do key = key .. ' ' end
         str = str .. key .. '-- ' .. (param.help or '')
         if type(param.default) == 'table' then
            str = str .. '  [default = ' .. xlua.table2string(param.default) .. ']'
         elseif param.default or param.default == false then
            str = str .. '  [default = ' .. tostring(param.default) .. ']'
         elseif param.defaulta then
            str = str .. '  [default == ' .. param.defaulta .. ']'
         end
         str = str .. '\n'
      end
      str = str .. '}\n'
   else
      str = str .. funcname .. '(\n'
      for _, param in ipairs(args) do
         local key = param.req and ('    ' .. param.type) or ('    [' .. param.type .. ']')
         while #key < 40 do key = key .. ' ' end
         str = str .. key .. '-- ' .. (param.help or '') .. '\n'
      end
      str = str .. ')\n'
   end
   str = str .. c.none
   if example then str = str .. '\n' .. c.cyan .. example .. c.none .. '\n' end
   return str .. banner
end

function xlua.unpack(args, funcname, description, ...)
   local defs = {...}
   local usage = setmetatable({}, {__tostring = function()
      local example
      if #defs > 1 then
         example = funcname .. '{' .. defs[2].arg .. '=' .. defs[2].type .. ', '
            .. defs[1].arg .. '=' .. defs[1].type .. '}\n'
            .. funcname .. '(' .. defs[1].type .. ',' .. ' ...)'
      end
      return xlua.usage(funcname, description, example, {tabled = defs})
   end})
   local iargs = {}
   if #args == 0 then
      print(usage)
      xlua.error('error')
   elseif #args == 1 and type(args[1]) == 'table' and #args[1] == 0
         and torch.typename(args[1]) == nil then
      iargs = args[1]
   else
      for i = 1, #defs do iargs[defs[i].arg] = args[i] end
   end
   local dargs = {}
   for i, def in ipairs(defs) do
      if def.req and iargs[def.arg] == nil then
         local c = sys.COLORS
         print(c.Red .. 'missing argument: ' .. def.arg .. c.none)
         print(usage)
         xlua.error('error')
      end
      dargs[def.arg] = iargs[def.arg]
      if dargs[def.arg] == nil then dargs[def.arg] = def.default end
      if dargs[def.arg] == nil and def.defaulta then dargs[def.arg] = dargs[def.defaulta] end
      dargs[i] = dargs[def.arg]
   end
   dargs.usage = usage
   return dargs, unpack(dargs, 1, #defs)
end

function xlua.unpack_class(object, args, funcname, description, ...)
   local dargs = xlua.unpack(args, funcname, description, ...)
   for k, v in pairs(dargs) do
      if type(k) ~= 'number' then object[k] = v end
   end
end

function xlua.usage_module(module, name, description)
   local c = sys.COLORS
   local str = c.magenta .. '+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++\n'
      .. 'PACKAGE:\n' .. name .. '\n'
   if description then str = str .. '\nDESC:\n' .. description .. '\n' end
   str = str .. '++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++' .. c.none
   local mt = getmetatable(module) or {}
   setmetatable(module, mt)
   mt.__tostring = function() return str end
   return str
end

-- envparams{k = default, ...}: values overridden by environment variables of the same names
function xlua.envparams(default)
   local params = {}
   for k, v in pairs(default) do
      params[k] = v
      local e = os.getenv(k)
      if e ~= nil then
         if type(v) == 'number' then e = tonumber(e) end
         if type(v) == 'boolean' then
            if e == 'false' or e == 'False' then e = false
            elseif e == 'true' or e == 'True' then e = true end
         end
         assert(e ~= nil)
         params[k] = e
      end
   end
   return params
end

---------------------------------------------------------------------------------------------
-- string and table helpers xlua adds to the standard libraries
---------------------------------------------------------------------------------------------
-- splice(tbl [, start [, length]]): the table without elements start..start+length-1, and them
function table.splice(tbl, start, length)
   length = length or 1
   start = start or 1
   local stop = start + length
   local spliced, remainder = {}, {}
   for i, v in ipairs(tbl) do
      if i < start or i >= stop then spliced[#spliced + 1] = v else remainder[#remainder + 1] = v end
   end
   return spliced, remainder
end

-- prune(tbl [, hash [, merge]]): the values without duplicates (order not kept)
function table.prune(tbl, hashfunc, merge)
   local hashes = {}
   local hash = hashfunc or function(a) return a end
   for _, v in ipairs(tbl) do
      local h = hash(v)
      if merge and hashes[h] ~= nil then hashes[h] = merge(v, hashes[h]) else hashes[h] = v end
   end
   local out = {}
   for _, v in pairs(hashes) do out[#out + 1] = v end
   return out
end

-- split(str, pat): the pieces between matches of pat (a leading empty piece is dropped)
function string.split(str, pat)
   local t = {}
   local fpat = '(.-)' .. pat
   local last = 1
   local s, e, cap = str:find(fpat, 1)
   while s do
      if s ~= 1 or cap ~= '' then t[#t + 1] = cap end
      last = e + 1
      s, e, cap = str:find(fpat, last)
   end
   if last <= #str then t[#t + 1] = str:sub(last) end
   return t
end

-- tokenize(str [, sep]): the non-empty runs of characters not in sep (default whitespace)
function string.tokenize(str, sep)
   local t = {}
   local pat = sep and ('[^' .. sep:gsub('[%]%^%-%%]', '%%%0') .. ']+') or '%S+'
   for tok in str:gmatch(pat) do t[#t + 1] = tok end
   return t
end

function string.tosymbol(str)
   local ok, result = pcall(loadstring('return ' .. str))
   if not ok then
      error(result)
   elseif not result then
      error('symbol "' .. str .. '" does not exist')
   end
   return result
end

return xlua
