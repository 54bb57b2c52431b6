-- tnt.ClassErrorMeter{topk = {1, ...}, accuracy = false}: the top-k classification error (or
-- accuracy), in percent, of the scores (N x classes) against the class targets
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local ClassErrorMeter = torch.class('tnt.ClassErrorMeter', 'tnt.Meter', tnt)

ClassErrorMeter.__init = argcheck{
   noordered = true,
   {name = 'self', type = 'tnt.ClassErrorMeter'},
   {name = 'topk', type = 'table', default = {1}},
   {name = 'accuracy', type = 'boolean', default = false},
   call = function(self, topk, accuracy)
      self.topk = torch.LongTensor(topk):sort():totable()
      self.accuracy = accuracy
      self:reset()
   end
}

ClassErrorMeter.reset = argcheck{
   {name = 'self', type = 'tnt.ClassErrorMeter'},
   call = function(self)
      self.sum = {}
      for _, k in ipairs(self.topk) do self.sum[k] = 0 end
      self.n = 0
   end
}

ClassErrorMeter.add = argcheck{
   {name = 'self', type = 'tnt.ClassErrorMeter'},
   {name = 'output', type = 'torch.*Tensor'},
   {name = 'target', type = 'torch.*Tensor'},
   call = function(self, output, target)
      target = target:squeeze()
      output = output:squeeze()
      if output:nDimension() == 1 then
         output = output:view(1, output:size(1))
         assert(type(target) == 'number', 'target and output do not match')
         target = torch.Tensor(1):fill(target)
      else
         assert(output:nDimension() == 2, 'wrong output size (1D or 2D expected)')
         assert(target:nDimension() == 1, 'target and output do not match')
      end
      assert(target:size(1) == output:size(1), 'target and output do not match')
      local topk = self.topk
      local no = output:size(1)
      local _, pred = output:double():topk(topk[#topk], 2, true, true)
      local correct = pred:typeAs(target):eq(target:view(no, 1):expandAs(pred))
      for _, k in ipairs(topk) do
         self.sum[k] = self.sum[k] + no - correct:narrow(2, 1, k):sum()
      end
      self.n = self.n + no
   end
}

ClassErrorMeter.value = argcheck{
   {name = 'self', type = 'tnt.ClassErrorMeter'},
   {name = 'k', type = 'number', opt = true},
   call = function(self, k)
      if k then
         assert(self.sum[k], 'invalid k (this k was not provided at construction time)')
         return self.accuracy and (1 - self.sum[k] / self.n) * 100 or self.sum[k] * 100 / self.n
      end
      local value = {}
      for _, kk in ipairs(self.topk) do value[kk] = self:value(kk) end
      return value
   end
}
