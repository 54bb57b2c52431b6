-- Penlight's compat: what differs between Lua versions, seen from LuaJIT (Lua 5.1 with extras).

local compat = {}

compat.lua51 = true
compat.jit = jit ~= nil
compat.jit52 = false
compat.dir_separator = package.config:sub(1, 1)
compat.is_windows = compat.dir_separator == '\\'

-- os.execute's results in Lua 5.2 form: ok, 'exit', code
function compat.execute(cmd)
   local res1, res2, res3 = os.execute(cmd)
   if res2 == nil then  -- Lua 5.1: a status code
      local code = res1 or 0
      if code > 255 then code = math.floor(code / 256) end
      return code == 0, 'exit', code
   end
   return res1, res2, res3
end

-- load(chunk, name, mode, env) as in Lua 5.2
function compat.load(chunk, name, mode, env)
   local fn, err
   if type(chunk) == 'string' then
      if mode == 't' and chunk:byte(1) == 27 then
         return nil, 'attempt to load a binary chunk'
      end
      fn, err = loadstring(chunk, name)
   else
      fn, err = load(chunk, name)
   end
   if fn and env then setfenv(fn, env) end
   return fn, err
end

compat.setfenv = setfenv
compat.getfenv = getfenv
compat.unpack = unpack
compat.pack = function(...) return {n = select('#', ...), ...} end

-- Lua 5.4's warn(), which Penlight (1.9 on) defines as a global on older Luas: off until
-- warn('@on'); then each message goes to stderr as 'Lua warning: ...'
if not rawget(_G, 'warn') then
   local enabled = false
   rawset(_G, 'warn', function(msg, ...)
      if type(msg) == 'string' and msg:sub(1, 1) == '@' then
         if msg == '@on' then
            enabled = true
         elseif msg == '@off' then
            enabled = false
         end
         return
      end
      if enabled then
         io.stderr:write('Lua warning: ', msg, ...)
         io.stderr:write('\n')
      end
   end)
end

return compat
