--[[
   MSECriterion for an input whose spatial resolution is at most the target's: the target is
   centre-cropped to the input's height and width first.
--]]
local SpatialAutoCropMSECriterion, parent =
   torch.class('nn.SpatialAutoCropMSECriterion', 'nn.MSECriterion')

function SpatialAutoCropMSECriterion:__init(sizeAverage)
   parent.__init(self, sizeAverage)
end

local function centerCrop(input, cropSize)
   assert(input:dim() == 3 or input:dim() == 4, 'input should be a 3D or  4D tensor')
   assert(#cropSize == 2, 'cropSize should have two elements only')
   local _input = input
   if input:dim() == 3 then
      _input = input:view(1, input:size(1), input:size(2), input:size(3))
   end
   assert(cropSize[1] > 0 and cropSize[1] <= _input:size(3),
          '0 < cropSize[1] <= input:size(3) not satisfied')
   assert(cropSize[2] > 0 and cropSize[2] <= _input:size(4),
          '0 < cropSize[1] <= input:size(3) not satisfied')
   local inputHeight = _input:size(3)
   local inputWidth = _input:size(4)
   local rowStart = 1 + math.floor((inputHeight - cropSize[1]) / 2.0)
   local rowEnd = rowStart + cropSize[1] - 1
   local colStart = 1 + math.floor((inputWidth - cropSize[2]) / 2.0)
   local colEnd = colStart + cropSize[2] - 1
   if input:dim() == 3 then
      return input[{{}, {rowStart, rowEnd}, {colStart, colEnd}}]
   else
      return input[{{}, {}, {rowStart, rowEnd}, {colStart, colEnd}}]
   end
end

local function getTensorHeightAndWidth(tensor)
   local heightIdx, widthIdx = 2, 3
   if tensor:dim() == 4 then
      heightIdx, widthIdx = 3, 4
   end
   return tensor:size(heightIdx), tensor:size(widthIdx)
end

local function inputResolutionIsSmallerThanTargetResolution(input, target)
   local inputHeight, inputWidth = getTensorHeightAndWidth(input)
   local targetHeight, targetWidth = getTensorHeightAndWidth(target)
   return inputHeight <= targetHeight and inputWidth <= targetWidth
end

local function croppedTarget(input, target)
   assert(input:dim() == target:dim(),
          'input and target should have the same number of dimensions')
   assert(input:dim() == 4 or input:dim() == 3, 'input and target must have 3 or 4 dimensions')
   assert(inputResolutionIsSmallerThanTargetResolution(input, target),
          'Spatial resolution of input should be less than or equal to the spatial resolution ' ..
          'of the target')
   local inputHeight, inputWidth = getTensorHeightAndWidth(input)
   return centerCrop(target, {inputHeight, inputWidth})
end

-- THNN's MSECriterion loss over input and the cropped target (a strided view of it) in LuaJIT:
-- a `real` sum of (x - t)^2, both tensors walked in row-major order as TH_TENSOR_APPLY2 walks
-- them. nn's test differentiates the loss numerically, a forward per input element: through
-- Python each would copy the cropped target and build two temporary arrays.
local conv = torch._conv  -- typed pointers into tensors (torch/conv.lua)
local kinds, elements = conv.kinds, conv.elements
local H = torch._H

-- size and stride of dimension d of an nd-dimensional header seen as 4-dimensional (leading
-- dimensions of size 1)
local function dim4(h, nd, d)
   d = d - (4 - nd)
   if d < 0 then return 1, 0 end
   return h.size[d], h.stride[d]
end

-- the loss's sum and the element count; nil when the tensors are not Double or Float tensors
-- of one type and the same sizes (up to 4 dimensions): THNN's kernel does it, or raises
local function sumOfSquares(input, target)
   local mt = getmetatable(input)
   local kind = kinds and kinds[mt]
   if kind == nil or getmetatable(target) ~= mt then return nil end
   local hx, ht = H[input], H[target]
   if hx == nil or ht == nil then return nil end
   local nd = hx.dim
   if nd < 1 or nd > 4 or ht.dim ~= nd then return nil end
   for d = 0, nd - 1 do
      if hx.size[d] ~= ht.size[d] then return nil end
   end
   local xp, xo = elements(input, kind.ptr)
   local tp, to = elements(target, kind.ptr)
   if xp == nil or tp == nil then return nil end
   local n0, x0 = dim4(hx, nd, 0)
   local n1, x1 = dim4(hx, nd, 1)
   local n2, x2 = dim4(hx, nd, 2)
   local n3, x3 = dim4(hx, nd, 3)
   local _, t0 = dim4(ht, nd, 0)
   local _, t1 = dim4(ht, nd, 1)
   local _, t2 = dim4(ht, nd, 2)
   local _, t3 = dim4(ht, nd, 3)
   local real = kind.real
   local sum = 0
   for a = 0, n0 - 1 do
      for b = 0, n1 - 1 do
         for c = 0, n2 - 1 do
            local xi = xo + a * x0 + b * x1 + c * x2
            local ti = to + a * t0 + b * t1 + c * t2
            if x3 == 1 and t3 == 1 then
               for d = 0, n3 - 1 do
                  local z = real(xp[xi + d] - tp[ti + d])
                  sum = real(sum + real(z * z))
               end
            else
               for d = 0, n3 - 1 do
                  local z = real(xp[xi + d * x3] - tp[ti + d * t3])
                  sum = real(sum + real(z * z))
               end
            end
         end
      end
   end
   return sum, n0 * n1 * n2 * n3, real
end

function SpatialAutoCropMSECriterion:updateOutput(input, target)
   local cropped = croppedTarget(input, target)
   local sum, n, real = sumOfSquares(input, cropped)
   if sum == nil then return parent.updateOutput(self, input, cropped) end
   if self.sizeAverage then sum = real(sum / real(n)) end
   -- as MSECriterion: the loss also in a one-element tensor of the input's type
   self.output_tensor = self.output_tensor or input.new(1)
   self.output_tensor[1] = sum
   self.output = sum
   return self.output
end

-- as nn's: the gradient takes a target of the input's sizes (not cropped)
function SpatialAutoCropMSECriterion:updateGradInput(input, gradOutput)
   assert(input:dim() == gradOutput:dim(),
          'input and gradOutput should have the same number of dimensions')
   assert(input:dim() == 4 or input:dim() == 3, 'input and gradOutput must have 3 or 4 dimensions')
   assert(input:isSameSizeAs(gradOutput), 'gradOutput and input must have the same size')
   return parent.updateGradInput(self, input, gradOutput)
end
