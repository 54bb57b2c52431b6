-- tnt.TimeMeter([unit]): the time since reset (per unit counted by incUnit when unit)
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local TimeMeter = torch.class('tnt.TimeMeter', 'tnt.Meter', tnt)

TimeMeter.__init = argcheck{
   {name = 'self', type = 'tnt.TimeMeter'},
   {name = 'unit', type = 'boolean', default = false},
   call = function(self, unit)
      self.unit = unit
      self.timer = torch.Timer()
      self:reset()
   end
}

TimeMeter.reset = argcheck{
   {name = 'self', type = 'tnt.TimeMeter'},
   call = function(self)
      self.timer:reset()
      self.n = 0
   end
}

TimeMeter.stop = argcheck{
   {name = 'self', type = 'tnt.TimeMeter'},
   call = function(self) self.timer:stop() end
}

TimeMeter.resume = argcheck{
   {name = 'self', type = 'tnt.TimeMeter'},
   call = function(self) self.timer:resume() end
}

TimeMeter.incUnit = argcheck{
   {name = 'self', type = 'tnt.TimeMeter'},
   {name = 'value', type = 'number', default = 1},
   call = function(self, value) self.n = self.n + value end
}

TimeMeter.value = argcheck{
   {name = 'self', type = 'tnt.TimeMeter'},
   call = function(self)
      local time = self.timer:time().real
      return self.unit and time / self.n or time
   end
}
