-- tnt.utils.sys: directories, lists of lines and image files, command-line Lua snippets
local sys = {}

-- the md5 of obj's serialization (needs the md5 package)
function sys.md5(obj)
   return require('md5').sumhexa(torch.serialize(obj))
end

function sys.mkdir(path)
   assert(os.execute(string.format('mkdir -p %s', path)), 'could not create directory')
end

-- runs each string of arg as Lua code whose globals go to env (reading _G's)
function sys.cmdline(arg, env)
   for _, code in ipairs(arg) do
      assert(type(code) == 'string', 'string expected')
      local f, msg = loadstring(code)
      if not f then error(string.format('compilation error: %s', msg)) end
      setfenv(f, env)
      assert(not getmetatable(env), 'env should have no metatable')
      setmetatable(env, {__index = _G})
      local ok, err = pcall(f)
      setmetatable(env, nil)
      if not ok then error(err) end
   end
end

-- the lines of a file as a tds.Hash (and line -> index with revert)
function sys.loadlist(path, revert, maxload)
   local lst = require('tds').hash()
   local idx = 0
   for elem in io.lines(path) do
      idx = idx + 1
      lst[idx] = elem
      if revert then lst[elem] = idx end
      if maxload and maxload == idx then break end
   end
   return lst
end

-- the jpeg/png files under path, recursively
function sys.listimgfiles(path, lst)
   local lfs = require 'lfs'
   lst = lst or require('tds').hash()
   for filename in lfs.dir(path) do
      if filename ~= '.' and filename ~= '..' then
         local fullpath = string.format('%s/%s', path, filename)
         if lfs.attributes(fullpath, 'mode') == 'directory' then
            sys.listimgfiles(fullpath, lst)
         else
            local ext = filename:match('[^%.]+$')
            if ext then
               ext = ext:lower()
               if ext == 'jpeg' or ext == 'jpg' or ext == 'png' then
                  lst[#lst + 1] = fullpath
               else
                  print(string.format('ignoring <%s>', fullpath))
               end
            end
         end
      end
   end
   return lst
end

return sys
