-- nn.THNN: the Python kernels (luatorch/thnn), each a Lua function taking tensors and numbers
-- and writing its outputs in place.
--
-- Kernels take up to some twenty arguments. torch._bind unwraps more than eight through a
-- table and unpack (a table per call for the collector, and unpack stops the JIT): these
-- wrappers have one function per argument count instead, with the arguments as locals.
local py = torch._py
local P, raise = torch._P, torch._raise
local pcall, select = pcall, select

local function finish(ok, ...)
   if ok then return ... end
   raise((...), 3)
end

local MAXARGS = 32

-- calling[n](f) is a function of n arguments calling f with them unwrapped; errors are raised
-- at the kernel's caller, as torch._bind does (each step below is a tail call)
local calling = {}
for n = 0, MAXARGS do
   local params, args = {}, {}
   for i = 1, n do
      params[i] = 'a' .. i
      args[i] = 'P[a' .. i .. '] or a' .. i
   end
   local src = string.format([[
local P, pcall, finish = ...
return function(f)
   return function(%s) return finish(pcall(f%s)) end
end]], table.concat(params, ', '), n > 0 and ', ' .. table.concat(args, ', ') or '')
   calling[n] = assert(loadstring(src, '=nn.THNN'))(P, pcall, finish)
end

local function bind(f)
   local byCount = {}
   return function(...)
      local n = select('#', ...)
      local call = byCount[n]
      if call == nil then
         if n > MAXARGS then return torch._bind(f)(...) end
         call = calling[n](f)
         byCount[n] = call
      end
      return call(...)
   end
end

local THNN = {}
for k, f in pairs(py) do
   local name = k:match('^THNN_(.+)$')
   if name then THNN[name] = bind(f) end
end
-- small Double and Float tensors: some kernels run in LuaJIT first (nn/kernels.lua)
return require('nn.kernels').install(THNN)
