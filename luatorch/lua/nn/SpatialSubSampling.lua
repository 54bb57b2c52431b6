local SpatialSubSampling, parent = torch.class('nn.SpatialSubSampling', 'nn.Module')
local THNN = nn.THNN

-- per plane: output = weight[c] * (sum of the kW x kH window) + bias[c]
function SpatialSubSampling:__init(nInputPlane, kW, kH, dW, dH)
   parent.__init(self)
   self.nInputPlane = nInputPlane
   self.kW = kW
   self.kH = kH
   self.dW = dW or 1
   self.dH = dH or 1
   self.weight = torch.Tensor(nInputPlane)
   self.bias = torch.Tensor(nInputPlane)
   self.gradWeight = torch.Tensor(nInputPlane)
   self.gradBias = torch.Tensor(nInputPlane)
   self:reset()
end

function SpatialSubSampling:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.kW * self.kH)
   end
   self.weight:uniform(-stdv, stdv)
   self.bias:uniform(-stdv, stdv)
end

-- THNN's loops run in LuaJIT, in THNN's order and `real` arithmetic (the same bits), when the
-- tensors are Double or Float tensors of one type; the Python kernels do the rest and raise
-- THNN's errors. nn's gradient tests call these thousands of times on small images.
local conv = torch._conv  -- typed pointers into tensors (torch/conv.lua)
local kinds, data, contiguous = conv.kinds, conv.data, conv.contiguous
local H = torch._H
local floor = math.floor

-- the type's loops and the sizes (batch, planes, input height and width, output height and
-- width), when THNN's checks pass and every tensor has input's type; else nil
local function geometry(self, input, tensors)
   local mt = getmetatable(input)
   local kind = kinds and kinds[mt]
   if kind == nil then return nil end
   for _, t in ipairs(tensors) do
      if getmetatable(t) ~= mt then return nil end
   end
   local hi, hw = H[input], H[tensors[1]]
   if hi == nil or hw == nil or hw.dim ~= 1 then return nil end
   local nd = hi.dim
   if nd ~= 3 and nd ~= 4 then return nil end
   local first = nd - 3
   local planes, ih, iw = hi.size[first], hi.size[first + 1], hi.size[first + 2]
   local kW, kH, dW, dH = self.kW, self.kH, self.dW, self.dH
   if planes ~= hw.size[0] or iw < kW or ih < kH or kW < 1 or kH < 1 or dW < 1 or dH < 1 then
      return nil
   end
   return kind, nd == 4 and hi.size[0] or 1, planes, ih, iw,
      floor((ih - kH) / dH) + 1, floor((iw - kW) / dW) + 1
end

-- gradOutput as THNN reads it (contiguous), when it has the output's sizes
local function gradOutputOf(input, gradOutput, nbatch, planes, oh, ow)
   local hg = H[gradOutput]
   local nd = H[input].dim
   if hg == nil or hg.dim ~= nd then return nil end
   local first = nd - 3
   if (nd == 4 and hg.size[0] ~= nbatch) or hg.size[first] ~= planes
         or hg.size[first + 1] ~= oh or hg.size[first + 2] ~= ow then
      return nil
   end
   return contiguous(gradOutput)
end

local function forward(self, input)
   local weight, bias, output = self.weight, self.bias, self.output
   local kind, nbatch, planes, ih, iw, oh, ow = geometry(self, input, {weight, bias, output})
   if kind == nil then return false end
   if H[input].dim == 3 then
      output:resize(planes, oh, ow)
   else
      output:resize(nbatch, planes, oh, ow)
   end
   local ptr, real = kind.ptr, kind.real
   local xp, xo = data(contiguous(input), ptr)
   local wp, wo = data(weight, ptr)
   local bp, bo = data(bias, ptr)
   local yp, yo = data(output, ptr)
   if xp == nil or wp == nil or bp == nil or yp == nil then return false end
   local kW, kH, dW, dH = self.kW, self.kH, self.dW, self.dH
   local iplane, oplane = ih * iw, oh * ow
   for k = 0, planes - 1 do
      local w, z = wp[wo + k], bp[bo + k]
      for p = 0, nbatch - 1 do
         local y = yo + (p * planes + k) * oplane
         local x = xo + (p * planes + k) * iplane
         -- the bias, then weight times each window's sum
         for i = y, y + oplane - 1 do yp[i] = z end
         for yy = 0, oh - 1 do
            for xx = 0, ow - 1 do
               local pi = x + yy * dH * iw + xx * dW
               local sum = 0
               for _ = 1, kH do
                  for kx = 0, kW - 1 do sum = real(sum + xp[pi + kx]) end
                  pi = pi + iw
               end
               yp[y] = real(yp[y] + real(w * sum))
               y = y + 1
            end
         end
      end
   end
   return true
end

local function backward(self, input, gradOutput)
   local gradInput, weight = self.gradInput, self.weight
   local kind, nbatch, planes, ih, iw, oh, ow =
      geometry(self, input, {weight, gradInput, gradOutput})
   if kind == nil then return false end
   gradOutput = gradOutputOf(input, gradOutput, nbatch, planes, oh, ow)
   if gradOutput == nil then return false end
   gradInput:resizeAs(input)
   local ptr, real = kind.ptr, kind.real
   local gp, go = data(gradOutput, ptr)
   local wp, wo = data(weight, ptr)
   local ip, io = data(gradInput, ptr)
   if gp == nil or wp == nil or ip == nil then return false end
   local kW, kH, dW, dH = self.kW, self.kH, self.dW, self.dH
   local iplane, oplane = ih * iw, oh * ow
   for k = 0, planes - 1 do
      local w = wp[wo + k]
      for p = 0, nbatch - 1 do
         local g = go + (p * planes + k) * oplane
         local gi = io + (p * planes + k) * iplane
         for i = gi, gi + iplane - 1 do ip[i] = 0 end
         -- THNN adds weight * gradOutput to each window, output pixel after output pixel: an
         -- input pixel gets its terms by increasing output row, then column, that is by
         -- decreasing kernel column within a row. Walking output columns innermost, kernel
         -- columns in decreasing order, keeps each pixel's order of additions.
         for yy = 0, oh - 1 do
            local row = gi + yy * dH * iw
            for ky = 0, kH - 1 do
               for kx = kW - 1, 0, -1 do
                  local at = row + ky * iw + kx
                  for xx = 0, ow - 1 do
                     local i = at + xx * dW
                     ip[i] = real(ip[i] + real(gp[g + yy * ow + xx] * w))
                  end
               end
            end
         end
      end
   end
   return true
end

local function accumulate(self, input, gradOutput, scale)
   local gradWeight, gradBias = self.gradWeight, self.gradBias
   local kind, nbatch, planes, ih, iw, oh, ow =
      geometry(self, input, {gradWeight, gradBias, gradOutput})
   if kind == nil then return false end
   local hb = H[gradBias]
   if hb == nil or hb.dim ~= 1 or hb.size[0] ~= planes then return false end
   gradOutput = gradOutputOf(input, gradOutput, nbatch, planes, oh, ow)
   if gradOutput == nil then return false end
   local ptr, real = kind.ptr, kind.real
   local xp, xo = data(contiguous(input), ptr)
   local gp, go = data(gradOutput, ptr)
   local wp, wo = data(gradWeight, ptr)
   local bp, bo = data(gradBias, ptr)
   if xp == nil or gp == nil or wp == nil or bp == nil then return false end
   scale = real(scale)
   local kW, kH, dW, dH = self.kW, self.kH, self.dW, self.dH
   local iplane, oplane = ih * iw, oh * ow
   for k = 0, planes - 1 do
      for p = 0, nbatch - 1 do
         local g = go + (p * planes + k) * oplane
         local x = xo + (p * planes + k) * iplane
         local sum = 0
         for i = g, g + oplane - 1 do sum = real(sum + gp[i]) end
         bp[bo + k] = real(bp[bo + k] + real(scale * sum))
         sum = 0
         for yy = 0, oh - 1 do
            for xx = 0, ow - 1 do
               local pi = x + yy * dH * iw + xx * dW
               local z = gp[g]
               g = g + 1
               for _ = 1, kH do
                  for kx = 0, kW - 1 do sum = real(sum + real(z * xp[pi + kx])) end
                  pi = pi + iw
               end
            end
         end
         wp[wo + k] = real(wp[wo + k] + real(scale * sum))
      end
   end
   return true
end

function SpatialSubSampling:updateOutput(input)
   if not forward(self, input) then
      THNN.SpatialSubSampling_updateOutput(input, self.output, self.weight, self.bias, self.kW,
         self.kH, self.dW, self.dH)
   end
   return self.output
end

function SpatialSubSampling:updateGradInput(input, gradOutput)
   if self.gradInput then
      if not backward(self, input, gradOutput) then
         THNN.SpatialSubSampling_updateGradInput(input, gradOutput, self.gradInput, self.weight,
            self.kW, self.kH, self.dW, self.dH)
      end
      return self.gradInput
   end
end

function SpatialSubSampling:accGradParameters(input, gradOutput, scale)
   if not accumulate(self, input, gradOutput, scale or 1) then
      THNN.SpatialSubSampling_accGradParameters(input, gradOutput, self.gradWeight,
         self.gradBias, self.kW, self.kH, self.dW, self.dH, scale or 1)
   end
end
