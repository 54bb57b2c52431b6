local SpatialConvolutionMap, parent = torch.class('nn.SpatialConvolutionMap', 'nn.Module')
local THNN = nn.THNN

-- connection tables: one row {input plane, output plane} per kernel
nn.tables = nn.tables or {}

function nn.tables.full(nin, nout)
   local ft = torch.Tensor(nin * nout, 2)
   local p = 1
   for j = 1, nout do
      for i = 1, nin do
         ft[p][1] = i
         ft[p][2] = j
         p = p + 1
      end
   end
   return ft
end

function nn.tables.oneToOne(nfeat)
   local ft = torch.Tensor(nfeat, 2)
   for i = 1, nfeat do
      ft[i][1] = i
      ft[i][2] = i
   end
   return ft
end

-- every output plane reads nto distinct input planes, taken in turn from random permutations
-- of the inputs (a fresh permutation whenever the current one has no whole chunk left)
function nn.tables.random(nin, nout, nto)
   local tbl = torch.Tensor(nto * nout, 2)
   local perm = torch.randperm(nin)
   local chunks = math.floor(nin / nto)
   local from = tbl:select(2, 1):unfold(1, nto, nto)
   local to = tbl:select(2, 2):unfold(1, nto, nto)
   local permChunks = perm:narrow(1, 1, chunks * nto):unfold(1, nto, nto)
   local c = 1
   for i = 1, nout do
      from:select(1, i):copy(permChunks:select(1, c))
      c = c + 1
      if c - 1 == chunks then
         perm:copy(torch.randperm(nin))
         c = 1
      end
   end
   for i = 1, to:size(1) do
      to:select(1, i):fill(i)
   end
   return tbl
end

function SpatialConvolutionMap:__init(conMatrix, kW, kH, dW, dH)
   parent.__init(self)
   self.kW = kW
   self.kH = kH
   self.dW = dW or 1
   self.dH = dH or 1
   self.connTable = conMatrix
   self.nInputPlane = self.connTable:select(2, 1):max()
   self.nOutputPlane = self.connTable:select(2, 2):max()
   self.weight = torch.Tensor(self.connTable:size(1), kH, kW)
   self.bias = torch.Tensor(self.nOutputPlane)
   self.gradWeight = torch.Tensor(self.connTable:size(1), kH, kW)
   self.gradBias = torch.Tensor(self.nOutputPlane)
   self:reset()
end

-- without stdv, each kernel's range follows the fan-in of its output plane; kernels are drawn
-- in table order, then the biases. With nn.oldSeed every value is a torch.uniform (a double
-- rounded to the tensor's type), as in Torch.
local function draw(t, stdv)
   if nn.oldSeed then
      t:apply(function() return torch.uniform(-stdv, stdv) end)
   else
      t:uniform(-stdv, stdv)
   end
end

function SpatialConvolutionMap:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
      draw(self.weight, stdv)
      draw(self.bias, stdv)
   else
      local fanin = torch.Tensor(self.nOutputPlane):zero()
      for i = 1, self.connTable:size(1) do
         local o = self.connTable[i][2]
         fanin[o] = fanin[o] + 1
      end
      for k = 1, self.connTable:size(1) do
         stdv = 1 / math.sqrt(self.kW * self.kH * fanin[self.connTable[k][2]])
         draw(self.weight:select(1, k), stdv)
      end
      for k = 1, self.bias:size(1) do
         stdv = 1 / math.sqrt(self.kW * self.kH * fanin[k])
         self.bias[k] = torch.uniform(-stdv, stdv)
      end
   end
end

-- THNN's loops run in LuaJIT (torch/conv.lua: TH's 2D pointer functions, bit for bit) when
-- the tensors are Double or Float, of one type, and the image fits the kernel and strides
-- exactly for the gradients (THNN's kernel gradient is sized by that fit); the Python kernels
-- do the rest and raise THNN's errors. The gradient tests call these tens of thousands of times.
local conv = torch._conv
local kinds, data, contiguous, connections = conv.kinds, conv.data, conv.contiguous,
                                               conv.connections
local H = torch._H
local floor = math.floor

-- what the three passes share: the type's loops, the connections, the sizes (batch size,
-- image height and width, kernel height and width); nil for the Python kernels
local function geometry(self, input, exact)
   local mt = getmetatable(input)
   local kind = kinds and kinds[mt]
   local weight = self.weight
   if kind == nil or getmetatable(weight) ~= mt then return nil end
   local hi, hw = H[input], H[weight]
   if hi == nil or hw == nil or hw.dim ~= 3 then return nil end
   local nd = hi.dim
   if nd ~= 3 and nd ~= 4 then return nil end
   local first = nd - 3
   local nIn = self.nInputPlane
   -- a batch item's planes are nIn apart in THNN's loops: batches of exactly nIn planes only
   local planes = hi.size[first]
   if planes < nIn or (nd == 4 and planes ~= nIn) then return nil end
   local ih, iw = hi.size[first + 1], hi.size[first + 2]
   local kH, kW, dH, dW = hw.size[1], hw.size[2], self.dH, self.dW
   if ih < kH or iw < kW then return nil end
   if exact and ((ih - kH) % dH ~= 0 or (iw - kW) % dW ~= 0) then return nil end
   local from, to = connections(self.connTable, hw.size[0], nIn, self.nOutputPlane)
   if from == nil then return nil end
   return kind, from, to, nd == 4 and hi.size[0] or 1, ih, iw, kH, kW
end

-- gradOutput as THNN reads it (contiguous), when it has the output's sizes
local function gradOutputOf(self, input, gradOutput, nbatch, oh, ow)
   local hg = H[gradOutput]
   if getmetatable(gradOutput) ~= getmetatable(input) or hg == nil then return nil end
   local nd = H[input].dim
   if hg.dim ~= nd then return nil end
   local first = nd - 3
   if (nd == 4 and hg.size[0] ~= nbatch) or hg.size[first] ~= self.nOutputPlane
         or hg.size[first + 1] ~= oh or hg.size[first + 2] ~= ow then
      return nil
   end
   return contiguous(gradOutput)
end

local function forward(self, input)
   local kind, from, to, nbatch, ih, iw, kH, kW = geometry(self, input, false)
   local output, bias = self.output, self.bias
   if kind == nil or getmetatable(bias) ~= getmetatable(input)
         or getmetatable(output) ~= getmetatable(input) then
      return false
   end
   local nIn, nOut, dH, dW = self.nInputPlane, self.nOutputPlane, self.dH, self.dW
   local oh, ow = floor((ih - kH) / dH) + 1, floor((iw - kW) / dW) + 1
   if H[input].dim == 3 then output:resize(nOut, oh, ow) else output:resize(nbatch, nOut, oh, ow) end
   local ptr = kind.ptr
   local xp, xo = data(contiguous(input), ptr)
   local wp, wo = data(contiguous(self.weight), ptr)
   local bp, bo = data(contiguous(bias), ptr)
   local yp, yo = data(output, ptr)
   if xp == nil or wp == nil or bp == nil or yp == nil then return false end
   local valid2 = kind.loops.valid2
   local plane, iplane, kplane = oh * ow, ih * iw, kH * kW
   -- output plane after output plane, batch item after batch item: the bias, then the
   -- connections into the plane in table order
   for p = 0, nOut - 1 do
      for m = 0, nbatch - 1 do
         local base = yo + (m * nOut + p) * plane
         local z = bp[bo + p]
         for j = base, base + plane - 1 do yp[j] = z end
         for c = 1, #to do
            if to[c] == p then
               valid2(yp, base, 1, xp, xo + (m * nIn + from[c]) * iplane, ih, iw,
                      wp, wo + (c - 1) * kplane, 1, kH, kW, dH, dW)
            end
         end
      end
   end
   return true
end

local function backward(self, input, gradOutput)
   local kind, from, to, nbatch, ih, iw, kH, kW = geometry(self, input, true)
   local gradInput = self.gradInput
   if kind == nil or getmetatable(gradInput) ~= getmetatable(input) then return false end
   local nIn, nOut, dH, dW = self.nInputPlane, self.nOutputPlane, self.dH, self.dW
   local oh, ow = (ih - kH) / dH + 1, (iw - kW) / dW + 1
   gradOutput = gradOutputOf(self, input, gradOutput, nbatch, oh, ow)
   if gradOutput == nil then return false end
   gradInput:resizeAs(input)
   local ptr = kind.ptr
   local gp, go = data(gradOutput, ptr)
   local wp, wo = data(contiguous(self.weight), ptr)
   local ip, io = data(gradInput, ptr)
   if gp == nil or wp == nil or ip == nil then return false end
   gradInput:zero()
   local full2 = kind.loops.full2
   local plane, iplane, kplane = oh * ow, ih * iw, kH * kW
   for p = 0, nIn - 1 do
      for m = 0, nbatch - 1 do
         for c = 1, #from do
            if from[c] == p then
               full2(ip, io + (m * nIn + p) * iplane, 1, gp, go + (m * nOut + to[c]) * plane,
                     oh, ow, wp, wo + (c - 1) * kplane, 1, kH, kW, dH, dW)
            end
         end
      end
   end
   return true
end

local function accumulate(self, input, gradOutput, scale)
   local kind, from, to, nbatch, ih, iw, kH, kW = geometry(self, input, true)
   local gradWeight, gradBias = self.gradWeight, self.gradBias
   if kind == nil or getmetatable(gradWeight) ~= getmetatable(input)
         or getmetatable(gradBias) ~= getmetatable(input) then
      return false
   end
   local hw = H[gradWeight]
   if hw == nil or hw.dim ~= 3 or hw.size[1] ~= kH or hw.size[2] ~= kW then return false end
   local nIn, nOut, dH, dW = self.nInputPlane, self.nOutputPlane, self.dH, self.dW
   local oh, ow = (ih - kH) / dH + 1, (iw - kW) / dW + 1
   gradOutput = gradOutputOf(self, input, gradOutput, nbatch, oh, ow)
   if gradOutput == nil then return false end
   local ptr = kind.ptr
   local xp, xo = data(contiguous(input), ptr)
   local gp, go = data(gradOutput, ptr)
   local wp, wo = data(gradWeight, ptr)
   local bp, bo = data(gradBias, ptr)
   local hb = H[gradBias]
   if xp == nil or gp == nil or wp == nil or bp == nil or hb.dim ~= 1 or hb.size[0] ~= nOut then
      return false
   end
   local real = kind.real
   scale = real(scale)
   local plane, iplane, kplane = oh * ow, ih * iw, kH * kW
   -- the bias: gradOutput's planes summed into it element by element
   for k = 0, nOut - 1 do
      local acc = bp[bo + k]
      for m = 0, nbatch - 1 do
         local base = go + (m * nOut + k) * plane
         for l = base, base + plane - 1 do acc = real(acc + real(scale * gp[l])) end
      end
      bp[bo + k] = acc
   end
   local rev2 = kind.loops.rev2
   for c = 1, #from do
      for m = 0, nbatch - 1 do
         rev2(wp, wo + (c - 1) * kplane, scale, xp, xo + (m * nIn + from[c]) * iplane, ih, iw,
              gp, go + (m * nOut + to[c]) * plane, oh, ow, dH, dW)
      end
   end
   return true
end

function SpatialConvolutionMap:updateOutput(input)
   if not forward(self, input) then
      THNN.SpatialConvolutionMap_updateOutput(input, self.output, self.weight, self.bias,
         self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH)
   end
   return self.output
end

function SpatialConvolutionMap:updateGradInput(input, gradOutput)
   if not backward(self, input, gradOutput) then
      THNN.SpatialConvolutionMap_updateGradInput(input, gradOutput, self.gradInput, self.weight,
         self.bias, self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH)
   end
   return self.gradInput
end

function SpatialConvolutionMap:accGradParameters(input, gradOutput, scale)
   if not accumulate(self, input, gradOutput, scale or 1) then
      THNN.SpatialConvolutionMap_accGradParameters(input, gradOutput, self.gradWeight,
         self.gradBias, self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH,
         scale or 1)
   end
end

function SpatialConvolutionMap:decayParameters(decay)
   self.weight:add(-decay, self.weight)
   self.bias:add(-decay, self.bias)
end
