-- tnt.APMeter: the average precision of each class (column) of the scores added, with binary
-- targets and optional per-example weights; value() is a tensor with one AP per class
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local APMeter = torch.class('tnt.APMeter', 'tnt.Meter', tnt)

APMeter.__init = argcheck{
   {name = 'self', type = 'tnt.APMeter'},
   call = function(self) self:reset() end
}

APMeter.reset = argcheck{
   {name = 'self', type = 'tnt.APMeter'},
   call = function(self)
      self.scores = torch.DoubleTensor()
      self.targets = torch.LongTensor()
      self.weights = torch.DoubleTensor()
   end
}

-- rows appended to a growing 2D (or 1D) tensor
local function append(dst, src)
   local offset = (dst:dim() > 0) and dst:size(1) or 0
   if src:dim() == 2 then
      dst:resize(offset + src:size(1), src:size(2))
   else
      dst:resize(offset + src:size(1))
   end
   dst:narrow(1, offset + 1, src:size(1)):copy(src)
end

APMeter.add = argcheck{
   {name = 'self', type = 'tnt.APMeter'},
   {name = 'output', type = 'torch.*Tensor'},
   {name = 'target', type = 'torch.*Tensor'},
   {name = 'weight', type = 'torch.*Tensor', opt = true},
   call = function(self, output, target, weight)
      if weight then weight = weight:squeeze() end
      if output:nDimension() == 1 then
         output = output:view(output:size(1), 1)
      else
         assert(output:nDimension() == 2,
                'wrong output size (should be 1D or 2D with one column per class)')
      end
      if target:nDimension() == 1 then
         target = target:view(target:size(1), 1)
      else
         assert(target:nDimension() == 2,
                'wrong target size (should be 1D or 2D with one column per class)')
      end
      if weight then
         assert(weight:nDimension() == 1, 'Weight dimension should be 1')
         assert(weight:nElement() == target:size(1),
                'Weight dimension 1 should be the same as that of target')
         assert(torch.ge(weight, 0):all(), 'Weight should be non-negative only')
      end
      assert(output:size(1) == target:size(1) and output:size(2) == target:size(2),
             'dimensions for output and target does not match')
      assert(torch.eq(torch.eq(target, 0):add(torch.eq(target, 1)), 1):all(),
             'targets should be binary (0 or 1)')
      if self.scores:nElement() > 0 then
         assert(output:size(2) == self.scores:size(2),
                'dimensions for output should match previously added examples.')
      end
      if self.targets:nElement() > 0 then
         assert(target:size(2) == self.targets:size(2),
                'dimensions for output should match previously added examples.')
      end
      append(self.scores, output)
      append(self.targets, target)
      if weight then append(self.weights, weight) end
   end
}

APMeter.value = argcheck{
   {name = 'self', type = 'tnt.APMeter'},
   call = function(self)
      local ap = torch.DoubleTensor(self.scores:size(2)):fill(0)
      local range = torch.range(1, self.scores:size(1), 'torch.DoubleTensor')
      local weighted = self.weights:nElement() > 0
      local weight, weightedtruth
      if weighted then
         weight = self.weights.new(self.weights:size())
         weightedtruth = self.weights.new(self.weights:size())
      end
      for k = 1, self.scores:size(2) do
         -- precision at each true example, scores in decreasing order
         local _, sortind = torch.sort(self.scores:select(2, k), 1, true)
         local truth = self.targets:select(2, k):index(1, sortind)
         if weighted then
            weight:index(self.weights, 1, sortind)
            torch.cmul(weightedtruth, truth:double(), weight)
            range = weight:cumsum()
         end
         local tp = weighted and weightedtruth:cumsum() or truth:double():cumsum()
         local precision = tp:cdiv(range)
         ap[k] = precision[truth:byte()]:sum() / math.max(truth:sum(), 1)
      end
      return ap
   end
}
