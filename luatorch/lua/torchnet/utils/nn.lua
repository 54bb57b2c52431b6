-- tnt.utils.nn: input/output sizes through a stack of convolution-like layers, each given as
-- {kw = kernel width, dw = stride, pw = padding}
local argcheck = require 'argcheck'

local unn = {}

unn.inferinputsize = argcheck{
   {name = 'specs', type = 'table'},
   {name = 'size', type = 'number', default = 1},
   {name = 'verbose', type = 'boolean', default = false},
   call = function(specs, size, verbose)
      local okw, odw = size, 1
      for i = #specs, 1, -1 do
         local s = specs[i]
         if s.kw then
            local dw, pw = s.dw or 1, s.pw or 0
            okw = okw * dw + s.kw - dw - pw * 2
            odw = odw * dw
         end
         if verbose then print(string.format("|| layer %d: size=%d stride=%d", i, okw, odw)) end
      end
      return okw, odw
   end
}

unn.inferoutputsize = argcheck{
   {name = 'specs', type = 'table'},
   {name = 'size', type = 'number'},
   {name = 'verbose', type = 'boolean', default = false},
   call = function(specs, size, verbose)
      local okw, odw = size, 1
      for i = 1, #specs do
         local s = specs[i]
         local dw, pw = s.dw or 1, s.pw or 0
         okw = math.floor((okw + 2 * pw - s.kw) / dw) + 1
         odw = odw * dw
         if verbose then print(string.format("|| layer %d: size=%dx stride=%d", okw, odw)) end
      end
      return okw, odw
   end
}

return unn
