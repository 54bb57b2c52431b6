dofile '../h.lua'
require 'nngraph'
local x = nn.Identity()():annotate{name = 'input'}
local h = nn.Linear(3, 4)(x):annotate{name = 'hidden', description = 'a layer'}
local g = nn.gModule({x}, {nn.Tanh()(h)})
g.name = 'mygraph'
print(g)
print(h.data.annotations.name)
for i, node in ipairs(g.forwardnodes) do print(i, node.data.annotations.name, node.id ~= nil, tostring(node.data.module)) end
print(#g.forwardnodes, #g.backwardnodes)
perr('bad module call', function() return nn.Linear(3,4)(torch.randn(3)) end)
perr('not a node', function() return nn.gModule({torch.randn(3)}, {}) end)
perr('unused input', function()
   local a = nn.Identity()()
   local b = nn.Identity()()
   return nn.gModule({a, b}, {nn.Tanh()(a)})
end)
