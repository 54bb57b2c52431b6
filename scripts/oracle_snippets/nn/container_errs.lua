dofile '../h.lua'
require 'nn'
local bad = function() return nn.Linear(5, 2) end
local x = torch.randn(2, 3)
local function all(name, c, inp, go)
   perr(name .. ' fwd', function() return c:forward(inp) end)
   perr(name .. ' upd', function() return c:updateGradInput(inp, go) end)
   perr(name .. ' acc', function() return c:accGradParameters(inp, go) end)
   perr(name .. ' bwd', function() return c:backward(inp, go) end)
   perr(name .. ' accupd', function() return c:accUpdateGradParameters(inp, go, 0.1) end)
end
all('Sequential', nn.Sequential():add(nn.Identity()):add(bad()), x, torch.randn(2, 2))
all('Concat', nn.Concat(2):add(nn.Identity()):add(bad()), x, torch.randn(2, 5))
all('ConcatTable', nn.ConcatTable():add(nn.Identity()):add(bad()), x, {x, torch.randn(2, 2)})
all('ParallelTable', nn.ParallelTable():add(nn.Identity()):add(bad()), {x, x}, {x, torch.randn(2, 2)})
all('MapTable', nn.MapTable(bad()), {x, x}, {torch.randn(2, 2), torch.randn(2, 2)})
all('Parallel', nn.Parallel(1, 1):add(nn.Linear(3, 2)):add(bad()), torch.randn(2, 3), torch.randn(4))
all('DepthConcat', nn.DepthConcat(2):add(nn.Identity()):add(bad()), x, torch.randn(2, 5))
all('Bottle', nn.Bottle(bad()), torch.randn(2, 2, 3), torch.randn(2, 2, 2))
all('Seq ok then back fail', nn.Sequential():add(nn.Linear(3, 2)):add(nn.Tanh()), x, torch.randn(2, 3))
