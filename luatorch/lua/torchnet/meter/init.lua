-- tnt.Meter: the base of meters (reset, add, value)
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local Meter = torch.class('tnt.Meter', tnt)

Meter.__init = argcheck{
   {name = 'self', type = 'tnt.Meter'},
   call = function(self) end
}

for _, name in ipairs{'reset', 'value', 'add'} do
   Meter[name] = argcheck{
      {name = 'self', type = 'tnt.Meter'},
      call = function(self)
         error(string.format('A tnt.Meter should implement the %s() function.', name))
      end
   }
end

-- keeps the topk largest (desc) or smallest outputs seen so far along dim, with their targets,
-- in self.__topkoutput / self.__topktarget
Meter.__updatetopk = argcheck{
   {name = 'self', type = 'tnt.Meter'},
   {name = 'output', type = 'torch.*Tensor'},
   {name = 'target', type = 'torch.*Tensor'},
   {name = 'topk', type = 'number'},
   {name = 'dim', type = 'number', default = 1},
   {name = 'desc', type = 'boolean', default = true},
   call = function(self, output, target, topk, dim, desc)
      assert(dim == 1 or dim == 2)
      local first = not (self.__topkoutput and self.__topktarget)
      self.__topkoutput = self.__topkoutput or output.new()
      self.__topktarget = self.__topktarget or target.new()
      local extra1, extra2 = (dim == 1) and topk or 0, (dim == 2) and topk or 0
      self.__topkoutput:resize(output:size(1) + extra1, output:size(2) + extra2)
      self.__topktarget:resize(target:size(1) + extra1, target:size(2) + extra2)
      if first then self.__topkoutput:fill(desc and -math.huge or math.huge) end
      local other = (dim == 1) and 2 or 1
      assert(output:size(other) == self.__topkoutput:size(other),
             string.format('incorrect size of dimension %d of output', other))
      assert(target:size(other) == self.__topktarget:size(other),
             string.format('incorrect size of dimension %d of target', other))
      self.__topkoutput:narrow(dim, topk + 1, output:size(dim)):copy(output)
      self.__topktarget:narrow(dim, topk + 1, target:size(dim)):copy(target)
      local topoutput, topind = torch.topk(self.__topkoutput, topk, dim, desc)
      self.__topkoutput:narrow(dim, 1, topk):copy(topoutput)
      self.__topktarget:narrow(dim, 1, topk):copy(self.__topktarget:gather(dim, topind))
   end
}
