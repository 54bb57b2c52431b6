dofile '../h.lua'
require 'nngraph'
local x = nn.Identity()()
local h = nn.Linear(3, 4)(x)
local o = nn.Linear(5, 2)(h)
local g = nn.gModule({x}, {o})
perr('inner size', function() return g:forward(torch.randn(2, 3)) end)
local x2 = nn.Identity()():annotate{name = 'in'}
local h2 = nn.Linear(3, 4)(x2):annotate{name = 'hidden'}
local o2 = nn.Linear(5, 2)(h2):annotate{name = 'bad'}
local g2 = nn.gModule({x2}, {o2})
perr('inner size annotated', function() return g2:forward(torch.randn(2, 3)) end)
local x3 = nn.Identity()()
local okg = nn.gModule({x3}, {nn.Linear(3, 4)(x3)})
okg:forward(torch.randn(2, 3))
perr('backward bad', function() return okg:backward(torch.randn(2, 3), torch.randn(2, 5)) end)
perr('two inputs given one', function()
   local a, b = nn.Identity()(), nn.Identity()()
   local gg = nn.gModule({a, b}, {nn.CAddTable()({a, b})})
   return gg:forward(torch.randn(2))
end)
perr('one input given table', function()
   return okg:forward({torch.randn(2, 3), torch.randn(2, 3)})
end)
