-- loadcaffe: the cudnn and ccn2 descriptions (written before `require 'cudnn'`/'ccn2' fails on
-- a machine without them), layers it does not convert (V1 skips them one by one, V2 stops at a
-- refused convolution), files it cannot read, bad arguments.
require 'loadcaffe'
local proto = os.tmpname()
-- the message without the file:line that says where (trepl's require, in real Torch)
local function firstLine(e)
   e = tostring(e):match('^[^\n]*')
   return e:match("module '.-' not found:") or e
end
local function show()
   local f = io.open(proto .. '.lua')
   print(f:read('*all'))
   f:close()
end
for _, name in ipairs{'tiny_vgg_v1', 'tiny_vgg_v2', 'unsupported_v1', 'unsupported_v2'} do
   for _, backend in ipairs{'nn', 'cudnn', 'ccn2'} do
      print('== ' .. name .. ' ' .. backend)
      local ok, net = pcall(loadcaffe.load, proto, 'caffe/' .. name .. '.caffemodel', backend)
      print(ok, ok and net or firstLine(net))
      show()
   end
end
print(loadcaffe.load(proto, 'caffe/not_a_model.caffemodel', 'nn'))
print(loadcaffe.load(proto, 'caffe/no_such_file.caffemodel'))
os.remove(proto .. '.lua')
os.remove(proto)
