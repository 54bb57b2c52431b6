-- hdf5: deepmind/torch-hdf5's API on h5py (luatorch/packages/hdf5_backend.py).
-- hdf5.open(path [, mode]) gives an HDF5File: write(path, tensor or table of them [, options]),
-- append, read(path) (an HDF5Group or HDF5DataSet: all(), partial({from, to}, ...),
-- dataspaceSize(), getTensorFactory()), all(), close(). Paths are '/'-separated groups;
-- writing a table writes a group holding its fields.
local torch = require 'torch'
local paths = require 'paths'
local py = torch._py
local bind = torch._bind

hdf5 = hdf5 or {}
local hdf5 = hdf5

local h5open, h5read, h5partial = bind(py.h5_open), bind(py.h5_read_all), bind(py.h5_read_partial)
local h5write, h5append = bind(py.h5_write), bind(py.h5_append)

local function split(datapath)
   local parts = {}
   for p in datapath:gmatch('[^/]+') do parts[#parts + 1] = p end
   return parts
end

---------------------------------------------------------------------------------------------
-- DataSetOptions: chunking and DEFLATE compression of the datasets written with them
---------------------------------------------------------------------------------------------
local DataSetOptions = torch.class('hdf5.DataSetOptions')

function DataSetOptions:__init()
   self._chunking = nil
   self._deflate = nil
end

-- setChunked(size1, size2, ...): one size per dimension of the data (needed to append)
function DataSetOptions:setChunked(...)
   self._chunking = {...}
   return self
end

-- setDeflate([level]): zlib compression, level 6 by default (needs chunking)
function DataSetOptions:setDeflate(level)
   self._deflate = level or 6
   return self
end

function DataSetOptions:close() end

function DataSetOptions:__tostring__()
   return '[DataSetOptions: chunking='
      .. (self._chunking and table.concat(self._chunking, 'x') or 'none') .. ']'
end

---------------------------------------------------------------------------------------------
-- HDF5DataSet
---------------------------------------------------------------------------------------------
local DataSet = torch.class('hdf5.HDF5DataSet')

function DataSet:__init(parent, h)
   self._parent = parent
   self._h = h
end

function DataSet:__tostring__()
   return '[HDF5DataSet ' .. py.h5_name(self._h) .. ']'
end

function DataSet:all()
   return h5read(self._h)
end

-- partial(range1, range2, ...): a range per dimension, {first, last} (1-based, inclusive) or
-- one index (the dimension is kept, of size 1)
function DataSet:partial(...)
   local ranges = {...}
   local n = py.h5_ndim(self._h)
   if #ranges ~= n then
      error('HDF5DataSet:partial() - dimension mismatch. Expected ' .. n .. ' but ' .. #ranges
         .. ' were given.', 2)
   end
   return h5partial(self._h, ranges)
end

-- the sizes as a Lua table
function DataSet:dataspaceSize()
   local t = {}
   for i, s in ipairs(py.h5_size(self._h)) do t[i] = s end
   return t
end

-- the constructor of an empty tensor of the dataset's type
function DataSet:getTensorFactory()
   local tt = bind(py.h5_tensor_type)(self._h)
   return torch.factory('torch.' .. tt .. 'Tensor')
end

function DataSet:close() end

---------------------------------------------------------------------------------------------
-- HDF5Group
---------------------------------------------------------------------------------------------
local Group = torch.class('hdf5.HDF5Group')

function Group:__init(parent, h)
   self._parent = parent
   self._h = h
end

function Group:__tostring__()
   return '[HDF5Group ' .. py.h5_name(self._h) .. ']'
end

local function child(group, name)
   local kind = py.h5_kind(group._h, name)
   if kind == 'group' then return hdf5.HDF5Group(group, py.h5_get(group._h, name)) end
   if kind == 'dataset' then return hdf5.HDF5DataSet(group, py.h5_get(group._h, name)) end
   return nil
end

local function isTensor(x)
   return torch.isTensor(x)
end

local function childGroup(group, name)
   local kind = py.h5_kind(group._h, name)
   if kind == 'group' then return hdf5.HDF5Group(group, py.h5_get(group._h, name)) end
   if kind == 'dataset' then
      error("HDF5Group: '" .. name .. "' in " .. tostring(group) .. ' is a dataset, not a group', 4)
   end
   return hdf5.HDF5Group(group, py.h5_create_group(group._h, name))
end

-- write/append below this group; datapath is a table of names
function Group:_write_or_append(method, datapath, data, options)
   if #datapath == 0 then error('HDF5Group: descended too far', 3) end
   local key = datapath[1]
   if #datapath > 1 then
      local rest = {}
      for i = 2, #datapath do rest[i - 1] = datapath[i] end
      return childGroup(self, key):_write_or_append(method, rest, data, options)
   end
   if type(data) == 'table' and not isTensor(data) then
      local g = childGroup(self, key)
      for k, v in pairs(data) do g:_write_or_append(method, {tostring(k)}, v, options) end
      return
   end
   if not isTensor(data) then
      if type(data) == 'userdata' then
         error('torch-hdf5: writing non-Tensor userdata is not supported', 4)
      end
      error('torch-hdf5: writing data of type ' .. type(data) .. ' is not supported', 4)
   end
   if method == 'write' then
      h5write(self._h, key, data, options and options._chunking, options and options._deflate)
   else
      if py.h5_kind(self._h, key) ~= 'dataset' then
         h5write(self._h, key, data, options and options._chunking, options and options._deflate)
      else
         h5append(self._h, key, data)
      end
   end
end

function Group:write(datapath, data, options)
   self:_write_or_append('write', datapath, data, options)
end

function Group:append(datapath, data, options)
   self:_write_or_append('append', datapath, data, options)
end

-- read(datapath): datapath is a table of names
function Group:read(datapath)
   if not datapath or #datapath == 0 then return self end
   local key = datapath[1]
   local c = child(self, key)
   if not c then
      error("HDF5Group:read() - no such child '" .. key .. "' for " .. tostring(self), 2)
   end
   if #datapath == 1 then return c end
   if torch.type(c) ~= 'hdf5.HDF5Group' then
      error("HDF5Group:read() - '" .. key .. "' in " .. tostring(self) .. ' is not a group', 2)
   end
   local rest = {}
   for i = 2, #datapath do rest[i - 1] = datapath[i] end
   return c:read(rest)
end

-- every dataset below, as a table of tables of tensors
function Group:all()
   local t = {}
   for _, name in ipairs(py.h5_children(self._h)) do
      t[name] = child(self, name):all()
   end
   return t
end

function Group:close() end

---------------------------------------------------------------------------------------------
-- HDF5File
---------------------------------------------------------------------------------------------
local File = torch.class('hdf5.HDF5File')

function File:__init(filename, h)
   self._filename = filename
   self._h = h
   self._rootGroup = hdf5.HDF5Group(self, h)
end

function File:filename() return self._filename end

function File:__tostring__()
   return '[HDF5File: ' .. self._filename .. ']'
end

function File:close()
   if self._h then
      py.h5_close(self._h)
      self._h = nil
   end
end

local function checkOpen(self, what)
   if not self._h then error('HDF5File:' .. what .. '() - the file is closed', 3) end
end

function File:_write_or_append(method, datapath, data, options)
   checkOpen(self, method)
   if type(datapath) ~= 'string' then
      error('HDF5File:' .. method .. '() requires a string (data path) as its first parameter', 3)
   end
   if not (type(data) == 'table' or isTensor(data)) then
      error('HDF5File:' .. method .. '() requires a tensor or table as its second parameter', 3)
   end
   local parts = split(datapath)
   if #parts == 0 then
      if type(data) ~= 'table' then
         error('HDF5File:write() - must provide a table when writing to the root location', 3)
      end
      for k, v in pairs(data) do
         self._rootGroup:_write_or_append(method, {tostring(k)}, v, options)
      end
      return
   end
   self._rootGroup:_write_or_append(method, parts, data, options)
end

function File:write(datapath, data, options)
   self:_write_or_append('write', datapath, data, options)
end

-- append(datapath, tensor [, options]): adds rows (first dimension) to a dataset written
-- chunked; writes it if it does not exist
function File:append(datapath, data, options)
   self:_write_or_append('append', datapath, data, options)
end

function File:read(datapath)
   checkOpen(self, 'read')
   return self._rootGroup:read(split(datapath or '/'))
end

function File:all()
   return self:read('/'):all()
end

-- hdf5.open(filename [, mode]): 'r', 'r+', 'w', 'w-' or 'a' (the default: 'r+' if the file
-- exists, else 'w')
function hdf5.open(filename, mode)
   if type(filename) ~= 'string' then
      error('hdf5.open: file name (string) expected', 2)
   end
   if filename:sub(1, 2) == '~/' then filename = paths.concat(os.getenv('HOME'), filename:sub(3)) end
   if filename:sub(1, 1) ~= '/' then filename = paths.concat(paths.cwd(), filename) end
   local dirname = paths.dirname(filename)
   if not paths.dirp(dirname) then
      error('HDF5File.open: no such directory ' .. dirname, 2)
   end
   if mode == nil or mode == 'a' then
      mode = paths.filep(filename) and 'r+' or 'w'
   end
   if mode ~= 'r' and mode ~= 'r+' and mode ~= 'w' and mode ~= 'w-' then
      error("Unknown mode '" .. tostring(mode) .. "' for hdf5.open()", 2)
   end
   return hdf5.HDF5File(filename, h5open(filename, mode))
end
hdf5.HDF5File.open = hdf5.open

return hdf5
