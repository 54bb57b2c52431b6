-- paths: Torch's file-name and directory functions (torch/paths), on Python's os module.

local py = require('torch')._py

paths = paths or {}
local paths = paths

local getcwd, listdir, isfile, isdir = py.os_cwd, py.os_listdir, py.os_isfile, py.os_isdir

local function checkstring(s, n, fname)
   if type(s) ~= 'string' then
      error(string.format("bad argument #%d to '%s' (string expected, got %s)", n, fname,
         type(s)), 3)
   end
end

-- '/a/./b/../c' -> '/a/c' (as paths.c's concat did: '.' and '..' components are resolved)
local function normalize(p)
   local absolute = p:sub(1, 1) == '/'
   local parts = {}
   for part in p:gmatch('[^/]+') do
      if part == '..' then
         if #parts > 0 and parts[#parts] ~= '..' then
            parts[#parts] = nil
         elseif not absolute then
            parts[#parts + 1] = '..'
         end
      elseif part ~= '.' then
         parts[#parts + 1] = part
      end
   end
   local s = table.concat(parts, '/')
   if absolute then return '/' .. s end
   return s == '' and '.' or s
end

function paths.cwd()
   return getcwd()
end

function paths.concat(...)
   local n = select('#', ...)
   local p = getcwd()
   for i = 1, n do
      local a = select(i, ...)
      checkstring(a, i, 'concat')
      if a:sub(1, 1) == '/' then p = a else p = p .. '/' .. a end
   end
   return normalize(p)
end

function paths.dirname(p)
   checkstring(p, 1, 'dirname')
   local s = p:gsub('/+$', '')
   if s == '' then return p:sub(1, 1) == '/' and '/' or '.' end
   local d = s:match('^(.*)/[^/]*$')
   if d == nil then return '.' end
   d = d:gsub('/+$', '')
   if d == '' then return '/' end
   return d
end

function paths.basename(p, suffix)
   checkstring(p, 1, 'basename')
   local s = p:gsub('/+$', '')
   if s == '' then return p:sub(1, 1) == '/' and '/' or '' end
   local b = s:match('([^/]*)$')
   if type(suffix) == 'string' and suffix ~= '' then
      local ext = suffix:sub(1, 1) == '.' and suffix or '.' .. suffix
      if #b > #ext and b:sub(-#ext) == ext then b = b:sub(1, -#ext - 1) end
   end
   return b
end

-- what follows the last dot of the whole path (paths.c looks no further than that: a dot in a
-- directory's name counts, and a leading dot too)
function paths.extname(p)
   checkstring(p, 1, 'extname')
   return p:match('^.*%.(.-)$')
end

function paths.filep(p)
   return type(p) == 'string' and isfile(p) or false
end

function paths.dirp(p)
   return type(p) == 'string' and isdir(p) or false
end

-- the missing parents first, as paths.c does (their failures are not reported)
function paths.mkdir(p)
   checkstring(p, 1, 'mkdir')
   local parent = paths.dirname(p)
   if parent and not paths.dirp(parent) then paths.mkdir(parent) end
   return py.os_mkdir(p)
end

function paths.rmdir(p)
   checkstring(p, 1, 'rmdir')
   return py.os_rmdir(p)
end

function paths.dir(p)
   checkstring(p, 1, 'dir')
   return listdir(p)
end

-- files(s [, include]): an iterator over the entries of s; include is a function(name) or a
-- pattern that an entry must pass or match
function paths.files(s, include)
   local d = paths.dir(s)
   local n = 0
   return function()
      while d do
         n = n + 1
         local f = d[n]
         if f == nil then return nil end
         if include == nil then return f end
         if type(include) == 'function' then
            if include(f) then return f end
         elseif f:find(include) then
            return f
         end
      end
      return nil
   end
end

function paths.iterdirs(s)
   return paths.files(s, function(f)
      return f ~= '.' and f ~= '..' and paths.dirp(paths.concat(s, f))
   end)
end

function paths.iterfiles(s)
   return paths.files(s, function(f)
      return paths.filep(paths.concat(s, f))
   end)
end

function paths.rmall(d, more)
   if more ~= 'yes' then
      return nil, "missing second argument ('yes')"
   elseif paths.filep(d) then
      return os.remove(d)
   elseif paths.dirp(d) then
      for f in paths.files(d) do
         if f ~= '.' and f ~= '..' then
            local ff = paths.concat(d, f)
            local r0, r1 = paths.rmall(ff, more)
            if not r0 then return r0, r1, ff end
         end
      end
      return paths.rmdir(d)
   end
   return nil, 'not a file or directory', d
end

function paths.tmpname()
   return py.os_tmpname()
end

function paths.uname()
   return py.os_uname()
end

function paths.is_win()
   return paths.uname():match('Windows')
end

function paths.is_mac()
   return paths.uname():match('Darwin')
end

paths.home = os.getenv('HOME') or py.os_home() or '.'

function paths.thisfile(arg, depth)
   local s = debug.getinfo(depth or 2).source
   if type(s) ~= 'string' then
      s = nil
   elseif s:match('^@') then
      s = paths.concat(s:sub(2))
   else
      s = nil
   end
   if type(arg) == 'string' then
      if s then s = paths.concat(paths.dirname(s), arg) else s = arg end
   end
   return s
end

function paths.dofile(f, depth)
   local s = paths.thisfile(nil, 1 + (depth or 2))
   if s and s ~= '' then f = paths.concat(paths.dirname(s), f) end
   return dofile(f)
end

function paths.findprogram(...)
   for i = 1, select('#', ...) do
      local exe = select(i, ...)
      for dir in (os.getenv('PATH') or '.'):gmatch('[^:]+') do
         local x = paths.concat(dir, exe)
         if paths.filep(x) then return x end
      end
   end
   return nil
end

-- nil: Torch's build of paths.c has no executable-dir lookup (HAVE_LUA_EXECUTABLE_DIR unset)
function paths.execdir()
   return nil
end

function paths.getregistryvalue()
   error('This function exists only on windows', 0)  -- a C function's error: no position
end

-- paths.require loaded C libraries by name in Torch; here every package is Lua
function paths.require(name)
   return require(name)
end

-- where Torch would be installed: the luatorch package's Lua folder stands in for it
local luadir = package.path:match('^([^;]*)/%?%.lua') or '.'
paths.install_prefix = luadir
paths.install_lua_path = luadir
paths.install_bin = luadir
paths.install_lib = luadir
paths.install_share = luadir
paths.install_include = luadir
paths.install_cmake = luadir

return paths
