-- torch.File, torch.DiskFile, torch.MemoryFile and Torch7's object serialization (.t7):
-- torch.save/load, torch.serialize/deserialize, File:writeObject/readObject.
-- Byte-level I/O lives in Python (luatorch/t7/lua_file.py, reached as py.sf_*); the object
-- graph (type tags, reference indices, classes and their read/write hooks) is walked here.
local torch = torch
local py = torch._py
local P = torch._P
local errmsg = py.errmsg
local ffi = require 'ffi'

local type, pairs, ipairs, pcall, error, select = type, pairs, ipairs, pcall, error, select
local getmetatable, rawget, tostring = getmetatable, rawget, tostring

---------------------------------------------------------------------------------------------
-- calling Python: errors come back as Lua errors at the caller of the File method
---------------------------------------------------------------------------------------------
local function check(ok, ...)
   if ok then return ... end
   local e = ...
   if type(e) ~= 'string' then e = errmsg(e) end
   error(e, 3)
end

local function u(x)
   if x == nil then return nil end
   local o = P[x]
   if o ~= nil then return o end
   return x
end

-- A Lua string as an argument Python can take: ASCII strings cross as str; others (binary
-- data, which cannot be decoded as UTF-8) are copied into a Python byte buffer through the FFI.
local sfbuffer = py.sf_buffer
local function pystr(s)
   if not s:find('[\128-\255]') then return s end
   local buf, addr = sfbuffer(#s)
   ffi.copy(ffi.cast('uint8_t *', addr), s, #s)
   return buf
end

local sfread, sfwrite = py.sf_read, py.sf_write
local sfflag, sfset = py.sf_flag, py.sf_set
local sfreadchars, sfwritechars = py.sf_read_chars, py.sf_write_chars

---------------------------------------------------------------------------------------------
-- classes: torch.File (abstract), torch.DiskFile, torch.MemoryFile
---------------------------------------------------------------------------------------------
local H = setmetatable({}, {__mode = 'k'})   -- file object -> Python TFile
local E = setmetatable({}, {__mode = 'k'})   -- file object -> serialization state

local function handle(self)
   local h = H[self]
   if h == nil then error('bad argument #1 (torch.File expected)', 3) end
   return h
end

local File = torch.newmetatable('torch.File', nil, function()
   error('torch.File is abstract: use torch.DiskFile or torch.MemoryFile', 2)
end)

local function newFile(mt, h)
   local self = setmetatable({}, mt)
   H[self] = h
   return self
end

local DiskFile
DiskFile = torch.newmetatable('torch.DiskFile', 'torch.File', function(name, mode, quiet)
   if type(name) ~= 'string' then
      error("bad argument #1 to 'DiskFile' (string expected, got " .. type(name) .. ')', 2)
   end
   if mode ~= nil and type(mode) ~= 'string' then
      error("bad argument #2 to 'DiskFile' (string expected, got " .. type(mode) .. ')', 2)
   end
   local ok, h = pcall(py.sf_open_disk, pystr(name), mode or 'r', quiet and true or false)
   if not ok then error(type(h) == 'string' and h or errmsg(h), 2) end
   if h == nil then return nil end
   return newFile(DiskFile, h)
end)

local MemoryFile
MemoryFile = torch.newmetatable('torch.MemoryFile', 'torch.File', function(a, b)
   local ok, h = pcall(py.sf_open_memory, u(a), b)
   if not ok then error(type(h) == 'string' and h or errmsg(h), 2) end
   return newFile(MemoryFile, h)
end)

-- flags
for _, name in ipairs({'isQuiet', 'isReadable', 'isWritable', 'isBinary', 'isAutoSpacing',
      'hasError'}) do
   File[name] = function(self)
      local r = check(pcall(sfflag, handle(self), name))
      return r
   end
end
for _, name in ipairs({'binary', 'ascii', 'autoSpacing', 'noAutoSpacing', 'quiet', 'pedantic',
      'clearError'}) do
   File[name] = function(self)
      check(pcall(sfset, handle(self), name))
      return self
   end
end

-- numbers: readT() -> number, readT(n) -> TStorage, readT(storage) -> count read;
-- writeT(number), writeT(storage) -> count written
for _, kind in ipairs({'Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double'}) do
   File['read' .. kind] = function(self, arg)
      local r = check(pcall(sfread, handle(self), kind, u(arg)))
      return r
   end
   -- a numeric string counts as its number (lua_isnumber). lupa hands Python an integral
   -- double as an int, so -0 would arrive as 0: it crosses as the string '-0' instead
   local negZero = kind == 'Float' or kind == 'Double'
   File['write' .. kind] = function(self, arg)
      if type(arg) == 'string' then arg = tonumber(arg) or arg end
      if negZero and arg == 0 and type(arg) == 'number' and 1 / arg < 0 then arg = '-0' end
      local r = check(pcall(sfwrite, handle(self), kind, u(arg)))
      return r
   end
end

function File:writeBool(value)
   self:writeInt(value and 1 or 0)
end

function File:readBool()
   return self:readInt() == 1
end

function File:readString(format)
   if type(format) ~= 'string' then
      error("bad argument #1 to 'readString' (string expected, got " .. type(format) .. ')', 2)
   end
   local r = check(pcall(py.sf_read_string, handle(self), format))
   return r
end

function File:writeString(s)
   if type(s) ~= 'string' then
      error("bad argument #1 to 'writeString' (string expected, got " .. type(s) .. ')', 2)
   end
   local r = check(pcall(py.sf_write_string, handle(self), pystr(s)))
   return r
end

function File:synchronize()
   check(pcall(py.sf_synchronize, handle(self)))
   return self
end

-- luaL_checklong's words, numbered as a method's (self is not counted); numeric strings pass
function File:seek(...)
   local position = ...
   if type(position) ~= 'number' then
      position = type(position) == 'string' and tonumber(position) or nil
      if position == nil then
         local got = select('#', ...) == 0 and 'no value' or type((...))
         error("bad argument #1 to 'seek' (number expected, got " .. got .. ")", 2)
      end
   end
   if not (position >= 1) then
      error("bad argument #1 to 'seek' (position has to be greater than 0!)", 2)
   end
   check(pcall(py.sf_seek, handle(self), position))
   return self
end

function File:seekEnd()
   check(pcall(py.sf_seek_end, handle(self)))
   return self
end

function File:position()
   local r = check(pcall(py.sf_position, handle(self)))
   return r
end

function File:close()
   check(pcall(py.sf_close, handle(self)))
   return self
end

function File:longSize(size)
   check(pcall(py.sf_long_size, handle(self), size))
   return self
end

-- Loading a function runs its bytecode: refused unless allowed (see torch.load's options).
function File:allowFunctions(flag)
   local e = E[self] or {}
   E[self] = e
   e.allowFunctions = flag ~= false
   return self
end

function File:__tostring__()
   local r = check(pcall(py.sf_describe, handle(self)))
   return r
end

function DiskFile.isLittleEndianCPU()
   return ffi.abi('le')
end

function DiskFile.isBigEndianCPU()
   return not ffi.abi('le')
end

for _, name in ipairs({'nativeEndianEncoding', 'littleEndianEncoding', 'bigEndianEncoding'}) do
   DiskFile[name] = function(self)
      check(pcall(sfset, handle(self), name))
      return self
   end
end

function DiskFile:noBuffer()
   check(pcall(sfset, handle(self), 'noBuffer'))
   return self
end

function MemoryFile:storage()
   local r = check(pcall(py.sf_storage, handle(self)))
   return r
end

---------------------------------------------------------------------------------------------
-- tensors and storages: their read/write hooks (Tensor:write(file), Storage:read(file) ...)
---------------------------------------------------------------------------------------------
local typeNames = {'Double', 'Float', 'Long', 'Int', 'Short', 'Char', 'Byte', 'Half'}
local isTensorType, isStorageType = {}, {}
for _, name in ipairs(typeNames) do
   isTensorType['torch.' .. name .. 'Tensor'] = name
   isStorageType['torch.' .. name .. 'Storage'] = name
end

local sfTensorWrite, sfTensorRead = py.sf_tensor_write, py.sf_tensor_read
local sfTensorAttach = py.sf_tensor_attach
local sfStorageWrite, sfStorageRead = py.sf_storage_write, py.sf_storage_read

local function tensorWrite(self, file)
   check(pcall(sfTensorWrite, handle(file), P[self]))
   file:writeObject(self:storage())
end

local function tensorRead(self, file)
   check(pcall(sfTensorRead, handle(file), P[self]))
   local s = file:readObject()
   check(pcall(sfTensorAttach, P[self], u(s)))
end

local function storageWrite(self, file)
   check(pcall(sfStorageWrite, handle(file), P[self]))
end

-- src: the element type on file when it differs (a CUDA or Half storage read as CPU type)
local function storageRead(self, file, version, src)
   check(pcall(sfStorageRead, handle(file), P[self], src))
end

local sfStorageString, sfStorageSetString = py.sf_storage_string, py.sf_storage_set_string
for _, name in ipairs(typeNames) do
   local tmt = torch.getmetatable('torch.' .. name .. 'Tensor')
   tmt.write, tmt.read = tensorWrite, tensorRead
   local smt = torch.getmetatable('torch.' .. name .. 'Storage')
   smt.write, smt.read = storageWrite, storageRead
   if (name == 'Char' or name == 'Byte') and rawget(smt, 'string') == nil then
      -- s:string() -> the bytes as a Lua string; s:string(str) -> s holds str's bytes
      smt.string = function(self, str)
         local r
         if str == nil then
            r = check(pcall(sfStorageString, P[self]))
         else
            r = check(pcall(sfStorageSetString, P[self], pystr(str)))
         end
         return r
      end
   end
end

-- torch.factory gives an empty tensor or storage for those types (luaT's factory does); a
-- class's own __factory comes first, as in luaT (threads.sharedserialize installs one)
local rawfactory = torch.factory
function torch.factory(name)
   local mt = torch.getmetatable(name)
   local own = mt and rawget(mt, '__factory')
   if own then return own end
   local t = isTensorType[name] or isStorageType[name]
   if t then
      local ctor = torch[name:match('^torch%.(.+)$')]
      return function() return ctor() end
   end
   return rawfactory(name)
end

-- CUDA (and Half) types in old files load as the matching CPU type
local cpuTypes = {
   [''] = 'Float', Double = 'Double', Long = 'Long', Int = 'Int', Short = 'Short',
   Char = 'Char', Byte = 'Byte', Half = 'Float',
}
local function cpuClass(className)
   local body = className:match('^torch%.(.+)$')
   if not body then return nil end
   local cuda = body:match('^Cuda(.*)$')
   local b = cuda or body
   local elem, what = b:match('^(%a-)(Tensor)$')
   if not what then elem, what = b:match('^(%a-)(Storage)$') end
   if not what or (not cuda and elem ~= 'Half') then return nil end
   local cpu = cpuTypes[elem]
   if not cpu then return nil end
   return 'torch.' .. cpu .. what, (elem == 'Half' and 'Half' or nil)
end

---------------------------------------------------------------------------------------------
-- objects: Torch7's format (File.lua), with reference indices for shared objects and cycles
---------------------------------------------------------------------------------------------
local TYPE_NIL      = 0
local TYPE_NUMBER   = 1
local TYPE_STRING   = 2
local TYPE_TABLE    = 3
local TYPE_TORCH    = 4
local TYPE_BOOLEAN  = 5
local TYPE_FUNCTION = 6
local LEGACY_TYPE_RECUR_FUNCTION = 7
local TYPE_RECUR_FUNCTION = 8

-- deeper nesting than this is taken as a hostile file (Lua's own stack ends near 8000)
local MAX_DEPTH = 3000

local function env(self)
   local e = E[self]
   if e == nil then
      e = {}
      E[self] = e
   end
   if e.writeObjects == nil then
      e.writeObjects, e.writeObjectsRef, e.readObjects = {}, {}, {}
      e.objectNameStack, e.nWrite, e.depth = {}, 0, 0
   end
   return e
end

function File:referenced(ref)
   env(self).force = not ref
   return self
end

function File:isReferenced()
   local e = E[self]
   return not (e and e.force)
end

function File:isWritableObject(object)
   local tp = type(object)
   if tp ~= 'boolean' and not object then return TYPE_NIL end
   local tn = torch.typename(object)
   if tn and torch.factory(tn) then return TYPE_TORCH end
   if tp == 'table' then return TYPE_TABLE
   elseif tp == 'number' then return TYPE_NUMBER
   elseif tp == 'string' then return TYPE_STRING
   elseif tp == 'boolean' then return TYPE_BOOLEAN
   elseif tp == 'function' and pcall(string.dump, object) then return TYPE_RECUR_FUNCTION
   end
   return nil
end

-- the class's read or write hook (__read/read, __write/write), as Torch looks it up
local function getmetamethod(obj, name)
   local ok, f = pcall(function()
      local mt = torch.getmetatable(torch.typename(obj))
      if mt then return mt['__' .. name] or mt[name] end
   end)
   if ok and type(f) == 'function' then return f end
   return nil
end

-- Bytecode this runtime has written (clone, MemoryFile, torch.serialize, torch.save): reading
-- it back returns the function as Torch does, while a function in a file from elsewhere needs
-- the allowFunctions opt-in. Only bytes we dumped ourselves, never bytecode matched against the
-- loaded classes' methods: a file could then install any method under any name.
local written = {}

local UPVALUES_TOKEN = {}
local function formatStack(stack)
   local parts = {}
   for i, v in ipairs(stack) do
      if v ~= UPVALUES_TOKEN and stack[i - 1] ~= UPVALUES_TOKEN then
         parts[#parts + 1] = tostring(v)
      end
   end
   return table.concat(parts, '.')
end

-- identity of an object for references: Python identity for tensors and storages (several
-- proxies could exist over a lifetime), the Lua value otherwise
local function objectKey(object)
   local o = P[object]
   if o ~= nil then return torch.pointer(object) end
   return object
end

local function writeChars(self, s)
   check(pcall(sfwritechars, handle(self), pystr(s)))
end

function File:writeObject(object, debugname)
   local e = env(self)
   local force = e.force

   if type(object) ~= 'boolean' and not object then
      self:writeInt(TYPE_NIL)
      return
   end

   local stack = e.objectNameStack
   stack[#stack + 1] = debugname or '<?>'

   local typeidx = self:isWritableObject(object)
   if not typeidx then
      error(string.format('Unwritable object <%s> at %s', type(object), formatStack(stack)), 2)
   end
   self:writeInt(typeidx)

   if typeidx == TYPE_NUMBER then
      self:writeDouble(object)
   elseif typeidx == TYPE_BOOLEAN then
      self:writeBool(object)
   elseif typeidx == TYPE_STRING then
      self:writeInt(#object)
      writeChars(self, object)
   else
      local key = objectKey(object)
      local index = e.writeObjects[key]
      if index and not force then
         self:writeInt(index)
      else
         index = e.nWrite + 1
         e.nWrite = index
         if not force then
            e.writeObjects[key] = index
            e.writeObjectsRef[object] = index   -- keeps the object (and its identity) alive
         end
         self:writeInt(index)
         if typeidx == TYPE_RECUR_FUNCTION then
            local upvalues = {}
            local i = 1
            while true do
               local name, value = debug.getupvalue(object, i)
               if not name then break end
               if name == '_ENV' then value = nil end
               upvalues[#upvalues + 1] = {name = name, value = value}
               i = i + 1
            end
            local dumped = string.dump(object)
            written[dumped] = true
            self:writeInt(#dumped)
            writeChars(self, dumped)
            self:writeObject(upvalues, UPVALUES_TOKEN)
         elseif typeidx == TYPE_TORCH then
            local tn = torch.typename(object)
            local mt = getmetatable(object)
            local v = type(mt) == 'table' and rawget(mt, '__version') or 1
            local version = 'V ' .. tostring(v)
            self:writeInt(#version)
            writeChars(self, version)
            self:writeInt(#tn)
            writeChars(self, tn)
            local write = getmetamethod(object, 'write')
            if write then
               write(object, self)
            elseif type(object) == 'table' then
               local var = {}
               for k, val in pairs(object) do
                  if self:isWritableObject(val) then
                     var[k] = val
                  else
                     print(string.format('$ Warning: cannot write object field <%s> of <%s> at %s',
                        tostring(k), tn, formatStack(stack)))
                  end
               end
               self:writeObject(var, tn)
            else
               error(string.format('<%s> is a non-serializable Torch object at %s', tn,
                  formatStack(stack)), 2)
            end
         else -- a table
            local size = 0
            for _ in pairs(object) do size = size + 1 end
            self:writeInt(size)
            local upv = stack[#stack - 1] == UPVALUES_TOKEN
            for k, v in pairs(object) do
               self:writeObject(k)
               local name = (type(k) == 'string' or type(k) == 'number') and tostring(k) or nil
               if upv and name == 'value' and type(object.name) == 'string' then
                  name = object.name
               end
               self:writeObject(v, name)
            end
         end
      end
   end
   stack[#stack] = nil
end

-- a name from a file, printable in an error message (binary bytes cannot reach Python)
local function printable(s)
   return (tostring(s):gsub('[^\32-\126]', function(c) return string.format('\\%d', c:byte()) end))
end

local function functionsRefused(e)
   local at = e.key ~= nil and string.format(' (field %s)', printable(e.key)) or ''
   error('the file holds a Lua function' .. at .. ', stored as bytecode that would run when '
      .. 'loaded: refusing to load it (networks saved with shared parameters hold one). '
      .. 'If you trust the file, allow functions with '
      .. "torch.load(filename, 'binary', {allowFunctions = true}) "
      .. '(or file:allowFunctions() before file:readObject())', 0)
end

local readObject

local function readFunction(self, e, typeidx, index, force)
   local size = self:readInt()
   local dumped = check(pcall(sfreadchars, handle(self), size))
   if not (e.allowFunctions or written[dumped]) then functionsRefused(e) end
   local func, err = loadstring(dumped)
   if not func then
      error(string.format('Failed to load function from bytecode: %s', tostring(err)), 0)
   end
   if not force then e.readObjects[index] = func end
   local upvalues = readObject(self, e)
   if type(upvalues) ~= 'table' then
      error('corrupted file: function upvalues are not a table', 0)
   end
   for i, upvalue in ipairs(upvalues) do
      if typeidx == LEGACY_TYPE_RECUR_FUNCTION then
         debug.setupvalue(func, i, upvalue)
      elseif type(upvalue) == 'table' and upvalue.name == '_ENV' then
         debug.setupvalue(func, i, getfenv(0))
      elseif type(upvalue) == 'table' then
         debug.setupvalue(func, i, upvalue.value)
      end
   end
   return func
end

local function readTorch(self, e, index, force)
   local version = check(pcall(sfreadchars, handle(self), self:readInt()))
   local className
   local versionNumber = tonumber(version:match('^V (.*)$'))
   if not versionNumber then
      className = version
      versionNumber = 0 -- written before Torch had versions
   else
      className = check(pcall(sfreadchars, handle(self), self:readInt()))
   end
   local src
   local cpu, half = cpuClass(className)
   if cpu and not torch.getmetatable(className) then  -- cutorch loaded: its own CPU types
      e.notified = e.notified or {}
      if not e.notified[className] then
         e.notified[className] = true
         io.stderr:write(string.format('luatorch: loading %s as %s (no CUDA here)\n',
            className, cpu))
      end
      className, src = cpu, half
   end
   local factory = torch.factory(className)
   if not factory then
      error(string.format('unknown Torch class <%s>', printable(className)), 0)
   end
   local object = factory(self)
   if not force then e.readObjects[index] = object end
   if isStorageType[className] and not rawget(torch.getmetatable(className), '__read') then
      storageRead(object, self, versionNumber, src)
      return object
   end
   local read = getmetamethod(object, 'read')
   if read then
      read(object, self, versionNumber)
   elseif type(object) == 'table' then
      local var = readObject(self, e)
      if type(var) ~= 'table' then
         error(string.format('corrupted file: the fields of <%s> are not a table',
            printable(className)), 0)
      end
      for k, v in pairs(var) do object[k] = v end
   else
      error(string.format('Cannot load object class <%s>', printable(className)), 0)
   end
   return object
end

readObject = function(self, e)
   local force = e.force
   local typeidx = self:readInt()

   if typeidx == TYPE_NIL then return nil end
   if typeidx == TYPE_NUMBER then return self:readDouble() end
   if typeidx == TYPE_BOOLEAN then return self:readBool() end
   if typeidx == TYPE_STRING then
      local r = check(pcall(sfreadchars, handle(self), self:readInt()))
      return r
   end
   if typeidx == TYPE_FUNCTION then
      if not e.allowFunctions then functionsRefused(e) end
      local size = self:readInt()
      local dumped = check(pcall(sfreadchars, handle(self), size))
      local func, err = loadstring(dumped)
      if not func then
         error(string.format('Failed to load function from bytecode: %s', tostring(err)), 0)
      end
      local upvalues = readObject(self, e)
      if type(upvalues) == 'table' then
         for i, upvalue in ipairs(upvalues) do debug.setupvalue(func, i, upvalue) end
      end
      return func
   end
   if typeidx == TYPE_TABLE or typeidx == TYPE_TORCH or typeidx == TYPE_RECUR_FUNCTION
         or typeidx == LEGACY_TYPE_RECUR_FUNCTION then
      local index = self:readInt()
      local objects = e.readObjects
      if objects[index] ~= nil and not force then return objects[index] end

      local depth = e.depth + 1
      if depth > MAX_DEPTH then
         error(string.format('corrupted file: objects nested more than %d deep', MAX_DEPTH), 0)
      end
      e.depth = depth
      local object
      if typeidx == TYPE_TORCH then
         object = readTorch(self, e, index, force)
      elseif typeidx == TYPE_TABLE then
         local size = self:readInt()
         object = {}
         if not force then objects[index] = object end
         for _ = 1, size do
            local k = readObject(self, e)
            e.key = k  -- named in the error if the value is a refused function
            local v = readObject(self, e)
            if k == nil then error('corrupted file: table index is nil', 0) end
            if k ~= k then error('corrupted file: table index is NaN', 0) end
            object[k] = v
         end
      else
         object = readFunction(self, e, typeidx, index, force)
      end
      e.depth = depth - 1
      return object
   end
   error(string.format('unknown object (type tag %s): not a Torch file or corrupted',
      tostring(typeidx)), 0)
end

function File:readObject()
   local e = env(self)
   if e.depth > 0 then return readObject(self, e) end
   -- the outermost call: a failure leaves the file usable (depth count reset)
   e.key = nil
   local ok, obj = pcall(readObject, self, e)
   if not ok then
      e.depth = 0
      error(obj, 0)
   end
   return obj
end

---------------------------------------------------------------------------------------------
-- torch.save / torch.load / torch.serialize / torch.deserialize
---------------------------------------------------------------------------------------------
-- options: a boolean (Torch's `referenced`) or a table {referenced=, allowFunctions=}
local function options(opt, fname)
   if opt == nil or opt == true or opt == false then
      return opt == nil and true or opt, false
   end
   if type(opt) ~= 'table' then
      error(fname .. ': true or false (or nil) expected for referenced, or a table of options', 3)
   end
   local ref = opt.referenced
   if ref == nil then ref = true end
   return ref, opt.allowFunctions and true or false
end

local function closing(file, ok, ...)
   if not ok then
      pcall(file.close, file)
      error((...), 0)
   end
   file:close()
   return ...
end

function torch.save(filename, object, mode, referenced)
   assert(mode == nil or mode == 'binary' or mode == 'ascii',
      '"binary" or "ascii" (or nil) expected for mode')
   assert(referenced == nil or referenced == true or referenced == false,
      'true or false (or nil) expected for referenced')
   mode = mode or 'binary'
   if referenced == nil then referenced = true end
   local file = torch.DiskFile(filename, 'w')
   file[mode](file)
   file:referenced(referenced)
   closing(file, pcall(file.writeObject, file, object))
end

local function readWith(file, mode, referenced, allow)
   local fileMode = (mode == 'b32' or mode == 'b64') and 'binary' or mode
   file[fileMode](file)
   if mode == 'b32' then file:longSize(4) elseif mode == 'b64' then file:longSize(8) end
   file:referenced(referenced)
   if allow then file:allowFunctions(true) end
   return closing(file, pcall(file.readObject, file))
end

local function checkLoadMode(mode)
   assert(mode == nil or mode == 'binary' or mode == 'ascii' or mode == 'b32' or mode == 'b64',
      '"binary", "b32", "b64" or "ascii" (or nil) expected for mode')
   return mode or 'binary'
end

-- torch.load(filename [, mode [, referenced | {referenced=, allowFunctions=}]])
function torch.load(filename, mode, opt)
   mode = checkLoadMode(mode)
   local referenced, allow = options(opt, 'torch.load')
   local file = torch.DiskFile(filename, 'r')
   return readWith(file, mode, referenced, allow)
end

function torch.serializeToStorage(object, mode)
   mode = mode or 'binary'
   local f = torch.MemoryFile()
   f = f[mode](f)
   local ok, err = pcall(f.writeObject, f, object)
   if not ok then error(err, 0) end
   local storage = f:storage()
   -- as Torch's: without the MemoryFile's terminating NUL
   storage:resize(storage:size() - 1)
   f:close()
   return storage
end

function torch.serialize(object, mode)
   return torch.serializeToStorage(object, mode):string()
end

function torch.deserializeFromStorage(storage, mode, opt)
   mode = checkLoadMode(mode)
   local referenced, allow = options(opt, 'torch.deserializeFromStorage')
   local ok, h = pcall(py.sf_open_memory_copy, u(storage))
   if not ok then error(type(h) == 'string' and h or errmsg(h), 2) end
   return readWith(newFile(MemoryFile, h), mode, referenced, allow)
end

function torch.deserialize(str, mode, opt)
   if type(str) ~= 'string' then
      error("bad argument #1 to 'deserialize' (string expected, got " .. type(str) .. ')', 2)
   end
   mode = checkLoadMode(mode)
   local referenced, allow = options(opt, 'torch.deserialize')
   local ok, h = pcall(py.sf_open_memory_copy, pystr(str))
   if not ok then error(type(h) == 'string' and h or errmsg(h), 2) end
   return readWith(newFile(MemoryFile, h), mode, referenced, allow)
end

torch.saveobj = torch.save
torch.loadobj = torch.load

return File
