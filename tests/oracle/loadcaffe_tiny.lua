-- loadcaffe on tiny VGG-style caffemodels written by tests/packages/caffe_wire.py: V1 `layers` with
-- legacy blob dims (as VGG_ILSVRC_19_layers.caffemodel), V2 `layer` with blob shapes, V2 with
-- legacy dims and unpacked floats. What loadcaffe prints, the Lua file it writes next to the
-- prototxt, the network, its names, weights and outputs.
require 'loadcaffe'
local proto = os.tmpname()
for _, name in ipairs{'tiny_vgg_v1', 'tiny_vgg_v2', 'tiny_vgg_v2_legacy'} do
   local net = loadcaffe.load(proto, 'caffe/' .. name .. '.caffemodel', 'nn')
   print(net)
   local f = io.open(proto .. '.lua')
   print(f:read('*all'))
   f:close()
   for i, m in ipairs(net.modules) do print(i, m.name, torch.type(m)) end
   print(net.modules[1].weight[2], net.modules[1].bias)
   print(net.modules[3].weight:size(), net.modules[3].weight[{1, 2}])
   print(net:get(11).weight:sum(), net:get(11).bias, net:get(14).weight)
   net:evaluate()
   torch.manualSeed(1)
   local x = torch.rand(2, 3, 9, 9)
   print(net:forward(x))
   print(net:forward(x[1]))
   print(net:get(5).output:size(), net:get(9).output:size())
end
os.remove(proto .. '.lua')
os.remove(proto)
