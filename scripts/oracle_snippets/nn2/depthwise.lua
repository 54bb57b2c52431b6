dofile '../h.lua'
require 'nn'
torch.manualSeed(51)
local cases = {
   {'sq pad', function() return nn.SpatialDepthWiseConvolution(3, 2, 3, 3, 1, 1, 1, 1) end, torch.randn(2, 3, 6, 6)},
   {'stride', function() return nn.SpatialDepthWiseConvolution(2, 1, 3, 3, 2, 2, 1, 1) end, torch.randn(2, 9, 9)},
   {'rect stride', function() return nn.SpatialDepthWiseConvolution(2, 3, 2, 3, 2, 1, 1, 0) end, torch.randn(1, 2, 8, 8)},
   {'nobias', function() return nn.SpatialDepthWiseConvolution(3, 2, 3, 3):noBias() end, torch.randn(2, 3, 5, 5)},
   {'float', function() return nn.SpatialDepthWiseConvolution(3, 2, 3, 3, 1, 1, 1, 1):float() end, torch.randn(2, 3, 6, 6):float()},
   {'big', function() return nn.SpatialDepthWiseConvolution(4, 3, 5, 5, 1, 1, 2, 2) end, torch.randn(2, 4, 12, 12)},
}
for _, c in ipairs(cases) do
   local name, m, x = c[1], c[2](), c[3]
   local ok, e = pcall(function()
      local o = m:forward(x)
      dump(name .. ' out', o)
      m:zeroGradParameters()
      local go = o:clone():normal()
      dump(name .. ' gi', m:backward(x, go))
      m:backward(x, go, 0.5)
      local _, gp = m:parameters()
      dump(name .. ' gp', gp)
   end)
   if not ok then print(name, 'ERR', clean(e)) end
end
