-- Local response normalization across feature maps: x / (k + alpha/size * sum of the squares
-- of the size neighbouring maps)^beta
local SpatialCrossMapLRN, parent = torch.class('nn.SpatialCrossMapLRN', 'nn.Module')

-- Both passes are nn's Lua, tensor operation after tensor operation, each one TH's. On Double
-- and Float tensors the same operations run here element by element in LuaJIT instead (each
-- element goes through the same sequence of TH operations, each rounded to the tensor's type
-- as TH rounds it: the same bits), without a call per feature map: nn's test runs both passes
-- thousands of times on small maps. Other cases run the tensor operations.
local conv = torch._conv  -- its typed pointers into contiguous tensors (torch/conv.lua)
local kinds, data = conv.kinds, conv.data
local H = torch._H
local sqrt = math.sqrt

-- TH's x:pow(v) of one element (its special cases included), v already of the tensor's type
local function thPow(x, v, real, pow)
   if v == 1 then return x end
   if v == 2 then return real(x * x) end
   if v == 3 then return real(real(x * x) * x) end
   if v == 0.5 then return real(sqrt(x)) end
   if v == -0.5 then return real(1 / real(sqrt(x))) end
   if v == -1 then return real(1 / x) end
   if v == -2 then return real(1 / real(x * x)) end
   return pow(x, v)
end

-- the loops' type when every tensor is a Double or Float tensor of input's type, the window
-- size is odd (nn's prePad is then a whole number of maps) and input is contiguous; else nil
local function loopKind(self, input, tensors)
   local mt = getmetatable(input)
   local kind = kinds and kinds[mt]
   local size = self.size
   if kind == nil or type(size) ~= 'number' or size < 1 or size % 2 ~= 1 then return nil end
   for _, t in ipairs(tensors) do
      if getmetatable(t) ~= mt then return nil end
   end
   if data(input, kind.ptr) == nil then return nil end
   return kind
end

function SpatialCrossMapLRN:__init(size, alpha, beta, k)
   parent.__init(self)
   self.size = size
   self.alpha = alpha or 0.0001
   self.beta = beta or 0.75
   self.k = k or 1
end

-- scale and output (the batch input B x C x H x W's) as the tensor operations below make them
local function forwardLoops(self, input)
   local output, scale = self.output, self.scale
   local kind = loopKind(self, input, {output, scale})
   if kind == nil then return false end
   local ptr, real, pow = kind.ptr, kind.real, kind.pow
   local xp, xo = data(input, ptr)
   local yp, yo = data(output, ptr)
   local sp, so = data(scale, ptr)
   if yp == nil or sp == nil then return false end
   local h = H[input]
   local batch, channels, plane = h.size[0], h.size[1], h.size[2] * h.size[3]
   local prePad = (self.size - 1) / 2 + 1
   local prePadCrop = prePad > channels and channels or prePad
   local factor, k, e = real(self.alpha / self.size), real(self.k), real(-self.beta)
   for n = 0, batch - 1 do
      for j = n * channels * plane, (n * channels + 1) * plane - 1 do
         local x, y, s = xo + j, yo + j, so + j
         -- the squares, in output until the end
         for c = 0, (channels - 1) * plane, plane do
            local v = xp[x + c]
            yp[y + c] = real(v * v)
         end
         -- the running sum of the squares in the window, map after map
         local sum = 0
         for c = 0, prePadCrop - 1 do sum = real(sum + yp[y + c * plane]) end
         sp[s] = sum
         for c = 1, channels - 1 do
            if c < channels - prePad + 1 then sum = real(sum + yp[y + (c + prePad - 1) * plane]) end
            if c >= prePad then sum = real(sum - yp[y + (c - prePad) * plane]) end
            sp[s + c * plane] = sum
         end
         for c = 0, (channels - 1) * plane, plane do
            local v = real(real(sp[s + c] * factor) + k)
            sp[s + c] = v
            yp[y + c] = real(thPow(v, e, real, pow) * xp[x + c])
         end
      end
   end
   return true
end

-- gradInput, paddedRatio and accumRatio (the batch's) as the tensor operations below make them
local function backwardLoops(self, input, gradOutput)
   local gradInput, output, scale = self.gradInput, self.output, self.scale
   local padded, accum = self.paddedRatio, self.accumRatio
   local kind = loopKind(self, input, {gradOutput, gradInput, output, scale, padded, accum})
   if kind == nil or self.size < 3 then return false end
   local h, hg = H[input], H[gradOutput]
   local batch, channels, height, width = h.size[0], h.size[1], h.size[2], h.size[3]
   for _, t in ipairs({gradOutput, output, scale}) do
      local ht = H[t]
      if ht == nil or ht.dim ~= 4 or ht.size[0] ~= batch or ht.size[1] ~= channels
            or ht.size[2] ~= height or ht.size[3] ~= width then
         return false
      end
   end
   -- the window sum below leaves accumRatio 1 x H x W, as TH's sum over the first dimension
   accum:resize(1, height, width)
   local ptr, real, pow = kind.ptr, kind.real, kind.pow
   local xp, xo = data(input, ptr)
   local gp, go = data(gradOutput, ptr)
   local yp, yo = data(output, ptr)
   local sp, so = data(scale, ptr)
   local ip, io = data(gradInput, ptr)
   local pp, po = data(padded, ptr)
   local ap, ao = data(accum, ptr)
   if not (hg and gp and yp and sp and ip and pp and ap) then return false end
   local size, plane = self.size, height * width
   local e = real(-self.beta)
   local v = real(-(2 * self.alpha * self.beta / self.size))
   local center = (size - (size - 1) / 2 - 1) * plane
   for j = 0, batch * channels * plane - 1 do
      ip[io + j] = real(real(thPow(sp[so + j], e, real, pow)) * gp[go + j])
   end
   for j = po, po + (channels + size - 1) * plane - 1 do pp[j] = 0 end
   for n = 0, batch - 1 do
      local first = n * channels * plane
      for j = 0, plane - 1 do
         for c = 0, (channels - 1) * plane, plane do
            local i = first + c + j
            pp[po + center + c + j] = real(real(gp[go + i] * yp[yo + i]) / sp[so + i])
         end
         -- TH sums the first size - 1 padded maps into accumRatio in the tensor's type (for a
         -- single pixel, whose maps are then contiguous, in double rounded at the end)
         local acc = 0
         if plane > 1 then
            for c = po + j, po + j + (size - 2) * plane, plane do acc = real(acc + pp[c]) end
         else
            for c = po + j, po + j + (size - 2) * plane, plane do acc = acc + pp[c] end
            acc = real(acc)
         end
         for c = 0, channels - 1 do
            acc = real(acc + pp[po + j + (c + size - 1) * plane])
            local i = first + c * plane + j
            ip[io + i] = real(ip[io + i] + real(real(v * xp[xo + i]) * acc))
            acc = real(acc - pp[po + j + c * plane])
         end
         ap[ao + j] = acc
      end
   end
   return true
end

-- Torch's tensor operations, feature map after feature map: the running sum of squares is
-- carried from one map to the next (the next square added, the one leaving the window taken
-- away), in scale
function SpatialCrossMapLRN:updateOutput(input)
   assert(input:dim() == 3 or input:dim() == 4, 'Input must be 3D or 4D')
   self.scale = self.scale or input.new()
   local isBatch = true
   if input:dim() == 3 then
      input = nn.utils.addSingletonDimension(input)
      isBatch = false
   end
   local channels = input:size(2)
   self.output:resizeAs(input)
   self.scale:resizeAs(input)
   if forwardLoops(self, input) then
      if not isBatch then self.output = self.output[1] end
      return self.output
   end
   -- the squares go in output's storage until the end
   local inputSquare = self.output
   inputSquare:pow(input, 2)
   local prePad = (self.size - 1) / 2 + 1
   local prePadCrop = prePad > channels and channels or prePad
   local scaleFirst = self.scale:select(2, 1)
   scaleFirst:zero()
   for c = 1, prePadCrop do
      scaleFirst:add(inputSquare:select(2, c))
   end
   for c = 2, channels do
      local scaleCurrent = self.scale:select(2, c)
      scaleCurrent:copy(self.scale:select(2, c - 1))
      if c < channels - prePad + 2 then
         scaleCurrent:add(1, inputSquare:select(2, c + prePad - 1))
      end
      if c > prePad then
         scaleCurrent:add(-1, inputSquare:select(2, c - prePad))
      end
   end
   self.scale:mul(self.alpha / self.size):add(self.k)
   self.output:pow(self.scale, -self.beta)
   self.output:cmul(input)
   if not isBatch then
      self.output = self.output[1]
   end
   return self.output
end

-- the ratios gradOutput * output / scale, padded with size - 1 zero maps (paddedRatio), are
-- summed over a sliding window of maps (accumRatio)
function SpatialCrossMapLRN:updateGradInput(input, gradOutput)
   assert(input:dim() == 3 or input:dim() == 4, 'Input must be 3D or 4D')
   local isBatch = true
   if input:dim() == 3 then
      input = nn.utils.addSingletonDimension(input)
      gradOutput = nn.utils.addSingletonDimension(gradOutput)
      self.output = nn.utils.addSingletonDimension(self.output)
      isBatch = false
   end
   local batchSize = input:size(1)
   local channels = input:size(2)
   local inputHeight = input:size(3)
   local inputWidth = input:size(4)
   self.paddedRatio = self.paddedRatio or input.new()
   self.accumRatio = self.accumRatio or input.new()
   self.paddedRatio:resize(channels + self.size - 1, inputHeight, inputWidth)
   self.accumRatio:resize(inputHeight, inputWidth)
   local cacheRatioValue = 2 * self.alpha * self.beta / self.size
   local inversePrePad = self.size - (self.size - 1) / 2
   self.gradInput:resizeAs(input)
   if backwardLoops(self, input, gradOutput) then
      if not isBatch then
         self.gradInput = self.gradInput[1]
         self.output = self.output[1]
      end
      return self.gradInput
   end
   self.gradInput:pow(self.scale, -self.beta):cmul(gradOutput)
   self.paddedRatio:zero()
   local paddedRatioCenter = self.paddedRatio:narrow(1, inversePrePad, channels)
   for n = 1, batchSize do
      paddedRatioCenter:cmul(gradOutput[n], self.output[n])
      paddedRatioCenter:cdiv(self.scale[n])
      self.accumRatio:sum(self.paddedRatio:narrow(1, 1, self.size - 1), 1)
      for c = 1, channels do
         self.accumRatio:add(self.paddedRatio[c + self.size - 1])
         self.gradInput[n][c]:addcmul(-cacheRatioValue, input[n][c], self.accumRatio)
         self.accumRatio:add(-1, self.paddedRatio[c])
      end
   end
   if not isBatch then
      self.gradInput = self.gradInput[1]
      self.output = self.output[1]
   end
   return self.gradInput
end

function SpatialCrossMapLRN:clearState()
   nn.utils.clear(self, 'scale', 'paddedRatio', 'accumRatio')
   return parent.clearState(self)
end
