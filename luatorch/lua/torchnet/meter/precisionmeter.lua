-- tnt.PrecisionMeter{threshold = {0.5}, perclass = false}: the precision (in percent) of
-- scores >= each threshold against k-hot targets
local tnt = require 'torchnet.env'
local build = require 'torchnet.meter.thresholdmeter'

local PrecisionMeter = torch.class('tnt.PrecisionMeter', 'tnt.Meter', tnt)
build(PrecisionMeter, 'tnt.PrecisionMeter', 'tpfp', function(output, target, t)
   return torch.ge(output, t):typeAs(output)
end)
