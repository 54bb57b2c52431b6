-- What Torch's LuaJIT does differently, being built with Lua 5.2 compatibility
-- (LUAJIT_ENABLE_LUA52COMPAT), done here in Lua since our LuaJIT is built without it:
--  * `#t` calls a table's __len: user chunks are rewritten as they load (compat52/len.lua);
--    luatorch's own library, written for plain 5.1, loads as it is
--  * pairs and ipairs honour __pairs and __ipairs (tds, csvigo's large mode rely on it)
--  * io.write and file:write return the file; coroutine.running() also says whether it is
--    the main coroutine; rawlen; os.execute's three results; package.searchers;
--    debug.setmetatable returns its object, debug.getuservalue/setuservalue;
--    table.pack/table.unpack (torch/init.lua)
-- Installed once per state, by torch/init.lua before anything else loads.
local registry = debug.getregistry()
if registry.__luatorch_compat52 then return true end
registry.__luatorch_compat52 = true

local len = require 'compat52.len'
local rewrite = len.rewrite
local type, getmetatable, rawget, error, select = type, getmetatable, rawget, error, select

local rawpairs, rawipairs = pairs, ipairs
function pairs(t)
   local mt = getmetatable(t)
   local f = type(mt) == 'table' and rawget(mt, '__pairs')
   if f then return f(t) end
   return rawpairs(t)
end
function ipairs(t)
   local mt = getmetatable(t)
   local f = type(mt) == 'table' and rawget(mt, '__ipairs')
   if f then return f(t) end
   return rawipairs(t)
end

---------------------------------------------------------------------------------------------
-- loading: every way a chunk of source gets compiled goes through rewrite
---------------------------------------------------------------------------------------------
local rawloadstring, rawload, rawloadfile = loadstring, load, loadfile
local open = io.open
-- luatorch's own Lua library (this file's folder): loaded unchanged
local ownRoot = debug.getinfo(1, 'S').source:match('^@(.*[/\\])compat52%.lua$')

local function isOwn(path)
   return ownRoot ~= nil and path:sub(1, #ownRoot) == ownRoot
end

function loadstring(s, chunkname)
   if type(s) == 'string' then
      return rawloadstring(rewrite(s), chunkname or s)
   end
   return rawloadstring(s, chunkname)
end

function load(chunk, chunkname, ...)
   if type(chunk) == 'string' then
      return rawload(rewrite(chunk), chunkname or chunk, ...)
   elseif type(chunk) == 'function' then
      -- the reader's pieces, read all first so that the whole source is rewritten
      local pieces, n = {}, 0
      while true do
         local piece = chunk()
         if piece == nil or piece == '' then break end
         if type(piece) ~= 'string' then
            error('reader function must return a string', 0)
         end
         n = n + 1
         pieces[n] = piece
      end
      return rawload(rewrite(table.concat(pieces)), chunkname or '=(load)', ...)
   end
   return rawload(chunk, chunkname, ...)
end

-- the file's source, or nil when loadfile itself should handle it (stdin, unreadable, ours)
local function readSource(path)
   if type(path) ~= 'string' or isOwn(path) then return nil end
   local f = open(path, 'rb')
   if not f then return nil end
   local src = f:read('*a')
   f:close()
   return src
end

function loadfile(path, ...)
   local src = readSource(path)
   if not src or src:byte(1) == 27 then return rawloadfile(path, ...) end
   return rawloadstring(rewrite(src), '@' .. path)
end

function dofile(path)
   local f, err = loadfile(path)
   if not f then error(err, 0) end
   return f()
end

-- require's searcher for Lua files, as LuaJIT's own but loading through loadfile above
local searchpath = package.searchpath
package.loaders[2] = function(name)
   local path, err = searchpath(name, package.path)
   if not path then return err end
   local f, msg = loadfile(path)
   if not f then
      error(("error loading module '%s' from file '%s':\n\t%s"):format(name, path, msg), 0)
   end
   return f
end

---------------------------------------------------------------------------------------------
-- library functions
---------------------------------------------------------------------------------------------
-- file:write returns the file (io.write, which torch routes to the front end, too: torch/init.lua)
do
   local methods = getmetatable(io.stderr).__index
   local rawwrite = methods.write
   local iotype = io.type
   function methods.write(f, ...)
      -- LuaJIT's words, at the caller's line (not this wrapper's)
      if iotype(f) == 'closed file' then error('attempt to use a closed file', 2) end
      local ok, msg, code = rawwrite(f, ...)
      if ok then return f end
      return ok, msg, code
   end
end

-- coroutine.running(): the coroutine and whether it is the main one
do
   local rawrunning = coroutine.running
   function coroutine.running()
      local co = rawrunning()
      if co then return co, false end
      -- 5.2 mode returns the main coroutine itself, which Lua code cannot reach: nil here
      return nil, true
   end
end

-- os.execute says how the command ended: true or nil, 'exit' or 'signal',
-- the code (luaL_execresult)
local function execResult(stat)
   if stat % 256 ~= 0 then          -- killed by a signal: its number in the low bits
      return nil, 'signal', stat % 128
   end
   local code = math.floor(stat / 256)
   if code == 0 then return true, 'exit', 0 end
   return nil, 'exit', code
end

do
   local rawexecute = os.execute
   function os.execute(cmd)
      if cmd == nil then return true end   -- 5.2 mode: a shell is there
      local stat = rawexecute(cmd)
      if stat == -1 then return nil, 'execute failed', -1 end
      return execResult(stat)
   end
end

package.searchers = package.loaders

-- debug: setmetatable returns its object; userdata's user value (its environment table)
do
   local rawsetmetatable, getfenv, setfenv = debug.setmetatable, debug.getfenv, debug.setfenv
   function debug.setmetatable(o, mt)
      rawsetmetatable(o, mt)
      return o
   end
   function debug.getuservalue(o)
      if type(o) == 'userdata' then return getfenv(o) end
      return nil
   end
   function debug.setuservalue(o, t)
      if type(o) ~= 'userdata' then
         error("bad argument #1 to 'setuservalue' (userdata expected, got " .. type(o) .. ')', 2)
      end
      if type(t) ~= 'table' then
         error("bad argument #2 to 'setuservalue' (table expected, got " .. type(t) .. ')', 2)
      end
      setfenv(o, t)
      return o
   end
end

-- rawlen, which LuaJIT defines in 5.2 mode only
function rawlen(x)
   local tx = type(x)
   if tx ~= 'table' and tx ~= 'string' then
      error("bad argument #1 to 'rawlen' (table or string expected)", 2)
   end
   return #x
end

return true
