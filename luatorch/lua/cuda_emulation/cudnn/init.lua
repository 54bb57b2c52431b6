-- cudnn on a machine without CUDA: each cudnn module is its nn module under a cudnn name
-- (a subclass with the same fields), so models build, print, save and load as cudnn ones.

require 'cunn'

cudnn = cudnn or {}
local cudnn = cudnn

cudnn.benchmark = false
cudnn.fastest = false
cudnn.verbose = false
cudnn.version = 5105

-- cudnn name -> nn name (all but ClippedReLU keep their name)
local names = {
   'SpatialConvolution', 'SpatialFullConvolution', 'VolumetricConvolution',
   'VolumetricFullConvolution', 'TemporalConvolution', 'SpatialMaxPooling',
   'SpatialAveragePooling', 'VolumetricMaxPooling', 'VolumetricAveragePooling',
   'ReLU', 'Tanh', 'Sigmoid', 'SoftMax', 'LogSoftMax', 'SpatialSoftMax', 'SpatialLogSoftMax',
   'SpatialCrossMapLRN', 'BatchNormalization', 'SpatialBatchNormalization',
   'VolumetricBatchNormalization', 'SpatialCrossEntropyCriterion',
}

local function noop(self) return self end

for _, name in ipairs(names) do
   if nn[name] and not cudnn[name] then
      local mt, parent = torch.class('cudnn.' .. name, 'nn.' .. name, cudnn)
      -- cudnn's algorithm choices mean nothing on the CPU
      mt.fastest = noop
      mt.setMode = noop
      mt.resetMode = noop
      mt.resetWeightDescriptors = noop
   end
end

if cudnn.SpatialConvolution then
   -- cudnn's convolution takes a group count after the padding
   function cudnn.SpatialConvolution:__init(nIn, nOut, kW, kH, dW, dH, padW, padH, groups)
      if groups and groups ~= 1 then
         error('luatorch: cudnn.SpatialConvolution with groups > 1 is not supported', 2)
      end
      nn.SpatialConvolution.__init(self, nIn, nOut, kW, kH, dW, dH, padW, padH)
      self.groups = 1
   end
end

if cudnn.ReLU then
   -- cudnn.ReLU(inplace)
   function cudnn.ReLU:__init(inplace)
      nn.ReLU.__init(self, inplace)
   end
end

if cudnn.SoftMax then
   function cudnn.SoftMax:__init() nn.SoftMax.__init(self) end
end
if cudnn.LogSoftMax then
   function cudnn.LogSoftMax:__init() nn.LogSoftMax.__init(self) end
end

-- ClippedReLU(ceiling): min(max(0, x), ceiling), nn's HardTanh(0, ceiling)
if nn.HardTanh and not cudnn.ClippedReLU then
   local C = torch.class('cudnn.ClippedReLU', 'nn.HardTanh', cudnn)
   function C:__init(ceiling, inplace)
      nn.HardTanh.__init(self, 0, ceiling, inplace)
      self.ceiling = ceiling
   end
end

-- convert(net, dst [, exclude]): nn modules to their cudnn twins (dst = cudnn) or back
-- (dst = nn), in place; exclude(module) -> true keeps a module as it is
function cudnn.convert(net, dst, exclude)
   if dst ~= cudnn and dst ~= nn then
      error("bad argument #2 to 'convert' (cudnn or nn expected)", 2)
   end
   local prefix = dst == cudnn and 'nn.' or 'cudnn.'
   local target = dst == cudnn and 'cudnn.' or 'nn.'
   local function convert(m)
      if exclude and exclude(m) then return end
      local tn = torch.typename(m)
      if tn and tn:sub(1, #prefix) == prefix then
         local short = tn:sub(#prefix + 1)
         local mt = torch.getmetatable(target .. short)
         if mt and (dst ~= cudnn or cudnn[short]) and short ~= 'ClippedReLU' then
            setmetatable(m, mt)
         end
      end
      if type(m.modules) == 'table' then
         for _, sub in ipairs(m.modules) do convert(sub) end
      end
   end
   convert(net)
   return net
end

function cudnn.getHandle() return nil end
function cudnn.setStream() end
function cudnn.reset() end

return cudnn
