-- dpnn's extensions of nn.Container
local Container = nn.Container

function Container:extend(...)
   for _, module in ipairs{...} do self:add(module) end
   return self
end

-- the sparse parameters of every child, numbered one after the other
function Container:sparseParameters()
   local params, gradParams, scales = {}, {}, {}
   local size = 0
   for i = 1, #self.modules do
      local p, g, s, n = self.modules[i]:sparseParameters()
      if p then
         for k, param in pairs(p) do
            params[size + k] = param
            gradParams[size + k] = g[k]
            scales[size + k] = s and s[k]
         end
         size = size + (n or #p)
      end
   end
   return params, gradParams, scales, size
end
