-- tnt.AUCMeter: the area under the ROC curve of binary scores; value() gives the AUC, and the
-- true and false positive rates along the curve
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local AUCMeter = torch.class('tnt.AUCMeter', 'tnt.Meter', tnt)

AUCMeter.__init = argcheck{
   {name = 'self', type = 'tnt.AUCMeter'},
   call = function(self) self:reset() end
}

AUCMeter.reset = argcheck{
   {name = 'self', type = 'tnt.AUCMeter'},
   call = function(self)
      self.scores = torch.DoubleTensor()
      self.targets = torch.LongTensor()
   end
}

AUCMeter.add = argcheck{
   {name = 'self', type = 'tnt.AUCMeter'},
   {name = 'output', type = 'torch.*Tensor'},
   {name = 'target', type = 'torch.*Tensor'},
   call = function(self, output, target)
      target = target:squeeze()
      output = output:squeeze()
      assert(output:nDimension() == 1,
             'dimensionality of output should be 1 (e.g., nn.Sigmoid output)')
      assert(target:nDimension() == 1, 'dimensionality of targets should be 1')
      assert(output:size(1) == target:size(1), 'number of outputs and targets does not match')
      assert(torch.eq(torch.eq(target, 0):add(torch.eq(target, 1)), 1):all(),
             'targets should be binary (0 or 1)')
      local offset = self.scores:nElement()
      self.scores:resize(offset + output:nElement())
      self.targets:resize(offset + target:nElement())
      self.scores:narrow(1, offset + 1, output:nElement()):copy(output)
      self.targets:narrow(1, offset + 1, target:nElement()):copy(target)
   end
}

AUCMeter.value = argcheck{
   {name = 'self', type = 'tnt.AUCMeter'},
   call = function(self)
      if self.scores:nElement() == 0 then return 0.5 end
      local scores, sortind = torch.sort(self.scores, 1, true)
      local n = scores:nElement()
      local tpr = torch.DoubleTensor(n + 1):zero()
      local fpr = torch.DoubleTensor(n + 1):zero()
      for i = 2, n + 1 do
         if self.targets[sortind[i - 1]] == 1 then
            tpr[i], fpr[i] = tpr[i - 1] + 1, fpr[i - 1]
         else
            tpr[i], fpr[i] = tpr[i - 1], fpr[i - 1] + 1
         end
      end
      tpr:div(self.targets:sum())
      fpr:div(torch.mul(self.targets, -1):add(1):sum())
      local auc = torch.cmul(tpr:narrow(1, 1, n),
                             fpr:narrow(1, 2, n) - fpr:narrow(1, 1, n)):sum()
      return auc, tpr, fpr
   end
}
