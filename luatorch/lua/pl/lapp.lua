-- Penlight's lapp: command-line arguments parsed from the usage text itself.
--
--    local args = lapp [[
--    Scales a number
--      -o,--offset (default 0.0)  added after scaling
--      -s,--scale  (number)       scaling factor
--      -v,--verbose               print more
--      <number>    (number)       the number to scale
--    ]]
--
-- A flag line is `-s,--long`, `-s` or `--long` followed by its description; a `(...)` right after
-- it gives a type (string, number, boolean, file-in, file-out, a range `1..10`, choices `a|b|c`,
-- or a type added with lapp.add_type), `optional`, and/or `default value`. A flag without `(...)`
-- is a boolean. `<name>` lines are positional parameters (`<files...>` takes the rest). Errors
-- print `script: message`, the usage, and exit(1); -h/--help prints the usage and exits.

local lapp = {}

lapp.callback = false
lapp.show_usage_error = true
lapp.slack = false

local usage, openFiles
local customTypes = {}

local builtinTypes = {string = true, number = true, boolean = true,
                      ['file-in'] = 'file', ['file-out'] = 'file'}

local standardFiles = {stdin = {io.stdin, 'file-in'}, stdout = {io.stdout, 'file-out'},
                       stderr = {io.stderr, 'file-out'}}

-- the script's name as errors show it: arg[0] without folder and extension
local script = 'inter'
if arg then
   script = (arg[0] or rawget(_G, 'LAPP_SCRIPT') or 'unknown'):gsub('.+[\\/]', ''):gsub('%.%a+$', '')
end

local function strip(s) return (s:gsub('^%s+', ''):gsub('%s+$', '')) end

function lapp.quit(msg, no_usage)
   if no_usage == 'throw' then error(msg) end
   if msg then io.stderr:write(msg .. '\n\n') end
   if not no_usage then io.stderr:write(usage) end
   os.exit(1)
end

function lapp.error(msg, no_usage)
   if not lapp.show_usage_error then
      no_usage = true
   elseif lapp.show_usage_error == 'throw' then
      no_usage = 'throw'
   end
   lapp.quit(script .. ': ' .. msg, no_usage)
end

function lapp.open(file, opt)
   local f, err = io.open(file, opt)
   if not f then lapp.error(err, true) end
   openFiles[#openFiles + 1] = f
   return f
end

function lapp.assert(condition, msg)
   if not condition then lapp.error(msg) end
end

-- a type of your own: converter(string) gives the value (or names a builtin type);
-- constraint(value) calls lapp.error/lapp.assert when the value is not acceptable
function lapp.add_type(name, converter, constraint)
   customTypes[name] = {converter = converter, constraint = constraint}
end

local function toNumber(s)
   local v = tonumber(s)
   if not v then lapp.error('unable to convert to number: ' .. s) end
   return v
end

local function convert(ps, val)
   if ps.converter then val = ps.converter(val) end
   if ps.type == 'number' then
      val = toNumber(val)
   elseif builtinTypes[ps.type] == 'file' then
      val = lapp.open(val, ps.type == 'file-in' and 'r' or 'w')
   elseif ps.type == 'boolean' then
      return val
   end
   if ps.constraint then ps.constraint(val) end
   return val
end

-- a default's value and type: numbers, stdin/stdout/stderr, true, else converted as vtype
local function defaultValue(text, vtype)
   if not vtype or vtype == 'number' then
      local n = tonumber(text)
      if n then return n, 'number' end
   end
   if standardFiles[text] then return standardFiles[text][1], standardFiles[text][2] end
   if text == 'true' and not vtype then return true, 'boolean' end
   if text:match('^["\']') then text = text:sub(2, -2) end
   local ps = {type = vtype}
   for k, v in pairs(customTypes[vtype] or {}) do ps[k] = v end
   local saved = lapp.show_usage_error
   lapp.show_usage_error = 'throw'
   local ok, val = pcall(convert, ps, text)
   lapp.show_usage_error = saved
   if ok then return val, vtype or 'string' end
   return text, vtype or 'string'
end

-- the (...) part of a parameter line: type, constraint, default, optional
local function parseSpec(name, spec)
   local ftype, rest = strip(spec):match('^(%S+)(.*)$')
   rest = strip(rest or '')
   local optional, isDefault, vtype, constraint = false, false, nil, nil
   if ftype == 'optional' then
      ftype, rest = rest:match('^(%S+)(.*)$')
      rest = strip(rest or '')
      optional = true
   end
   if ftype == 'default' then
      isDefault = true
      if rest == '' then lapp.error('value must follow default') end
   else
      local lo, hi = (ftype or ''):match('^([%+%-%d][%d%.eE%+%-]*)%.%.([%+%-%d][%d%.eE%+%-]*)$')
      if lo and tonumber(lo) and tonumber(hi) then
         lo, hi = tonumber(lo), tonumber(hi)
         vtype = 'number'
         constraint = function(x) lapp.assert(lo <= x and hi >= x, name .. ' out of range') end
      elseif not (ftype or ''):find('|', 1, true) then
         vtype = ftype
      else
         local choices = '|' .. ftype .. '|'
         vtype = 'string'
         constraint = function(s)
            lapp.assert(choices:find('|' .. s .. '|', 1, true),
                        "value '" .. s .. "' not in " .. ftype)
         end
      end
   end
   local defval, defvalText
   local after = isDefault and rest or rest:match('^default%s+(%S.*)$')
   if after then
      defvalText = after
      defval, vtype = defaultValue(after, vtype)
   end
   return vtype, constraint, defval, defvalText, optional
end

-- parse `args` (default: the global arg) as the usage text `str` describes
function lapp.process_options_string(str, args)
   local results, parms, aliases, parmlist = {}, {}, {}, {}
   local argv = args or _G.arg
   openFiles = {}
   usage = str

   local function setResult(ps, name, val)
      if type(name) == 'string' then name = name:gsub('%W', '_') end
      if not ps.varargs then
         results[name] = val
      elseif results[name] then
         table.insert(results[name], val)
      else
         results[name] = {val}
      end
   end

   for _, a in ipairs(argv) do
      if a == '-h' or a == '--help' then return lapp.quit() end
   end

   -- the parameters the usage text declares
   for line in str:gmatch('([^\n]*)\n') do
      line = line:gsub('^%s+', '')
      local name, rest, varargs
      local short, long, r = line:match('^%-([%a_][%w_]*),%s*%-%-([%a_][%w_%-]*)%s*(%S.*)$')
      if not short then short, r = line:match('^%-([%a_][%w_]*)%s*(%S.*)$') end
      if not short then long, r = line:match('^%-%-([%a_][%w_%-]*)%s*(%S.*)$') end
      if short or long then
         if long then
            name = long:gsub('[^%w%-]', '_')
            if #r == 1 then name = name .. r end
            if short then aliases[short] = name end
         else
            name = short
         end
         if short and not lapp.slack and #short ~= 1 then
            lapp.error(short .. ': short parameters should be one character')
         end
         local n
         r, n = r:gsub('^%.%.%.%s*', '')
         varargs = n > 0
         rest = r
      else
         local pname, prest = line:match('^<([^>]*)>%s*(%S.*)$')
         if not pname then pname = line:match('^<([^>]*)>%s*$') end
         if pname then
            local base, dots = pname:match('([^%.]+)(.*)')
            name = base:sub(1, 1):gsub('%A', '_') .. base:sub(2):gsub('%W', '_')
            varargs = dots == '...'
            parmlist[#parmlist + 1] = name
            rest = prest or ''
         end
      end
      if rest then
         local ps
         local spec = rest:match('^(%b())')
         if spec then
            local vtype, constraint, defval, defvalText, optional = parseSpec(name, spec:sub(2, -2))
            ps = {type = vtype, defval = defval, defval_str = defvalText,
                  required = defval == nil and not optional, constraint = constraint}
         else
            ps = {type = 'boolean', defval = false, required = false}
         end
         ps.varargs = varargs
         local custom = customTypes[ps.type]
         if custom then
            if type(custom.converter) == 'string' then
               ps.type = custom.converter
            else
               ps.converter = custom.converter
            end
            ps.constraint = custom.constraint
         elseif ps.type and not builtinTypes[ps.type] then
            lapp.error(ps.type .. ' is unknown type')
         end
         parms[name] = ps
      end
   end

   -- the command line
   local iparm, iextra, i = 1, 1, 1
   local endOfFlags = false
   local function splitValue(p)
      local eq = p:find('[=:]')
      if eq then
         table.insert(argv, i + 1, p:sub(eq + 1))
         p = p:sub(1, eq - 1)
      end
      return p, eq
   end
   local function isFlag(p) return parms[aliases[p] or p] end

   while i <= #argv do
      local theArg = argv[i]
      local name, val
      if theArg == '--' then
         endOfFlags = true
         iparm = #parmlist + 1
         i = i + 1
         theArg = argv[i]
         if not theArg then break end
      end
      local long = not endOfFlags and theArg:match('^%-%-(%S+)')
      local short = not endOfFlags and not long and theArg:match('^%-(%S+)')
      if long then
         name = splitValue(long)
      elseif short then
         if #short == 1 or isFlag(short) then
            name = short
         else
            local p, eq = splitValue(short)
            if eq then
               name = p
            else
               name = p:sub(1, 1)
               local flag = isFlag(name)
               if flag and flag.type ~= 'boolean' then
                  table.insert(argv, i + 1, p:sub(2))  -- -o1.5
               else
                  for k = 2, #p do table.insert(argv, i + k - 1, '-' .. p:sub(k, k)) end
               end
            end
         end
         name = aliases[name] or name
         if not parms[name] and (name == 'h' or name == 'help') then lapp.quit() end
      else
         name = parmlist[iparm]
         if not name then
            name = iextra
            parms[name] = {type = 'string'}
            iextra = iextra + 1
         elseif not parms[name].varargs then
            iparm = iparm + 1
         end
         val = theArg
      end
      local ps = parms[name]
      if not ps then lapp.error('unrecognized parameter: ' .. name) end
      if ps.type ~= 'boolean' then
         if not val then
            i = i + 1
            val = argv[i]
            theArg = val
         end
         lapp.assert(val, name .. ' was expecting a value')
      else
         val = not ps.defval
      end
      ps.used = true
      val = convert(ps, val)
      setResult(ps, name, val)
      if builtinTypes[ps.type] == 'file' then setResult(ps, name .. '_name', theArg) end
      if lapp.callback then lapp.callback(name, theArg, {}) end
      i = i + 1
   end

   for name, ps in pairs(parms) do
      if not ps.used then
         if ps.required then lapp.error('missing required parameter: ' .. name) end
         setResult(ps, name, ps.defval)
         if builtinTypes[ps.type] == 'file' then setResult(ps, name .. '_name', ps.defval_str) end
      end
   end
   return results
end

setmetatable(lapp, {
   __call = function(_, str, args) return lapp.process_options_string(str, args) end,
})

return lapp
