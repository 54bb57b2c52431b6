-- cutorch emulated on the CPU (luatorch --emulate-cuda, or LUATORCH_EMULATE_CUDA=1): torch.CudaTensor and friends are CPU tensors (CudaTensor is
-- float32, CudaDoubleTensor float64, ...) that print and serialize under their Cuda names, so
-- GPU scripts run unchanged. Each Cuda type is its CPU type under another name: the Python
-- tensor carries a TypeAlias (tensor/core.py) and its proxy gets the metatable made here.

local torch = require 'torch'
local py = torch._py

cutorch = cutorch or {}
local cutorch = cutorch


local newTensor, newStorage = torch._bind(py.new_tensor), torch._bind(py.new_storage)

-- a metatable like the CPU type's, named torch.<name><kind>, registered under its type code
local function derive(name, cpu, kind, code)
   local cpumt = torch.getmetatable('torch.' .. cpu .. kind)
   local proto = newproxy(true)
   local mt = getmetatable(proto)
   for k, v in pairs(cpumt) do mt[k] = v end
   mt.__typename = 'torch.' .. name .. kind
   local make = kind == 'Tensor' and newTensor or newStorage
   local function ctor(...) return make(name, ...) end
   mt.new = ctor
   -- methods of its own first, then whatever the CPU type answers (indexing, later methods);
   -- a tail call, so errors still point at the user's line
   local cpuIndex = cpumt.__index
   mt.__index = function(self, k)
      local v = rawget(mt, k)
      if v ~= nil then return v end
      return cpuIndex(self, k)
   end
   local ct = setmetatable({}, {__index = mt, __newindex = mt, __metatable = mt,
                                __call = function(_, ...) return ctor(...) end})
   torch[name .. kind] = ct
   torch._registerType(mt.__typename, code, proto, ct)
   return mt
end

local tensorTypes = {}   -- 'torch.CudaTensor' -> true, ...
local tensorMetatables = {}
for _, t in ipairs(py.os_cuda_types()) do
   local name, cpu, tcode, scode = t[1], t[2], t[3], t[4]
   if not torch.getmetatable('torch.' .. name .. 'Tensor') then
      tensorMetatables[#tensorMetatables + 1] = derive(name, cpu, 'Tensor', tcode)
      derive(name, cpu, 'Storage', scode)
   end
   tensorTypes['torch.' .. name .. 'Tensor'] = true
end

-- luaT's factory gives an empty object of the type (serialization asks for it)
local rawfactory = torch.factory
function torch.factory(name)
   local what = type(name) == 'string' and name:match('^torch%.(Cuda%a*)$')
   if what and torch[what] and torch.getmetatable(name) then
      local ct = torch[what]
      return function() return ct() end
   end
   return rawfactory(name)
end

-- :cuda(), :cudaDouble(), ... on every tensor type
local conversions = {cuda = 'torch.CudaTensor', cudaDouble = 'torch.CudaDoubleTensor',
   cudaLong = 'torch.CudaLongTensor', cudaInt = 'torch.CudaIntTensor',
   cudaShort = 'torch.CudaShortTensor', cudaChar = 'torch.CudaCharTensor',
   cudaByte = 'torch.CudaByteTensor'}
local allTensorMetatables = {}
for _, name in ipairs(torch._typeNames) do
   allTensorMetatables[#allTensorMetatables + 1] = torch.getmetatable('torch.' .. name .. 'Tensor')
end
for _, mt in ipairs(tensorMetatables) do allTensorMetatables[#allTensorMetatables + 1] = mt end
for _, mt in ipairs(allTensorMetatables) do
   for method, tname in pairs(conversions) do
      rawset(mt, method, function(self) return self:type(tname) end)
   end
end
for _, mt in ipairs(tensorMetatables) do
   rawset(mt, 'getDevice', function() return 1 end)
end

---------------------------------------------------------------------------------------------
-- the cutorch API: one device, the CPU
---------------------------------------------------------------------------------------------
local function checkDevice(d, fname)
   if type(d) ~= 'number' then
      error(string.format("bad argument #1 to '%s' (number expected, got %s)", fname, type(d)), 3)
   end
   if d ~= 1 then
      error(string.format('cuda runtime error (10) : invalid device ordinal (luatorch has one '
         .. 'device, the CPU: device 1, not %d)', d), 3)
   end
end

function cutorch.getDeviceCount() return 1 end
function cutorch.getDevice() return 1 end
function cutorch.setDevice(d) checkDevice(d, 'setDevice') end
function cutorch.synchronize() end
function cutorch.synchronizeAll() end
function cutorch.deviceReset() end
function cutorch.withDevice(d, f)
   checkDevice(d, 'withDevice')
   return f()
end

-- CUDA tensors draw from Torch's generator here, so seeding cutorch seeds it
function cutorch.manualSeed(s) torch.manualSeed(s) end
function cutorch.manualSeedAll(s) torch.manualSeed(s) end
function cutorch.seed() return torch.seed() end
function cutorch.seedAll() return torch.seed() end
function cutorch.initialSeed() return torch.initialSeed() end
function cutorch.getRNGState() return torch.getRNGState() end
function cutorch.setRNGState(s) return torch.setRNGState(s) end

-- free and total bytes: the machine's memory stands in for the device's
function cutorch.getMemoryUsage(d)
   if d ~= nil then checkDevice(d, 'getMemoryUsage') end
   return py.os_memory()
end

function cutorch.getDeviceProperties(d)
   checkDevice(d, 'getDeviceProperties')
   local free, total = py.os_memory()
   return {name = 'CPU (luatorch, no CUDA device)', major = 0, minor = 0,
           totalGlobalMem = total, freeGlobalMem = free, multiProcessorCount = 1,
           maxThreadsPerBlock = 1024, warpSize = 32, clockRate = 0, sharedMemPerBlock = 0,
           regsPerBlock = 0, canMapHostMemory = 1, integrated = 1}
end

function cutorch.createCudaHostTensor(...) return torch.FloatTensor(...) end
function cutorch.createCudaHostDoubleTensor(...) return torch.DoubleTensor(...) end

-- streams and peer access mean nothing on the CPU
function cutorch.reserveStreams() end
function cutorch.getNumStreams() return 0 end
function cutorch.setStream() end
function cutorch.getStream() return 0 end
function cutorch.setDefaultStream() end
function cutorch.streamWaitFor() end
function cutorch.streamWaitForMultiDevice() end
function cutorch.streamBarrier() end
function cutorch.streamSynchronize() end
function cutorch.setPeerToPeerAccess() end
function cutorch.getPeerToPeerAccess() return false end
function cutorch.setKernelPeerToPeerAccess() end
function cutorch.getKernelPeerToPeerAccess() return false end
function cutorch.setHeapTracking() end
function cutorch.isCachingAllocatorEnabled() return false end

cutorch.hasHalf = false
cutorch.isTensorType = function(t) return tensorTypes[torch.type(t)] == true end

return cutorch
