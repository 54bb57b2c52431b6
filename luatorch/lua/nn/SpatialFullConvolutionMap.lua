local SpatialFullConvolutionMap, parent =
   torch.class('nn.SpatialFullConvolutionMap', 'nn.Module')
local THNN = nn.THNN

function SpatialFullConvolutionMap:__init(conMatrix, kW, kH, dW, dH)
   parent.__init(self)
   self.kW = kW
   self.kH = kH
   self.dW = dW or 1
   self.dH = dH or 1
   self.connTable = conMatrix
   self.nInputPlane = self.connTable:select(2, 1):max()
   self.nOutputPlane = self.connTable:select(2, 2):max()
   self.weight = torch.Tensor(self.connTable:size(1), kH, kW)
   self.gradWeight = torch.Tensor(self.connTable:size(1), kH, kW)
   self.bias = torch.Tensor(self.nOutputPlane)
   self.gradBias = torch.Tensor(self.nOutputPlane)
   self:reset()
end

-- without stdv, each kernel's range follows the fan-in of its output plane; kernels are drawn
-- in table order, then the biases. As in Torch, every value is a torch.uniform (a double,
-- rounded to the tensor's type: for floats not the same as tensor:uniform's)
local function drawEach(t, stdv)
   t:apply(function() return torch.uniform(-stdv, stdv) end)
end

function SpatialFullConvolutionMap:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
      drawEach(self.weight, stdv)
      drawEach(self.bias, stdv)
   else
      local fanin = torch.Tensor(self.nOutputPlane):zero()
      for i = 1, self.connTable:size(1) do
         local o = self.connTable[i][2]
         fanin[o] = fanin[o] + 1
      end
      for k = 1, self.connTable:size(1) do
         stdv = 1 / math.sqrt(self.kW * self.kH * fanin[self.connTable[k][2]])
         drawEach(self.weight:select(1, k), stdv)
      end
      for k = 1, self.bias:size(1) do
         stdv = 1 / math.sqrt(self.kW * self.kH * fanin[k])
         self.bias[k] = torch.uniform(-stdv, stdv)
      end
   end
end

-- THNN's loops run in LuaJIT (torch/conv.lua: TH's 2D pointer functions, bit for bit) for
-- Double and Float tensors of one type and a gradOutput of the output's sizes; the Python
-- kernels do the rest and raise THNN's errors
local conv = torch._conv
local kinds, data, contiguous, connections = conv.kinds, conv.data, conv.contiguous,
                                               conv.connections
local H = torch._H

-- the type's loops, the connections and the sizes (image height and width, kernel height and
-- width, output height and width); nil for the Python kernels
local function geometry(self, input, tensors)
   local mt = getmetatable(input)
   local kind = kinds and kinds[mt]
   if kind == nil then return nil end
   for _, t in ipairs(tensors) do
      if getmetatable(t) ~= mt then return nil end
   end
   local hi, hw = H[input], H[self.weight]
   if hi == nil or hw == nil or hi.dim ~= 3 or hw.dim ~= 3 then return nil end
   local nIn = self.nInputPlane
   if hi.size[0] < nIn then return nil end
   local from, to = connections(self.connTable, hw.size[0], nIn, self.nOutputPlane)
   if from == nil then return nil end
   local ih, iw, kH, kW = hi.size[1], hi.size[2], hw.size[1], hw.size[2]
   return kind, from, to, ih, iw, kH, kW, (ih - 1) * self.dH + kH, (iw - 1) * self.dW + kW
end

-- gradOutput as THNN reads it (contiguous), when it has the output's sizes
local function gradOutputOf(self, gradOutput, oh, ow)
   local hg = H[gradOutput]
   if hg == nil or hg.dim ~= 3 or hg.size[0] ~= self.nOutputPlane or hg.size[1] ~= oh
         or hg.size[2] ~= ow then
      return nil
   end
   return contiguous(gradOutput)
end

local function forward(self, input)
   local weight, bias, output = self.weight, self.bias, self.output
   local kind, from, to, ih, iw, kH, kW, oh, ow =
      geometry(self, input, {weight, bias, output})
   if kind == nil then return false end
   local nOut = self.nOutputPlane
   output:resize(nOut, oh, ow)
   local ptr = kind.ptr
   local xp, xo = data(contiguous(input), ptr)
   local wp, wo = data(weight, ptr)
   local bp, bo = data(bias, ptr)
   local yp, yo = data(output, ptr)
   if xp == nil or wp == nil or bp == nil or yp == nil then return false end
   local full2 = kind.loops.full2
   local plane, iplane, kplane = oh * ow, ih * iw, kH * kW
   for p = 0, nOut - 1 do
      local base = yo + p * plane
      local z = bp[bo + p]
      for j = base, base + plane - 1 do yp[j] = z end
      for c = 1, #to do
         if to[c] == p then
            full2(yp, base, 1, xp, xo + from[c] * iplane, ih, iw, wp, wo + (c - 1) * kplane, 1,
                  kH, kW, self.dH, self.dW)
         end
      end
   end
   return true
end

local function backward(self, input, gradOutput)
   local gradInput = self.gradInput
   local kind, from, to, ih, iw, kH, kW, oh, ow =
      geometry(self, input, {self.weight, gradInput, gradOutput})
   if kind == nil then return false end
   gradOutput = gradOutputOf(self, gradOutput, oh, ow)
   if gradOutput == nil then return false end
   gradInput:resizeAs(input)
   local ptr = kind.ptr
   local gp, go = data(gradOutput, ptr)
   local wp, wo = data(contiguous(self.weight), ptr)
   local ip, io = data(gradInput, ptr)
   if gp == nil or wp == nil or ip == nil then return false end
   gradInput:zero()
   local valid2 = kind.loops.valid2
   local plane, iplane, kplane = oh * ow, ih * iw, kH * kW
   for p = 0, self.nInputPlane - 1 do
      for c = 1, #from do
         if from[c] == p then
            valid2(ip, io + p * iplane, 1, gp, go + to[c] * plane, oh, ow, wp,
                   wo + (c - 1) * kplane, 1, kH, kW, self.dH, self.dW)
         end
      end
   end
   return true
end

local function accumulate(self, input, gradOutput, scale)
   local gradWeight, gradBias = self.gradWeight, self.gradBias
   local kind, from, to, ih, iw, kH, kW, oh, ow =
      geometry(self, input, {gradWeight, gradBias, gradOutput})
   if kind == nil then return false end
   local hw, hb = H[gradWeight], H[gradBias]
   local nOut = self.nOutputPlane
   if hw == nil or hw.dim ~= 3 or hw.size[0] ~= #from or hw.size[1] ~= kH
         or hw.size[2] ~= kW or hb == nil or hb.dim ~= 1 or hb.size[0] ~= nOut then
      return false
   end
   gradOutput = gradOutputOf(self, gradOutput, oh, ow)
   if gradOutput == nil then return false end
   local ptr = kind.ptr
   local xp, xo = data(contiguous(input), ptr)
   local gp, go = data(gradOutput, ptr)
   local wp, wo = data(gradWeight, ptr)
   local bp, bo = data(gradBias, ptr)
   if xp == nil or gp == nil or wp == nil or bp == nil then return false end
   local real = kind.real
   scale = real(scale)
   local plane, iplane, kplane = oh * ow, ih * iw, kH * kW
   for k = 0, nOut - 1 do
      local acc = bp[bo + k]
      local base = go + k * plane
      for l = base, base + plane - 1 do acc = real(acc + real(scale * gp[l])) end
      bp[bo + k] = acc
   end
   -- the kernel gradient correlates gradOutput with the input plane as the "kernel"
   local rev2 = kind.loops.rev2
   for c = 1, #from do
      rev2(wp, wo + (c - 1) * kplane, scale, gp, go + to[c] * plane, oh, ow,
           xp, xo + from[c] * iplane, ih, iw, self.dH, self.dW)
   end
   return true
end

function SpatialFullConvolutionMap:updateOutput(input)
   if not forward(self, input) then
      THNN.SpatialFullConvolutionMap_updateOutput(input, self.output, self.weight, self.bias,
         self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH)
   end
   return self.output
end

function SpatialFullConvolutionMap:updateGradInput(input, gradOutput)
   if not backward(self, input, gradOutput) then
      THNN.SpatialFullConvolutionMap_updateGradInput(input, gradOutput, self.gradInput,
         self.weight, self.bias, self.connTable, self.nInputPlane, self.nOutputPlane, self.dW,
         self.dH)
   end
   return self.gradInput
end

function SpatialFullConvolutionMap:accGradParameters(input, gradOutput, scale)
   if not accumulate(self, input, gradOutput, scale or 1) then
      THNN.SpatialFullConvolutionMap_accGradParameters(input, gradOutput, self.gradWeight,
         self.gradBias, self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH,
         scale or 1)
   end
end
