-- tnt.mAPMeter: the mean over classes of APMeter's average precisions
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local mAPMeter = torch.class('tnt.mAPMeter', 'tnt.Meter', tnt)

mAPMeter.__init = argcheck{
   {name = 'self', type = 'tnt.mAPMeter'},
   call = function(self) self.apmeter = tnt.APMeter() end
}

mAPMeter.reset = argcheck{
   {name = 'self', type = 'tnt.mAPMeter'},
   call = function(self) self.apmeter:reset() end
}

mAPMeter.add = argcheck{
   {name = 'self', type = 'tnt.mAPMeter'},
   {name = 'output', type = 'torch.*Tensor'},
   {name = 'target', type = 'torch.*Tensor'},
   {name = 'weight', type = 'torch.*Tensor', opt = true},
   call = function(self, output, target, weight)
      self.apmeter:add{output = output, target = target, weight = weight}
   end
}

mAPMeter.value = argcheck{
   {name = 'self', type = 'tnt.mAPMeter'},
   call = function(self) return self.apmeter:value():mean() end
}
