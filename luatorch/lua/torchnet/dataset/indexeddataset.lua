-- tnt.IndexedDataset: samples stored in archives, one (index, data) file pair per field, as
-- torchnet writes them (tnt.IndexedDatasetWriter) and reads them (tnt.IndexedDatasetReader).
--
-- The data file (.bin) is the elements of every tensor, one after the other, in the archive's
-- type (raw, as DiskFile:binary() writes a storage). The index file (.idx) is 64-bit integers:
--   magic 0x584449544E54 ("TNTIDX"), version 1, type code, element size, N (tensors),
--   S (sizes), then dimoffsets[N+1], datoffsets[N+1] (cumulative dims and elements, from 0)
--   and sizes[S] (each tensor's sizes, concatenated).
-- Type codes: byte 1, char 2, short 3, int 4, long 5, float 6, double 7, table 8 (a Lua value
-- serialized into a CharTensor).
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local IndexedDataset = torch.class('tnt.IndexedDataset', 'tnt.Dataset', tnt)
local IndexedDatasetReader = torch.class('tnt.IndexedDatasetReader', tnt)
local IndexedDatasetWriter = torch.class('tnt.IndexedDatasetWriter', tnt)

local MAGIC, VERSION = 0x584449544E54, 1

-- name -> {code, name (tensor type), read/write (DiskFile methods), size, storage, tensor}
local TYPES = {}
for code, name in ipairs{'byte', 'char', 'short', 'int', 'long', 'float', 'double', 'table'} do
   local T = name == 'table' and 'Char' or name:sub(1, 1):upper() .. name:sub(2)
   TYPES[name] = {
      code = code,
      name = 'torch.' .. T .. 'Tensor',
      read = 'read' .. T,
      write = 'write' .. T,
      size = torch[T .. 'Storage'].elementSize(),
      storage = torch[T .. 'Storage'],
      tensor = torch[T .. 'Tensor'],
   }
end

local function typeOfCode(code)
   for name, t in pairs(TYPES) do
      if t.code == code then return name, t end
   end
end

-- the header and tables of an index, from a LongStorage of the whole file or from a file
local function parseIndex(self, nextLong, nextLongs)
   assert(nextLong() == MAGIC, "unrecognized index format")
   assert(nextLong() == VERSION, "unsupported format version")
   self.typename, self.type = typeOfCode(nextLong())
   assert(self.type, "unrecognized type")
   assert(nextLong() == self.type.size, "type size do not match")
   self.N = nextLong()
   self.S = nextLong()
   self.dimoffsets = nextLongs(self.N + 1)
   self.datoffsets = nextLongs(self.N + 1)
   self.sizes = nextLongs(self.S)
end

local function readIndexFile(self, filename)
   local f = torch.DiskFile(filename):binary()
   parseIndex(self,
      function() return f:readLong() end,
      function(n) return torch.LongTensor(f:readLong(n)) end)
   f:close()
end

-- the index read as one LongStorage, the tables being views of it (torchnet's mmapidx; the
-- file is read, not mapped)
local function readIndexStorage(self, filename)
   local f = torch.DiskFile(filename):binary()
   f:seekEnd()
   local n = (f:position() - 1) / 8
   f:seek(1)
   local idx = f:readLong(n)
   f:close()
   local offset = 0
   parseIndex(self,
      function()
         offset = offset + 1
         return idx[offset]
      end,
      function(count)
         local t = torch.LongTensor(idx, offset + 1, count)
         offset = offset + count
         return t
      end)
end

IndexedDatasetWriter.__init = argcheck{
   {name = 'self', type = 'tnt.IndexedDatasetWriter'},
   {name = 'indexfilename', type = 'string'},
   {name = 'datafilename', type = 'string'},
   {name = 'type', type = 'string'},
   call = function(self, indexfilename, datafilename, typename)
      assert(TYPES[typename],
         'invalid type (byte, char, short, int, long, float, double or table expected)')
      self.BLOCKSZ = 1024
      self.indexfilename = indexfilename
      self.datafilename = datafilename
      self.type = TYPES[typename]
      -- grown by blocks as tensors are added; trimmed to N+1 / S by close()
      self.dimoffsets = torch.LongTensor(self.BLOCKSZ)
      self.datoffsets = torch.LongTensor(self.BLOCKSZ)
      self.sizes = torch.LongTensor(self.BLOCKSZ)
      self.N, self.S = 0, 0
      self.dimoffsets[1] = 0
      self.datoffsets[1] = 0
      self.datafile = torch.DiskFile(datafilename, 'w'):binary()
   end
}

-- (indexfilename, datafilename): reopens an archive to append to it
IndexedDatasetWriter.__init = argcheck{
   {name = 'self', type = 'tnt.IndexedDatasetWriter'},
   {name = 'indexfilename', type = 'string'},
   {name = 'datafilename', type = 'string'},
   overload = IndexedDatasetWriter.__init,
   call = function(self, indexfilename, datafilename)
      self.BLOCKSZ = 1024
      self.indexfilename = indexfilename
      self.datafilename = datafilename
      readIndexFile(self, indexfilename)
      self.datafile = torch.DiskFile(datafilename, 'rw'):binary()
      self.datafile:seekEnd()
   end
}

IndexedDatasetWriter.add = argcheck{
   {name = 'self', type = 'tnt.IndexedDatasetWriter'},
   {name = 'tensor', type = 'torch.*Tensor'},
   call = function(self, tensor)
      assert(torch.typename(tensor) == self.type.name, 'invalid tensor type')
      local size = tensor:size()
      local dim = size:size()
      local N, S = self.N + 1, self.S + dim
      if self.dimoffsets:size(1) < N + 1 then
         self.dimoffsets:resize(N + self.BLOCKSZ)
         self.datoffsets:resize(N + self.BLOCKSZ)
      end
      if self.sizes:size(1) < S then self.sizes:resize(S + self.BLOCKSZ) end
      self.dimoffsets[N + 1] = self.dimoffsets[N] + dim
      self.datoffsets[N + 1] = self.datoffsets[N] + tensor:nElement()
      if dim > 0 then self.sizes:narrow(1, self.S + 1, dim):copy(torch.LongTensor(size)) end
      self.N, self.S = N, S
      if tensor:nElement() > 0 then
         self.datafile[self.type.write](self.datafile, tensor:clone():storage())
      end
   end
}

-- add(filename): the whole file's bytes, read as elements of the archive's type
IndexedDatasetWriter.add = argcheck{
   {name = 'self', type = 'tnt.IndexedDatasetWriter'},
   {name = 'filename', type = 'string'},
   overload = IndexedDatasetWriter.add,
   call = function(self, filename)
      local f = torch.DiskFile(filename):binary()
      f:seekEnd()
      local bytes = f:position() - 1
      f:seek(1)
      local storage = f[self.type.read](f, bytes / self.type.size)
      f:close()
      self:add(self.type.tensor(storage))
   end
}

-- add(table): a Lua value, serialized (table and char archives only)
IndexedDatasetWriter.add = argcheck{
   {name = 'self', type = 'tnt.IndexedDatasetWriter'},
   {name = 'table', type = 'table'},
   nonamed = true,
   overload = IndexedDatasetWriter.add,
   call = function(self, tbl)
      assert(self.type == TYPES.table or self.type == TYPES.char,
         'table convenience method is only available for "table" or "char"-based datasets')
      self:add(torch.CharTensor(torch.serializeToStorage(tbl)))
   end
}

-- writes the index and closes the archive (required: nothing is indexed before)
IndexedDatasetWriter.close = argcheck{
   {name = 'self', type = 'tnt.IndexedDatasetWriter'},
   call = function(self)
      local f = torch.DiskFile(self.indexfilename, 'w'):binary()
      for _, v in ipairs{MAGIC, VERSION, self.type.code, self.type.size, self.N, self.S} do
         f:writeLong(v)
      end
      self.dimoffsets = torch.LongTensor(self.dimoffsets:storage():resize(self.N + 1))
      self.datoffsets = torch.LongTensor(self.datoffsets:storage():resize(self.N + 1))
      self.sizes = torch.LongTensor(self.sizes:storage():resize(self.S))
      f:writeLong(self.dimoffsets:storage())
      f:writeLong(self.datoffsets:storage())
      f:writeLong(self.sizes:storage())
      f:close()
      self.datafile:close()
   end
}

-- an archive left on disk: data:narrow(1, offset, size) reads those elements from the file
local function onFile(data, datafilename)
   local f = torch.DiskFile(datafilename):binary():noBuffer()
   local methods = {}
   function methods:narrow(dim, offset, size)
      f:seek((offset - 1) * self.type.size + 1)
      return self.type.tensor(f[self.type.read](f, size))
   end
   return setmetatable(data, {__index = methods})
end

IndexedDatasetReader.__init = argcheck{
   {name = 'self', type = 'tnt.IndexedDatasetReader'},
   {name = 'indexfilename', type = 'string'},
   {name = 'datafilename', type = 'string'},
   {name = 'mmap', type = 'boolean', default = false},
   {name = 'mmapidx', type = 'boolean', default = false},
   call = function(self, indexfilename, datafilename, mmap, mmapidx)
      self.indexfilename = indexfilename
      self.datafilename = datafilename
      if mmapidx then
         readIndexStorage(self, indexfilename)
      else
         readIndexFile(self, indexfilename)
      end
      if mmap then
         -- the whole archive in memory (torchnet maps the file; it is read here)
         local f = torch.DiskFile(datafilename):binary()
         f:seekEnd()
         local n = (f:position() - 1) / self.type.size
         f:seek(1)
         self.data = n > 0 and self.type.tensor(f[self.type.read](f, n)) or self.type.tensor()
         f:close()
      else
         self.data = onFile({type = self.type}, datafilename)
      end
   end
}

-- written without the type table (and the open file), found again by name when read
function IndexedDatasetReader:__write(file)
   local obj = {}
   for k, v in pairs(self) do obj[k] = v end
   obj.type = nil
   if type(self.data) == 'table' then obj.data.type = nil end
   file:writeObject(obj)
   if type(self.data) == 'table' then obj.data.type = self.type end
end

function IndexedDatasetReader:__read(file)
   for k, v in pairs(file:readObject()) do self[k] = v end
   self.type = TYPES[self.typename]
   if type(self.data) == 'table' then
      self.data.type = self.type
      onFile(self.data, self.datafilename)
   end
end

IndexedDatasetReader.size = argcheck{
   {name = 'self', type = 'tnt.IndexedDatasetReader'},
   call = function(self)
      return self.N
   end
}

-- the index-th tensor (a copy), or the Lua value of a table archive
IndexedDatasetReader.get = argcheck{
   {name = 'self', type = 'tnt.IndexedDatasetReader'},
   {name = 'index', type = 'number'},
   call = function(self, index)
      assert(index > 0 and index <= self.N, 'index out of range')
      local ndim = self.dimoffsets[index + 1] - self.dimoffsets[index]
      if ndim == 0 then return self.type.tensor() end
      local size = self.sizes:narrow(1, self.dimoffsets[index] + 1, ndim):clone():storage()
      local first = self.datoffsets[index]
      local data = self.data:narrow(1, first + 1, self.datoffsets[index + 1] - first):view(size)
      if self.type == TYPES.table then
         -- (Torch's deserializeFromStorage also takes a tensor; ours wants the exact storage)
         return torch.deserializeFromStorage(data:clone():storage())
      end
      return data:clone()
   end
}

-- fields: with path, a list of names (path/name.idx and path/name.bin); without, a hash
-- name -> {idx = file, bin = file}. standalone: one field, whose values are the samples.
IndexedDataset.__init = argcheck{
   noordered = true,
   {name = 'self', type = 'tnt.IndexedDataset'},
   {name = 'fields', type = 'table'},
   {name = 'path', type = 'string', opt = true},
   {name = 'maxload', type = 'number', opt = true},
   {name = 'mmap', type = 'boolean', default = false},
   {name = 'mmapidx', type = 'boolean', default = false},
   {name = 'standalone', type = 'boolean', default = false},
   call = function(self, fields, path, maxload, mmap, mmapidx, standalone)
      self.__fields = {}
      if path then
         for _, name in ipairs(fields) do
            assert(type(name) == 'string', 'fields should be a list of strings (fieldnames)')
            table.insert(self.__fields, {name = name,
               idx = string.format('%s/%s.idx', path, name),
               bin = string.format('%s/%s.bin', path, name)})
         end
      else
         for name, paths in pairs(fields) do
            assert(type(name) == 'string' and type(paths.bin) == 'string'
                  and type(paths.idx) == 'string',
               'fields should be a hash of string (fieldname) -> table (idx=string, bin=string)')
            table.insert(self.__fields, {name = name, idx = paths.idx, bin = paths.bin})
         end
      end
      assert(#self.__fields > 0, 'fields should not be empty')
      assert(not standalone or #self.__fields == 1,
         'only one field expected with standalone flag at true')
      local size
      for _, field in ipairs(self.__fields) do
         field.data = tnt.IndexedDatasetReader(field.idx, field.bin, mmap, mmapidx)
         if size then
            assert(field.data:size() == size, 'inconsistent index data size')
         else
            size = field.data:size()
         end
      end
      if maxload and maxload > 0 and maxload < size then size = maxload end
      self.__standalone = standalone
      self.__size = size
      print(string.format("| IndexedDataset: loaded %s with %d examples", path or '', size))
   end
}

IndexedDataset.size = argcheck{
   {name = 'self', type = 'tnt.IndexedDataset'},
   call = function(self)
      return self.__size
   end
}

IndexedDataset.get = argcheck{
   {name = 'self', type = 'tnt.IndexedDataset'},
   {name = 'idx', type = 'number'},
   call = function(self, idx)
      assert(idx >= 1 and idx <= self.__size, 'index out of bound')
      if self.__standalone then return self.__fields[1].data:get(idx) end
      local sample = {}
      for _, field in ipairs(self.__fields) do sample[field.name] = field.data:get(idx) end
      return sample
   end
}
