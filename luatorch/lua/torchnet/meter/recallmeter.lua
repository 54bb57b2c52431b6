-- tnt.RecallMeter{threshold = {0.5}, perclass = false}: the recall (in percent) of scores >=
-- each threshold against k-hot targets
local tnt = require 'torchnet.env'
local build = require 'torchnet.meter.thresholdmeter'

local RecallMeter = torch.class('tnt.RecallMeter', 'tnt.Meter', tnt)
build(RecallMeter, 'tnt.RecallMeter', 'tpfn', function(output, target)
   return target:typeAs(output)
end)
