-- matio: MATLAB .mat files (soumith/matio-ffi.torch's API) on scipy.io
-- (luatorch/packages/matio_backend.py).
-- matio.load(file) -> table of every variable; matio.load(file, 'name') -> that variable;
-- matio.load(file, {'a', 'b'}) -> table of those. matio.save(file, tensor) saves it as 'x';
-- matio.save(file, {name = tensor or number or string or boolean or table, ...}).
local torch = require 'torch'
local py = torch._py
local bind = torch._bind

local matio = {}
matio.use_lua_strings = false
matio.ffi = {COMPRESSION_NONE = 0, COMPRESSION_ZLIB = 1}
matio.compression = matio.ffi.COMPRESSION_ZLIB

local matLoad, matSave = bind(py.mat_load), bind(py.mat_save)

function matio.load(filename, name)
   if type(filename) ~= 'string' then error('matio.load: file name (string) expected', 2) end
   local names, single
   if type(name) == 'string' then
      names, single = {name}, true
   elseif type(name) == 'table' then
      names = name
   elseif name ~= nil then
      error('matio.load: variable name (string) or table of names expected', 2)
   end
   local wanted
   if names then
      wanted = {}
      for _, n in ipairs(names) do wanted[n] = true end
   end
   local vars, order = matLoad(filename, wanted, matio.use_lua_strings)
   if vars == nil then
      print('File could not be opened: ' .. filename)
      return nil
   end
   if #order == 0 then
      print('No variables in this file')
      return nil
   end
   if names then
      local present = {}
      for _, n in ipairs(order) do present[n] = true end
      for _, n in ipairs(names) do
         if not present[n] then
            print('Could not find variable with name: ' .. n .. ' in file: ' .. filename)
         end
      end
   end
   if single then return vars[name] end
   return vars
end

-- tensors anywhere in the data as the Python objects behind them
local function unwrapDeep(v)
   if torch.isTensor(v) then return torch._P[v] end
   if type(v) == 'table' then
      local t = {}
      for k, x in pairs(v) do t[k] = unwrapDeep(x) end
      return t
   end
   return v
end

function matio.save(filename, data)
   if type(filename) ~= 'string' then error('matio.save: file name (string) expected', 2) end
   if not (torch.isTensor(data) or type(data) == 'table') then
      error('only tensor or table of tensors supported!', 2)
   end
   matSave(filename, unwrapDeep(data), matio.compression ~= matio.ffi.COMPRESSION_NONE)
end

return matio
