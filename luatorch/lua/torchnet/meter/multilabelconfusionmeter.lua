-- tnt.MultiLabelConfusionMeter(k[, normalized = true]): a confusion matrix for k-hot targets:
-- with n true labels, the n top-scored classes are the predictions; matched labels count on
-- the diagonal, the others spread evenly over the unmatched predictions
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local MLCMeter = torch.class('tnt.MultiLabelConfusionMeter', 'tnt.Meter', tnt)

MLCMeter.__init = argcheck{
   {name = 'self', type = 'tnt.MultiLabelConfusionMeter'},
   {name = 'k', type = 'number'},
   {name = 'normalized', type = 'boolean', default = true},
   call = function(self, k, normalized)
      self.conf = torch.DoubleTensor(k, k)
      self.normalized = normalized
      self:reset()
   end
}

MLCMeter.reset = argcheck{
   {name = 'self', type = 'tnt.MultiLabelConfusionMeter'},
   call = function(self) self.conf:zero() end
}

local function count(t)
   local n = 0
   for _ in pairs(t) do n = n + 1 end
   return n
end

MLCMeter.add = argcheck{
   {name = 'self', type = 'tnt.MultiLabelConfusionMeter'},
   {name = 'output', type = 'torch.*Tensor'},
   {name = 'target', type = 'torch.*Tensor'},
   call = function(self, output, target)
      target = target:squeeze()
      output = output:squeeze()
      if output:nDimension() == 1 then output = output:view(1, output:size(1)) end
      if target:nDimension() == 1 then target = target:view(1, target:size(1)) end
      assert(target:nDimension() == output:nDimension() and
             torch.eq(torch.LongTensor(target:size()), torch.LongTensor(output:size())):all(),
             'number of targets and outputs do not match')
      assert(torch.eq(torch.eq(target, 0):add(torch.eq(target, 1)), 1):all(),
             'target values should be 0 or 1')
      assert(target:size(2) == self.conf:size(1),
             'target size does not match size of confusion matrix')
      local nc = output:size(2)
      local _, pred = output:double():sort(2, true)
      for n = 1, pred:size(1) do
         local targets, preds = {}, {}
         local pos = torch.range(1, nc):round():long()[torch.eq(target[n], 1)]
         for k = 1, pos:nElement() do
            targets[pos[k]] = true
            preds[pred[n][k]] = true
         end
         for key in pairs(targets) do
            if preds[key] then
               self.conf[key][key] = self.conf[key][key] + 1
               targets[key] = nil
               preds[key] = nil
            end
         end
         local weight = 1 / count(preds)
         for key1 in pairs(targets) do
            for key2 in pairs(preds) do
               self.conf[key1][key2] = self.conf[key1][key2] + weight
            end
         end
      end
   end
}

MLCMeter.value = argcheck{
   {name = 'self', type = 'tnt.MultiLabelConfusionMeter'},
   call = function(self)
      local conf = torch.DoubleTensor(self.conf:size()):copy(self.conf)
      if self.normalized then conf:cdiv(conf:sum(2):expandAs(conf):add(1e-8)) end
      return conf
   end
}
