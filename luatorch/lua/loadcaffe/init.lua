-- loadcaffe: Caffe networks as nn models (szagoruyko/loadcaffe's API), with the protobuf files
-- read by luatorch/packages/loadcaffe_backend.py.
-- loadcaffe.load(prototxt, caffemodel [, backend]) -> nn.Sequential with Caffe's weights, or
-- nothing when the caffemodel cannot be read. backend: 'nn' (default), 'cudnn' (needs cudnn,
-- e.g. luatorch's CUDA emulation; the net is then :cuda()), 'ccn2'.
-- As loadcaffe does, the network comes from the caffemodel, its description is written to
-- <prototxt>.lua and run, and each weighted layer's blob sizes are printed as it is filled.
require 'nn'
local torch = require 'torch'
local py = torch._py
local bind = torch._bind

loadcaffe = loadcaffe or {}
local loadcaffe = loadcaffe

local readNet, convertNet = bind(py.caffe_read), bind(py.caffe_convert)
local layerBlobs, releaseNet = bind(py.caffe_blobs), bind(py.caffe_release)

-- loadcaffe's messages come from its C++ half (printf, std::cout): plain lines, no print tabs
local function say(line) io.write(line, '\n') end

-- the modules of the generated description, each named, with the layer's weights copied in
local function build(net, luaName, backend)
   for _, line in ipairs(convertNet(net, luaName, backend)) do say(line) end
   local definition = io.open(luaName):read('*all')
   if definition:find('inn%.') then require 'inn' end
   local list = dofile(luaName)
   local model = nn.Sequential()
   for _, item in ipairs(list) do
      local name, module = item[1], item[2]
      module.name = name
      if module.weight then
         local weight, bias
         for _, row in ipairs(layerBlobs(net, name)) do
            say(row[1])
            weight, bias = row[2], row[3]
         end
         if weight then
            if backend == 'ccn2' then weight = weight:permute(2, 3, 4, 1) end
            module.weight:copy(weight)
            if bias then module.bias:copy(bias) else module.bias:zero() end
         end
      end
      model:add(module)
   end
   return model
end

function loadcaffe.load(prototxt_name, binary_name, backend)
   backend = backend or 'nn'
   local args = {prototxt_name, binary_name, backend}
   for i = 1, 3 do
      local v = args[i]
      if type(v) ~= 'string' then
         error(string.format("bad argument #%d to 'load' (string expected, got %s)", i, type(v)), 2)
      end
   end
   local net, parseErrors = readNet(prototxt_name, binary_name)
   if parseErrors ~= '' then io.stderr:write(parseErrors) end
   if not net then
      say("Couldn't load " .. binary_name)
      return
   end
   say('Successfully loaded ' .. binary_name)
   local ok, model = pcall(build, net, prototxt_name .. '.lua', backend)
   releaseNet(net)
   if not ok then error(model, 0) end
   if backend == 'cudnn' or backend == 'ccn2' then model:cuda() end
   return model
end

return loadcaffe
