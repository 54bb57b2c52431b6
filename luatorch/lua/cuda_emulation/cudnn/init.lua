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
   local Conv = cudnn.SpatialConvolution
   local THNN = nn.THNN

   -- cudnn's convolution takes a group count after the padding: the input planes fall into
   -- `groups` groups, each convolved with its own nOutputPlane/groups filters of
   -- nInputPlane/groups planes (AlexNet/CaffeNet's two towers)
   function Conv:__init(nIn, nOut, kW, kH, dW, dH, padW, padH, groups)
      groups = groups or 1
      assert(nIn % groups == 0, 'nInputPlane should be divisible by nGroups')
      assert(nOut % groups == 0, 'nOutputPlane should be divisible by nGroups')
      if groups == 1 then
         nn.SpatialConvolution.__init(self, nIn, nOut, kW, kH, dW, dH, padW, padH)
      else
         -- weights of the grouped shape, drawn once (as cudnn: nn's reset, nn's stdv)
         self.reset = function() end
         nn.SpatialConvolution.__init(self, nIn, nOut, kW, kH, dW, dH, padW, padH)
         self.reset = nil
         self.weight = torch.Tensor(nOut, nIn / groups, kH, kW)
         self.gradWeight = torch.Tensor(nOut, nIn / groups, kH, kW)
         self:reset()
      end
      self.groups = groups
   end

   -- per-group scratch tensors, kept outside the module so that it saves as cudnn's does
   local scratch = setmetatable({}, {__mode = 'k'})
   local function groupBuffers(self, g)
      local all = scratch[self] or {}
      scratch[self] = all
      local b = all[g]
      if not b or torch.type(b.finput) ~= torch.type(self.weight) then
         local new = self.weight.new
         b = {finput = new(), fgradInput = new(), output = new(), gradInput = new()}
         all[g] = b
      end
      return b
   end

   -- for group g: its input planes, weight and bias slices, and the plane dimension
   local function slices(self, input, g)
      local dim = input:dim() == 4 and 2 or 1
      local nIn, nOut = self.nInputPlane / self.groups, self.nOutputPlane / self.groups
      local x = input:narrow(dim, (g - 1) * nIn + 1, nIn):contiguous()
      local bias = self.bias and self.bias:narrow(1, (g - 1) * nOut + 1, nOut)
      return x, self.weight:narrow(1, (g - 1) * nOut + 1, nOut), bias, dim, nOut
   end

   local function outputPlanes(t, dim, g, n)
      return t:narrow(dim, (g - 1) * n + 1, n)
   end

   function Conv:updateOutput(input)
      if (self.groups or 1) == 1 then return nn.SpatialConvolution.updateOutput(self, input) end
      for g = 1, self.groups do
         local b = groupBuffers(self, g)
         local x, w, bias, dim, nOut = slices(self, input, g)
         THNN.SpatialConvolutionMM_updateOutput(x, b.output, w, bias, b.finput, b.fgradInput,
            self.kW, self.kH, self.dW, self.dH, self.padW, self.padH)
         if g == 1 then
            local size = b.output:size()
            size[dim] = self.nOutputPlane
            self.output:resize(size)
         end
         outputPlanes(self.output, dim, g, nOut):copy(b.output)
      end
      return self.output
   end

   function Conv:updateGradInput(input, gradOutput)
      if (self.groups or 1) == 1 then
         return nn.SpatialConvolution.updateGradInput(self, input, gradOutput)
      end
      if not self.gradInput then return end
      self.gradInput:resizeAs(input)
      local nIn = self.nInputPlane / self.groups
      for g = 1, self.groups do
         local b = groupBuffers(self, g)
         local x, w, _, dim, nOut = slices(self, input, g)
         local gy = outputPlanes(gradOutput, dim, g, nOut):contiguous()
         THNN.SpatialConvolutionMM_updateGradInput(x, gy, b.gradInput, w, b.finput,
            b.fgradInput, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH)
         outputPlanes(self.gradInput, dim, g, nIn):copy(b.gradInput)
      end
      return self.gradInput
   end

   function Conv:accGradParameters(input, gradOutput, scale)
      if (self.groups or 1) == 1 then
         return nn.SpatialConvolution.accGradParameters(self, input, gradOutput, scale)
      end
      for g = 1, self.groups do
         local b = groupBuffers(self, g)
         local x, _, _, dim, nOut = slices(self, input, g)
         local gy = outputPlanes(gradOutput, dim, g, nOut):contiguous()
         local gw = self.gradWeight:narrow(1, (g - 1) * nOut + 1, nOut)
         local gb = self.gradBias and self.gradBias:narrow(1, (g - 1) * nOut + 1, nOut)
         THNN.SpatialConvolutionMM_accGradParameters(x, gy, gw, gb, b.finput, b.fgradInput,
            self.kW, self.kH, self.dW, self.dH, self.padW, self.padH, scale or 1)
      end
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
