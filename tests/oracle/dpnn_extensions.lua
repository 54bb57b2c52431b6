-- dpnn's extensions of nn classes: LookupTable:maxParamNorm (rows and columns), the work
-- buffers of the spatial modules emptied by nn.Serial's mediumSerial
require 'dpnn'
torch.manualSeed(15)
local lt = nn.LookupTable(4, 3)
lt.weight:fill(2)
lt:maxParamNorm(nil, 1)
print(lt.weight:norm(2, 2), lt.weight:norm(2, 1))
lt.weight:fill(2)
lt:maxParamNorm(1)
print(lt.weight:norm(2, 1))
lt.weight:uniform(-3, 3)
lt.maxInNorm = 2
lt:maxParamNorm()
print(lt.weight)

local net = nn.Sequential():add(nn.SpatialConvolution(1, 1, 2, 2))
   :add(nn.SpatialMaxPooling(2, 2)):add(nn.SpatialBatchNormalization(1))
   :add(nn.SpatialConvolutionMM(1, 1, 1, 1))
local serial = nn.Serial(net)
serial:mediumSerial()
serial:forward(torch.randn(2, 1, 5, 5))
local s = torch.deserialize(torch.serialize(serial))
local c, p, b, mm = s.modules[1]:get(1), s.modules[1]:get(2), s.modules[1]:get(3), s.modules[1]:get(4)
print(c.finput, c.output, p.indices, p.output, b.centered, b.output, b.running_mean)
print(mm.finput, mm.fgradinput, mm.output)
print(c.weight:size(), torch.type(c.output))
