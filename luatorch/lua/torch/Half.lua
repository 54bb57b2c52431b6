-- torch.HalfTensor and torch.HalfStorage: float16 values as Torch7 keeps them on the CPU.
-- Torch7 gives HalfTensor the geometry, copy and conversion methods of generic/Tensor.c and
-- Tensor.lua, and no maths at all (TensorMath.lua wraps nothing for it): a HalfTensor is for
-- storing and moving half values, and user code converts to float to compute. This file trims
-- the Half metatable, which init.lua filled like every other type's, to that set.

local torch = torch

-- generic/Tensor.c's methods that exist for Half, then Tensor.lua's (every type gets those)
local methods = {
   'contiguous', 'size', 'elementSize', 'stride', 'dim', 'nDimension', 'set', 'storage',
   'storageOffset', 'clone', 'resizeAs', 'resize', 'narrow', 'sub', 'select', 'transpose', 't',
   'unfold', 'isContiguous', 'isSameSizeAs', 'isSetTo', 'isSize', 'nElement', 'copy', 'read',
   'write', 'retain', 'free', 'cdata', 'data',
   'type', 'typeAs', 'byte', 'char', 'short', 'int', 'long', 'float', 'double', 'half', 'real',
   'expand', 'expandAs', 'repeatTensor', 'view', 'viewAs', 'split', 'chunk', 'totable',
   'permute',
}

-- metatable fields that are not methods (type name, constructor, metamethods)
local keep = {__typename = true, __index = true, __newindex = true, __tostring = true,
              __tostring__ = true, __len = true, __gc = true, new = true}

local half = torch.getmetatable('torch.HalfTensor')
local double = torch.getmetatable('torch.DoubleTensor')
local allowed = {}
for _, name in ipairs(methods) do allowed[name] = true end
local drop = {}
for k in pairs(half) do
   if not allowed[k] and not keep[k] then drop[#drop + 1] = k end
end
for _, k in ipairs(drop) do rawset(half, k, nil) end
-- Double's metatable holds each method's final binding (extra.lua replaces some of init.lua's)
for _, name in ipairs(methods) do
   rawset(half, name, rawget(double, name) or rawget(half, name))
end
local halfStorage = torch.getmetatable('torch.HalfStorage')
rawset(halfStorage, 'elementSize', rawget(torch.getmetatable('torch.DoubleStorage'), 'elementSize'))

-- Tensor.lua's totable goes through float for Half
rawset(half, 'totable', function(self) return self:float():totable() end)

-- luaT's operator metamethods, with no handler behind them: its error messages
local function typename(x) return torch.typename(x) or '(null)' end
local function noOperator(what)
   return function(a, b)
      error(string.format('both %s and %s have no %s operator', typename(a), typename(b), what),
            2)
   end
end
rawset(half, '__add', noOperator('addition'))
rawset(half, '__mul', noOperator('multiplication'))
rawset(half, '__div', noOperator('division'))
rawset(half, '__mod', noOperator('modulo'))
rawset(half, '__unm', function(a)
   error(typename(a) .. ' has no negation operator', 2)
end)

-- Torch7's `require 'torch'` also runs its own test file, which gives HalfTensor a few
-- methods computed in the default type and converted back to half. Every Torch7 session has
-- them, so scripts may rely on them: they behave the same here. Note that fill returns a new
-- tensor and leaves self unchanged, as there.
local function viaReal(f)
   return function(self, ...) return f(self:real(), ...):half() end
end
rawset(half, '__sub', function(a, b) return (a:real() - b:real()):half() end)
rawset(half, 'mean', viaReal(function(x, dim) return x:mean(dim) end))
rawset(half, 'abs', viaReal(function(x) return x:abs() end))
rawset(half, 'max', function(self) return self:real():max() end)
rawset(half, 'add', function(self, a, b) return self:real():add(a, b:real()):half() end)
rawset(half, 'reshape', viaReal(function(x, a, b) return x:reshape(a, b) end))
rawset(half, 'fill', viaReal(function(x, v) return x:fill(v) end))

return torch
