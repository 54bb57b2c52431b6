-- Penlight's dir: listing (getfiles, getdirectories, getallfiles, walk, dirtree), shell
-- wildcards (fnmatch, filter) and whole-tree operations (makepath, rmtree, copyfile, clonetree).

local utils = require 'pl.utils'
local path = require 'pl.path'
local lfs = require 'lfs'

local dir = {}

local function makeList(t) return setmetatable(t, require 'pl.List') end

local function assertString(n, s) utils.assert_arg(n, s, 'string', nil, nil, 4) end

-- a shell wildcard ('*.lua', 'data?.[ct]sv') as an anchored Lua pattern
local function wildcardPattern(pattern)
   local out, i = {'^'}, 1
   while i <= #pattern do
      local c = pattern:sub(i, i)
      if c == '*' then
         out[#out + 1] = '.*'
      elseif c == '?' then
         out[#out + 1] = '.'
      elseif c == '[' then
         local j = pattern:find(']', i + 1, true)
         if j then
            local body = pattern:sub(i + 1, j - 1):gsub('^!', '^'):gsub('%%', '%%%%')
            out[#out + 1] = '[' .. body .. ']'
            i = j
         else
            out[#out + 1] = '%['
         end
      elseif c:find('%p') then
         out[#out + 1] = '%' .. c
      else
         out[#out + 1] = c
      end
      i = i + 1
   end
   out[#out + 1] = '$'
   return table.concat(out)
end

function dir.fnmatch(filename, pattern)
   assertString(1, filename)
   assertString(2, pattern)
   return filename:find(wildcardPattern(pattern)) ~= nil
end

function dir.filter(filenames, pattern)
   utils.assert_arg(1, filenames, 'table')
   assertString(2, pattern)
   local lpat, res = wildcardPattern(pattern), {}
   for _, f in ipairs(filenames) do
      if path.basename(f):find(lpat) then res[#res + 1] = f end
   end
   return makeList(res)
end

-- entries of a directory (without . and ..) for which keep(fullpath) is true
local function entries(dirname, keep)
   local res = {}
   local ok, iter, state = pcall(lfs.dir, dirname)
   if not ok then error(iter, 3) end
   for name in iter, state do
      if name ~= '.' and name ~= '..' then
         local full = path.join(dirname, name)
         if keep(full, name) then res[#res + 1] = full end
      end
   end
   return res
end

-- the files of a directory (full names), optionally those matching a wildcard
function dir.getfiles(dirname, mask)
   dirname = dirname or '.'
   assertString(1, dirname)
   if not path.isdir(dirname) then return utils.raise('not a directory') end
   local lpat = mask and wildcardPattern(mask)
   return makeList(entries(dirname, function(full, name)
      return path.isfile(full) and (not lpat or name:find(lpat) ~= nil)
   end))
end

function dir.getdirectories(dirname)
   dirname = dirname or '.'
   assertString(1, dirname)
   if not path.isdir(dirname) then return utils.raise('not a directory') end
   return makeList(entries(dirname, function(full) return path.isdir(full) end))
end

function dir.copyfile(src, dest, flag)
   assertString(1, src)
   assertString(2, dest)
   if path.isdir(dest) then dest = path.join(dest, path.basename(src)) end
   if flag == false and path.exists(dest) then return false, 'destination exists' end
   local data, err = utils.readfile(src, true)
   if not data then return false, err end
   local ok, werr = utils.writefile(dest, data, true)
   if not ok then return false, werr end
   return true
end

function dir.movefile(src, dest)
   assertString(1, src)
   assertString(2, dest)
   if path.isdir(dest) then dest = path.join(dest, path.basename(src)) end
   local ok, err = os.rename(src, dest)
   if not ok then return false, err end
   return true
end

local function walk(root, bottomUp, followLinks)
   local dirs, files = {}, {}
   local ok, iter, state = pcall(lfs.dir, root)
   if not ok then return end
   for name in iter, state do
      if name ~= '.' and name ~= '..' then
         local full = path.join(root, name)
         local isLink = path.islink(full)
         if path.isdir(full) and (followLinks or not isLink) then
            dirs[#dirs + 1] = name
         else
            files[#files + 1] = name
         end
      end
   end
   dirs, files = makeList(dirs), makeList(files)
   if not bottomUp then coroutine.yield(root, dirs, files) end
   for _, d in ipairs(dirs) do walk(path.join(root, d), bottomUp, followLinks) end
   if bottomUp then coroutine.yield(root, dirs, files) end
end

-- iterate root, its subdirectory names, its file names, for root and every directory below it
function dir.walk(root, bottom_up, follow_links)
   assertString(1, root)
   return coroutine.wrap(function() walk(root, bottom_up, follow_links) end)
end

function dir.rmtree(fullpath)
   assertString(1, fullpath)
   if not path.isdir(fullpath) then return utils.raise('not a directory') end
   if path.islink(fullpath) then return false, 'will not follow symlink' end
   for root, dirs, files in dir.walk(fullpath, true) do
      for _, f in ipairs(files) do
         local ok, err = os.remove(path.join(root, f))
         if not ok then return utils.raise(err) end
      end
      local ok, err = lfs.rmdir(root)
      if not ok then return utils.raise(err) end
   end
   return true
end

-- create a directory and every missing parent
function dir.makepath(p)
   assertString(1, p)
   p = path.normpath(p)
   if path.isdir(p) then return true end
   local parent = path.dirname(p)
   if parent ~= '' and parent ~= p and not path.isdir(parent) then
      local ok, err = dir.makepath(parent)
      if not ok then return nil, err end
   end
   local ok, err = lfs.mkdir(p)
   if not ok then return utils.raise(err) end
   return true
end

-- copy the tree path1 to path2 (file_fun(src, dest) copies each file, default copyfile)
function dir.clonetree(path1, path2, file_fun, verbose)
   assertString(1, path1)
   assertString(2, path2)
   if verbose == true then verbose = print end
   file_fun = file_fun or dir.copyfile
   if not path.isdir(path1) then return utils.raise('source is not a valid directory') end
   path1 = path.abspath(path.normpath(path1))
   path2 = path.abspath(path.normpath(path2))
   local failed = {}
   for root, _, files in dir.walk(path1) do
      local target = path2 .. root:sub(#path1 + 1)
      if not path.isdir(target) then
         if verbose then verbose('creating', target) end
         dir.makepath(target)
      end
      for _, f in ipairs(files) do
         local src, dest = path.join(root, f), path.join(target, f)
         if verbose then verbose('copying', src, dest) end
         if not file_fun(src, dest) then failed[#failed + 1] = src end
      end
   end
   return true, makeList(failed)
end

-- iterate every entry below d: its full name and whether it is a directory
function dir.dirtree(d)
   assertString(1, d)
   if d:sub(-1) == '/' then d = d:sub(1, -2) end
   return coroutine.wrap(function()
      for root, dirs, files in dir.walk(d) do
         for _, f in ipairs(files) do coroutine.yield(path.join(root, f), false) end
         for _, f in ipairs(dirs) do coroutine.yield(path.join(root, f), true) end
      end
   end)
end

-- every file below start_path (default '.') whose name matches the wildcard
function dir.getallfiles(start_path, shell_pattern)
   start_path = start_path or '.'
   assertString(1, start_path)
   local lpat = wildcardPattern(shell_pattern or '*')
   local res = {}
   for f, isDir in dir.dirtree(start_path) do
      if not isDir and path.basename(f):find(lpat) then res[#res + 1] = f end
   end
   return makeList(res)
end

return dir
