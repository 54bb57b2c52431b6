-- sys: Torch's small system toolbox (torch/sys): timers, shell commands, colours.

local torch = require 'torch'
local paths = require 'paths'
local py = torch._py

sys = sys or {}
local sys = sys

-- wall-clock seconds (libsys' clock is gettimeofday)
local pyClock = py.os_clock
function sys.clock() return pyClock() end  -- a Lua function, as libsys' C function

function sys.usleep(us)
   py.os_sleep((us or 0) / 1e6)
end

function sys.sleep(seconds)
   py.os_sleep(seconds or 0)
end


local t0
function sys.tic()
   t0 = sys.clock()
end

function sys.toc(verbose)
   local dt = sys.clock() - (t0 or sys.clock())
   if verbose then print(dt) end
   return dt
end

local function trim(s)
   return (s:gsub('^%s*', ''):gsub('%s*$', ''))
end

-- run a shell command and return what it printed (stdout and stderr), trimmed; the caller's
-- command line by contract (Torch's API): nothing in luatorch passes data to it
function sys.execute(cmd)
   local f = io.popen(cmd .. ' 2>&1')
   local s = f:read('*all')
   f:close()
   return trim(s)
end

-- the same through a temporary file
function sys.fexecute(cmd)
   local tmp = os.tmpname()
   os.execute(cmd .. ' 1>' .. tmp .. ' 2>' .. tmp)
   local f = assert(io.open(tmp))
   local s = f:read('*all')
   f:close()
   os.remove(tmp)
   return trim(s)
end

function sys.uname()
   local s = paths.uname()
   if s:find('Windows') then return 'windows' end
   if s:find('Linux') then return 'linux' end
   if s:find('Darwin') then return 'macos' end
   return '?'
end
sys.OS = sys.uname()

function sys.ls(d) return sys.execute('ls ' .. (d or ' ')) end
function sys.ll(d) return sys.execute('ls -l ' .. (d or ' ')) end
function sys.la(d) return sys.execute('ls -a ' .. (d or ' ')) end
function sys.lla(d) return sys.execute('ls -la ' .. (d or ' ')) end

sys.prefix = paths.install_prefix

-- the folder and name of the file calling it
function sys.fpath()
   local fpath = debug.getinfo(2).source:gsub('^@', '')
   if fpath:find('/') ~= 1 then fpath = paths.concat(paths.cwd(), fpath) end
   return paths.dirname(fpath), paths.basename(fpath)
end

function sys.split(str, pat)
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

function sys.isNaN(x)
   return x ~= x
end


sys.COLORS = {
   none = '\27[0m',
   black = '\27[0;30m', red = '\27[0;31m', green = '\27[0;32m', yellow = '\27[0;33m',
   blue = '\27[0;34m', magenta = '\27[0;35m', cyan = '\27[0;36m', white = '\27[0;37m',
   Black = '\27[1;30m', Red = '\27[1;31m', Green = '\27[1;32m', Yellow = '\27[1;33m',
   Blue = '\27[1;34m', Magenta = '\27[1;35m', Cyan = '\27[1;36m', White = '\27[1;37m',
   _black = '\27[40m', _red = '\27[41m', _green = '\27[42m', _yellow = '\27[43m',
   _blue = '\27[44m', _magenta = '\27[45m', _cyan = '\27[46m', _white = '\27[47m',
}

-- backward compatibility, as upstream
sys.dirname = paths.dirname
sys.concat = paths.concat

return sys
