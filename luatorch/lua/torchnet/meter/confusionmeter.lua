-- tnt.ConfusionMeter(k[, normalized]): the k x k confusion matrix (rows: targets, columns:
-- predicted classes); targets are class indices or one-hot rows
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local ConfusionMeter = torch.class('tnt.ConfusionMeter', 'tnt.Meter', tnt)

ConfusionMeter.__init = argcheck{
   {name = 'self', type = 'tnt.ConfusionMeter'},
   {name = 'k', type = 'number'},
   {name = 'normalized', type = 'boolean', default = false},
   call = function(self, k, normalized)
      self.conf = torch.LongTensor(k, k)
      self.normalized = normalized
      self:reset()
   end
}

ConfusionMeter.reset = argcheck{
   {name = 'self', type = 'tnt.ConfusionMeter'},
   call = function(self) self.conf:zero() end
}

ConfusionMeter.add = argcheck{
   {name = 'self', type = 'tnt.ConfusionMeter'},
   {name = 'output', type = 'torch.*Tensor'},
   {name = 'target', type = 'torch.*Tensor'},
   call = function(self, output, target)
      target = target:squeeze()
      output = output:squeeze()
      if output:nDimension() == 1 then
         output = output:view(1, output:size(1))
         if type(target) == 'number' then target = torch.Tensor(1):fill(target) end
      end
      local onehot = not (target:nDimension() == 1)
      assert(target:size(1) == output:size(1), 'number of targets and outputs do not match')
      assert(output:size(2) == self.conf:size(1),
             'number of outputs does not match size of confusion matrix')
      assert(not onehot or target:size(2) == output:size(2),
             'target should be 1D Tensor or have size of output (one-hot)')
      if onehot then
         assert(torch.eq(torch.eq(target, 0):add(torch.eq(target, 1)), 1):all(),
                'in one-hot encoding, target values should be 0 or 1')
         assert(torch.eq(target:sum(2), 1):all(), 'multi-label setting is not supported')
      end
      local _, pred = output:double():max(2)
      for n = 1, pred:size(1) do
         local pos
         if onehot then
            local _, p = target[n]:max(1)
            pos = p[1]
         else
            pos = target[n]
         end
         local p = pred[n][1]
         self.conf[pos][p] = self.conf[pos][p] + 1
      end
   end
}

ConfusionMeter.value = argcheck{
   {name = 'self', type = 'tnt.ConfusionMeter'},
   call = function(self)
      if not self.normalized then return self.conf end
      local confmat = torch.DoubleTensor(self.conf:size()):copy(self.conf)
      return confmat:cdiv(confmat:sum(2):cmax(1e-12):expandAs(confmat))
   end
}
