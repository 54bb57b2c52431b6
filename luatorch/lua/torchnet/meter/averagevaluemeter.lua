-- tnt.AverageValueMeter: mean and standard deviation of the values added (weighted by n)
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local AverageValueMeter = torch.class('tnt.AverageValueMeter', 'tnt.Meter', tnt)

AverageValueMeter.__init = argcheck{
   {name = 'self', type = 'tnt.AverageValueMeter'},
   call = function(self) self:reset() end
}

AverageValueMeter.reset = argcheck{
   {name = 'self', type = 'tnt.AverageValueMeter'},
   call = function(self)
      self.sum = 0
      self.n = 0
      self.var = 0
   end
}

AverageValueMeter.add = argcheck{
   {name = 'self', type = 'tnt.AverageValueMeter'},
   {name = 'value', type = 'number'},
   {name = 'n', type = 'number', default = 1},
   call = function(self, value, n)
      assert(n >= 0, 'example weights cannot be negative')
      self.sum = self.sum + n * value
      self.var = self.var + n * value * value
      self.n = self.n + n
   end
}

AverageValueMeter.value = argcheck{
   {name = 'self', type = 'tnt.AverageValueMeter'},
   call = function(self)
      local n = self.n
      local mean = self.sum / n
      return mean, math.sqrt((self.var - n * mean * mean) / (n - 1))
   end
}
