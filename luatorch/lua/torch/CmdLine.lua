-- torch.CmdLine: command-line options and arguments with Torch7's behaviour and help layout.

local CmdLine = torch.class('torch.CmdLine')

-- '-lr' and '--lr' name the parameter 'lr'
local function bare(key)
   return (key:gsub('^%-+', ''))
end

local function padTo(s, width)
   if #s >= width then return s end
   return s .. string.rep(' ', width - #s)
end

function CmdLine:__init(argseparator, keyseparator)
   self.argseparator = argseparator or ','
   self.keyseparator = keyseparator or '='
   self.options = {}
   self.arguments = {}
   self.helplines = {}
   self.dateformat = nil
   self.silentio = false
end

function CmdLine:silent()
   self.silentio = true
end

function CmdLine:addTime(name, format)
   format = format or '%Y-%m-%d %H:%M:%S'
   if type(format) ~= 'string' then error('Argument has to be string', 2) end
   self.dateformat = format .. (name ~= nil and ('[' .. name .. ']: ') or '')
end

function CmdLine:text(txt)
   txt = txt or ''
   assert(type(txt) == 'string')
   self.helplines[#self.helplines + 1] = txt
end

function CmdLine:argument(key, help, typ)
   local a = {key = key, help = help, type = typ}
   self.arguments[#self.arguments + 1] = a
   self.helplines[#self.helplines + 1] = a
end

function CmdLine:option(key, default, help, typ)
   if default == nil then error('option ' .. key .. ' has no default value', 2) end
   typ = typ or type(default)
   if type(default) ~= typ then error('option ' .. key .. ' has wrong default type value', 2) end
   local o = {key = key, default = default, help = help, type = typ}
   self.options[key] = o
   self.helplines[#self.helplines + 1] = o
end

function CmdLine:default()
   local params = {}
   for key, o in pairs(self.options) do params[bare(key)] = o.default end
   return params
end

function CmdLine:error(msg)
   print('')
   io.stderr:write(msg)
   print('')
   self:help()
   os.exit(1)
end

function CmdLine:__readArgument__(params, arg, i, n)
   local value = arg[i]
   local a = self.arguments[n]
   if n > #self.arguments then self:error('invalid argument: ' .. value) end
   if a.type and type(value) ~= a.type then
      self:error('invalid argument type for argument ' .. a.key .. ' (should be ' .. a.type .. ')')
   end
   params[bare(a.key)] = value
   return 1
end

function CmdLine:__readOption__(params, arg, i)
   local key = arg[i]
   local o = self.options[key]
   if not o then self:error('unknown option ' .. key) end
   if o.type == 'boolean' then
      -- a flag flips its default
      params[bare(key)] = not o.default
      return 1
   end
   local value = arg[i + 1]
   if not value then self:error('missing argument for option ' .. key) end
   if o.type == 'number' then
      value = tonumber(value)
   elseif o.type and o.type ~= 'string' then
      self:error('unknown required option type ' .. o.type)
   end
   if not value then self:error('invalid type for option ' .. key .. ' (should be ' .. o.type .. ')') end
   params[bare(key)] = value
   return 2
end

function CmdLine:parse(arg)
   arg = arg or {}
   local params = self:default()
   local n = 0
   local i = 1
   while i <= #arg do
      local a = arg[i]
      if a == '-help' or a == '-h' or a == '--help' then
         self:help(arg)
         os.exit(0)
      end
      if self.options[a] then
         i = i + self:__readOption__(params, arg, i)
      else
         n = n + 1
         i = i + self:__readArgument__(params, arg, i, n)
      end
   end
   if n ~= #self.arguments then self:error('not enough arguments') end
   return params
end

-- a name for an experiment: the arguments in order, then the options that differ from their
-- defaults, sorted (booleans as t/f)
function CmdLine:string(prefix, params, ignore)
   prefix = prefix or ''
   ignore = ignore or {}
   local args, opts = {}, {}
   for k, v in pairs(params) do
      local o = self.options['-' .. k]
      if ignore[k] then
         print('-- ignore option ' .. k)
      elseif o then
         if v ~= o.default or ignore[k] == false then
            if type(v) == 'boolean' then v = v and 't' or 'f' end
            opts[#opts + 1] = k .. self.keyseparator .. v
            print(k, v, o.default)
         end
      else
         local pos
         for j, a in ipairs(self.arguments) do
            if bare(a.key) == k then pos = j end
         end
         if pos then
            args[pos] = k .. self.keyseparator .. v
         else
            print('WARNING: unknown option/argument: ' .. k .. ' IGNORING for DIRECTORY NAME')
         end
      end
   end
   table.sort(opts)
   local s = table.concat(args, self.argseparator)
   if s == '' then
      s = table.concat(opts, self.argseparator)
   else
      s = s .. self.argseparator .. table.concat(opts, self.argseparator)
   end
   if s == '' then return prefix end
   return prefix .. self.argseparator .. s
end

-- from now on print also writes to file (with the date if addTime was called)
function CmdLine:log(file, params)
   local f = io.open(file, 'w')
   local oprint = print
   local cmd = self
   print = function(...)
      local n = select('#', ...)
      local vals = {...}
      if not cmd.silentio then oprint(...) end
      local parts = {}
      if cmd.dateformat then parts[#parts + 1] = os.date(cmd.dateformat) end
      for i = 1, n do parts[#parts + 1] = tostring(vals[i]) end
      parts[#parts + 1] = '\n'
      f:write(table.concat(parts, ' '))
      f:flush()
   end
   print('[program started on ' .. os.date() .. ']')
   print('[command line arguments]')
   if params then
      for k, v in pairs(params) do print(k, v) end
   end
   print('[----------------------]')
end

function CmdLine:help(arg)
   io.write('Usage: ')
   if arg then io.write(arg[0] .. ' ') end  -- a table without [0] fails here, as in Torch
   io.write('[options]')
   for _, a in ipairs(self.arguments) do io.write(' <' .. bare(a.key) .. '>') end
   io.write('\n')
   local width = 0
   for _, h in ipairs(self.helplines) do
      if type(h) == 'table' then
         local w = h.default ~= nil and #h.key or #bare(h.key) + 2
         if w > width then width = w end
      end
   end
   for _, h in ipairs(self.helplines) do
      if type(h) == 'table' then
         io.write('  ')
         if h.default ~= nil then
            io.write(padTo(h.key, width))
            if h.help then io.write(' ' .. h.help) end
            io.write(' [' .. tostring(h.default) .. ']')
         else
            io.write(padTo('<' .. bare(h.key) .. '>', width))
            if h.help then io.write(' ' .. h.help) end
         end
      else
         io.write(h)
      end
      io.write('\n')
   end
end

return CmdLine
