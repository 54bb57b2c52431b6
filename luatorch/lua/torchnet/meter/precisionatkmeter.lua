-- tnt.PrecisionAtKMeter{topk = {10}, dim = 2, online = false}: the precision (in percent) of
-- the k highest scores along dim against k-hot targets; online keeps only the overall top k
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'
local batchPair = require 'torchnet.meter.batchpair'

local PrecisionAtKMeter = torch.class('tnt.PrecisionAtKMeter', 'tnt.Meter', tnt)

PrecisionAtKMeter.__init = argcheck{
   noordered = true,
   {name = 'self', type = 'tnt.PrecisionAtKMeter'},
   {name = 'topk', type = 'table', default = {10}},
   {name = 'dim', type = 'number', default = 2},
   {name = 'online', type = 'boolean', default = false},
   call = function(self, topk, dim, online)
      assert(dim == 1 or dim == 2, 'value of dimension should be 1 or 2')
      self.topk = torch.LongTensor(topk):sort():totable()
      self.maxk = self.topk[#self.topk]
      self.dim = dim
      self.online = online
      self:reset()
   end
}

PrecisionAtKMeter.reset = argcheck{
   {name = 'self', type = 'tnt.PrecisionAtKMeter'},
   call = function(self)
      self.tp = {}
      for _, k in ipairs(self.topk) do self.tp[k] = 0 end
      self.n = 0
   end
}

PrecisionAtKMeter.add = argcheck{
   {name = 'self', type = 'tnt.PrecisionAtKMeter'},
   {name = 'output', type = 'torch.*Tensor'},
   {name = 'target', type = 'torch.*Tensor'},
   call = function(self, output, target)
      output, target = batchPair(output, target)
      local other = (self.dim == 1) and 2 or 1
      if self.online then
         self:__updatetopk{output = output, target = target, topk = self.maxk, dim = self.dim,
                           desc = true}
         self.n = output:size(other)
      else
         local topout, topind = torch.topk(output, self.maxk, self.dim, true)
         local _, sortind = torch.sort(topout, self.dim, true)
         local sorttarget = target:gather(self.dim, topind:gather(self.dim, sortind))
         for _, k in ipairs(self.topk) do
            self.tp[k] = self.tp[k] + sorttarget:narrow(self.dim, 1, k):sum()
         end
         self.n = self.n + target:size(other)
      end
   end
}

PrecisionAtKMeter.value = argcheck{
   {name = 'self', type = 'tnt.PrecisionAtKMeter'},
   {name = 'k', type = 'number', opt = true},
   call = function(self, k)
      if self.online then
         local topoutput = self.__topkoutput:narrow(self.dim, 1, self.maxk)
         local toptarget = self.__topktarget:narrow(self.dim, 1, self.maxk)
         local _, sortind = torch.sort(topoutput, self.dim, true)
         local sorttarget = toptarget:gather(self.dim, sortind)
         for _, kk in ipairs(self.topk) do self.tp[kk] = sorttarget:narrow(self.dim, 1, kk):sum() end
      end
      if k then
         assert(self.tp[k], 'invalid k (not provided at construction time)')
         return (self.tp[k] / (self.n * k)) * 100
      end
      local value = {}
      for _, kk in ipairs(self.topk) do value[kk] = self:value(kk) end
      return value
   end
}
