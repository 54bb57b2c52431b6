-- tnt.MovingAverageValueMeter(windowsize): mean and standard deviation of the last windowsize
-- values added
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local MAVMeter = torch.class('tnt.MovingAverageValueMeter', 'tnt.Meter', tnt)

MAVMeter.__init = argcheck{
   {name = 'self', type = 'tnt.MovingAverageValueMeter'},
   {name = 'windowsize', type = 'number'},
   call = function(self, windowsize)
      self.windowsize = windowsize
      self.valuequeue = torch.Tensor(windowsize)
      self:reset()
   end
}

MAVMeter.reset = argcheck{
   {name = 'self', type = 'tnt.MovingAverageValueMeter'},
   call = function(self)
      self.sum = 0
      self.n = 0
      self.var = 0
      self.valuequeue:fill(0.)
   end
}

MAVMeter.add = argcheck{
   {name = 'self', type = 'tnt.MovingAverageValueMeter'},
   {name = 'value', type = 'number'},
   call = function(self, value)
      local slot = (self.n % self.windowsize) + 1
      local old = self.valuequeue[slot]
      self.sum = self.sum + value - old
      self.var = self.var + value * value - old * old
      self.valuequeue[slot] = value
      self.n = self.n + 1
   end
}

MAVMeter.value = argcheck{
   {name = 'self', type = 'tnt.MovingAverageValueMeter'},
   call = function(self)
      local n = math.min(self.n, self.windowsize)
      local mean = self.sum / math.max(1, n)
      return mean, math.sqrt((self.var - n * mean * mean) / math.max(1, n - 1))
   end
}
