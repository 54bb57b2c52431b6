-- shared by PrecisionMeter and RecallMeter: per-threshold counts of true positives (scores
-- >= t on positive targets) against a denominator counted by `denominator(output, target, t)`,
-- in percent, overall or per class (100 where the denominator is 0)
local argcheck = require 'argcheck'
local batchPair = require 'torchnet.meter.batchpair'

local function build(Meter, typename, denomName, denominator)
   Meter.__init = argcheck{
      noordered = true,
      {name = 'self', type = typename},
      {name = 'threshold', type = 'table', default = {0.5}},
      {name = 'perclass', type = 'boolean', default = false},
      call = function(self, threshold, perclass)
         self.threshold = {}
         for _, n in pairs(threshold) do
            assert(n >= 0 and n <= 1, 'threshold should be between 0 and 1')
            table.insert(self.threshold, n)
         end
         table.sort(self.threshold)
         self.perclass = perclass
         self:reset()
      end
   }

   Meter.reset = argcheck{
      {name = 'self', type = typename},
      call = function(self)
         self.tp = {}
         self[denomName] = {}
         for _, t in ipairs(self.threshold) do
            self.tp[t] = torch.Tensor()
            self[denomName][t] = torch.Tensor()
         end
      end
   }

   Meter.add = argcheck{
      {name = 'self', type = typename},
      {name = 'output', type = 'torch.*Tensor'},
      {name = 'target', type = 'torch.*Tensor'},
      call = function(self, output, target)
         output, target = batchPair(output, target)
         local denom = self[denomName]
         for _, t in ipairs(self.threshold) do
            if self.tp[t]:nElement() == 0 then
               self.tp[t]:resize(target:size(2)):typeAs(output):fill(0)
               denom[t]:resize(target:size(2)):typeAs(output):fill(0)
            end
         end
         local truePos = output:clone()
         truePos[torch.eq(target, 0)] = -1
         for _, t in ipairs(self.threshold) do
            self.tp[t]:add(torch.ge(truePos, t):typeAs(output):sum(1):squeeze())
            denom[t]:add(denominator(output, target, t):sum(1):squeeze())
         end
      end
   }

   Meter.value = argcheck{
      {name = 'self', type = typename},
      {name = 't', type = 'number', opt = true},
      call = function(self, t)
         local denom = self[denomName]
         if not t then
            local value = {}
            for _, tt in ipairs(self.threshold) do value[tt] = self:value(tt) end
            return value
         end
         assert(self.tp[t] and denom[t], string.format('%f is an incorrect threshold [not set]', t))
         if self.perclass then
            local perClass = torch.cdiv(self.tp[t], denom[t]):mul(100)
            perClass[torch.eq(denom[t], 0)] = 100
            return perClass
         end
         if denom[t]:sum() == 0 then return 100 end
         return self.tp[t]:sum() / denom[t]:sum() * 100
      end
   }
end

return build
