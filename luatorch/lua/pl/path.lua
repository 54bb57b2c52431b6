-- Penlight's path: file-name manipulation (join, splitext, normpath ...) and questions to the file
-- system (exists, isdir, getsize ...) answered through lfs. POSIX names only.

local utils = require 'pl.utils'
local lfs = require 'lfs'

local path = {}

local sep = '/'
path.sep = sep
path.dirsep = ':'
path.is_windows = false

local function assertString(n, s) utils.assert_arg(n, s, 'string', nil, nil, 4) end

local function attrib(P, what)
   return lfs.attributes(P, what)
end

path.attrib = attrib
path.link_attrib = lfs.symlinkattributes
path.currentdir = lfs.currentdir
path.chdir = lfs.chdir
path.mkdir = lfs.mkdir
path.rmdir = lfs.rmdir
path.dir = lfs.dir

function path.isdir(P)
   assertString(1, P)
   return attrib(P, 'mode') == 'directory'
end

function path.isfile(P)
   assertString(1, P)
   return attrib(P, 'mode') == 'file'
end

function path.islink(P)
   assertString(1, P)
   return lfs.symlinkattributes(P, 'mode') == 'link'
end

function path.getsize(P)
   assertString(1, P)
   return attrib(P, 'size')
end

-- P itself when something exists there, false otherwise
function path.exists(P)
   assertString(1, P)
   return attrib(P, 'mode') ~= nil and P
end

function path.getatime(P)
   assertString(1, P)
   return attrib(P, 'access')
end

function path.getmtime(P)
   assertString(1, P)
   return attrib(P, 'modification')
end

function path.getctime(P)
   assertString(1, P)
   return attrib(P, 'change')
end

-- directory and file name: 'a/b/c.txt' -> 'a/b', 'c.txt'
function path.splitpath(P)
   assertString(1, P)
   local i = #P
   while i > 0 and P:sub(i, i) ~= sep do i = i - 1 end
   if i == 0 then return '', P end
   return P:sub(1, i - 1), P:sub(i + 1)
end

-- root and extension (with its dot): 'a/b.tar.gz' -> 'a/b.tar', '.gz'
function path.splitext(P)
   assertString(1, P)
   local i = #P
   while i > 0 do
      local ch = P:sub(i, i)
      if ch == '.' then return P:sub(1, i - 1), P:sub(i) end
      if ch == sep then break end
      i = i - 1
   end
   return P, ''
end

function path.dirname(P)
   assertString(1, P)
   return (path.splitpath(P))
end

function path.basename(P)
   assertString(1, P)
   local _, name = path.splitpath(P)
   return name
end

function path.extension(P)
   assertString(1, P)
   local _, ext = path.splitext(P)
   return ext
end

function path.isabs(P)
   assertString(1, P)
   return P:sub(1, 1) == sep
end

-- the parts joined with '/'; an absolute part starts the path afresh
function path.join(p1, p2, ...)
   assertString(1, p1)
   if p2 == nil then return p1 end
   assertString(2, p2)
   if select('#', ...) > 0 then
      return path.join(path.join(p1, p2), ...)
   end
   if path.isabs(p2) then return p2 end
   if p1 ~= '' and p1:sub(-1) ~= sep then p1 = p1 .. sep end
   return p1 .. p2
end

function path.normcase(P)
   assertString(1, P)
   return P
end

-- '.' and '..' resolved and separators collapsed: 'A//B', 'A/./B', 'A/x/../B' -> 'A/B'
function path.normpath(P)
   assertString(1, P)
   local anchor = ''
   if P:find('^//') and not P:find('^///') then
      anchor = '//'
   elseif P:find('^/') then
      anchor = '/'
   end
   local parts = {}
   for part in P:gmatch('[^/]+') do
      if part == '..' then
         if #parts > 0 and parts[#parts] ~= '..' then
            parts[#parts] = nil
         else
            parts[#parts + 1] = '..'
         end
      elseif part ~= '.' then
         parts[#parts + 1] = part
      end
   end
   local res = anchor .. table.concat(parts, sep)
   if res == '' then res = '.' end
   return res
end

function path.abspath(P, pwd)
   assertString(1, P)
   if not path.isabs(P) then P = path.join(pwd or lfs.currentdir(), P) end
   return path.normpath(P)
end

-- P relative to start (default: the current directory)
function path.relpath(P, start)
   assertString(1, P)
   start = path.abspath(start or lfs.currentdir())
   P = path.abspath(P)
   local from, to = {}, {}
   for part in start:gmatch('[^/]+') do from[#from + 1] = part end
   for part in P:gmatch('[^/]+') do to[#to + 1] = part end
   local common = 0
   while common < #from and common < #to and from[common + 1] == to[common + 1] do
      common = common + 1
   end
   local res = {}
   for _ = common + 1, #from do res[#res + 1] = '..' end
   for i = common + 1, #to do res[#res + 1] = to[i] end
   return table.concat(res, sep)
end

-- a leading '~' replaced by the home directory
function path.expanduser(P)
   assertString(1, P)
   if P:sub(1, 1) ~= '~' then return P end
   local home = os.getenv('HOME')
   if not home then return utils.raise('failed to expand \'~\' (HOME not set)') end
   return home .. P:sub(2)
end

function path.tmpname()
   return os.tmpname()
end

-- the longest leading directory path1 and path2 share ('/a/b/c', '/a/b/d' -> '/a/b/')
function path.common_prefix(path1, path2)
   assertString(1, path1)
   assertString(2, path2)
   if #path1 > #path2 then path1, path2 = path2, path1 end
   for i = 1, #path1 do
      if path1:sub(i, i) ~= path2:sub(i, i) then
         local cp = path1:sub(1, i - 1)
         if path1:sub(i - 1, i - 1) ~= sep then cp = path.dirname(cp) end
         return cp
      end
   end
   if path2:sub(#path1 + 1, #path1 + 1) ~= sep then path1 = path.dirname(path1) end
   return path1
end

-- where require would find module mod: the file, and true for Lua source
function path.package_path(mod)
   utils.assert_string(1, mod)
   local found = package.searchpath(mod, package.path)
   if found then return found, true end
   found = package.searchpath(mod, package.cpath)
   if found then return found, false end
   return utils.raise('cannot find module on path\n' .. mod)
end

return path
