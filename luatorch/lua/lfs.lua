-- lfs: the LuaFileSystem functions Torch scripts use (char-rnn and friends), on Python's os.

local py = require('torch')._py

lfs = lfs or {}
local lfs = lfs

-- attributes(path [, name]): the attribute table, one attribute, or nil and a message
function lfs.attributes(path, name)
   if type(path) ~= 'string' then
      error("bad argument #1 to 'attributes' (string expected, got " .. type(path) .. ')', 2)
   end
   local a, err = py.os_attributes(path, true)
   if a == nil then return nil, err end
   if type(name) == 'string' then return a[name] end
   if type(name) == 'table' then
      for k, v in pairs(a) do name[k] = v end
      return name
   end
   return a
end

function lfs.symlinkattributes(path, name)
   local a, err = py.os_attributes(path, false)
   if a == nil then return nil, err end
   if type(name) == 'string' then return a[name] end
   return a
end

function lfs.currentdir()
   return py.os_cwd()
end

function lfs.chdir(path)
   return py.os_chdir(path)
end

function lfs.mkdir(path)
   return py.os_mkdir(path)
end

function lfs.rmdir(path)
   return py.os_rmdir(path)
end

function lfs.touch(path, atime, mtime)
   return py.os_touch(path, atime, mtime)
end

-- dir(path): an iterator over the entries ('.' and '..' first) and a directory object
function lfs.dir(path)
   local entries = py.os_listdir(path)
   if entries == nil then
      error('cannot open ' .. tostring(path) .. ': No such file or directory', 2)
   end
   local i = 0
   local obj = {}
   function obj:next()
      i = i + 1
      return entries[i]
   end
   function obj:close() i = #entries end
   return function() return obj:next() end, obj
end

function lfs.lock() return true end
function lfs.unlock() return true end
function lfs.setmode() return true, 'binary' end

lfs._VERSION = 'LuaFileSystem 1.6.3 (luatorch)'

return lfs
