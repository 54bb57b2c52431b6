-- Decorates a module and raises an error naming the culprit (input, parameters, output,
-- gradOutput, gradInput or gradParameters) as soon as a NaN appears.
local NaN, parent = torch.class('nn.NaN', 'nn.Decorator')

local lastId = 0
function NaN.newId()
   lastId = lastId + 1
   return lastId
end

function NaN:__init(module, id)
   parent.__init(self, module)
   self.id = id or NaN.newId()
end

function NaN:recursiveIsNaN(x)
   if torch.type(x) == 'table' then
      for _, v in pairs(x) do
         if self:recursiveIsNaN(v) then return true end
      end
      return false
   end
   local sum = x:sum()
   return sum ~= sum
end

function NaN:_fail(what)
   error(string.format('NaN found in %s of module :\n%s', what, self:__tostring__()))
end

function NaN:updateOutput(input)
   self.output = self.modules[1]:updateOutput(input)
   if self:recursiveIsNaN(self.output) then
      if self:recursiveIsNaN(input) then self:_fail('input') end
      if self:recursiveIsNaN(self:parameters()) then self:_fail('parameters') end
      self:_fail('output')
   end
   return self.output
end

function NaN:updateGradInput(input, gradOutput)
   self.gradInput = self.modules[1]:updateGradInput(input, gradOutput)
   if self:recursiveIsNaN(self.gradInput) then
      if self:recursiveIsNaN(gradOutput) then self:_fail('gradOutput') end
      self:_fail('gradInput')
   end
   return self.gradInput
end

function NaN:accGradParameters(input, gradOutput, scale)
   self.modules[1]:accGradParameters(input, gradOutput, scale)
   local _, gradParams = self:parameters()
   if self:recursiveIsNaN(gradParams) then self:_fail('gradParameters') end
end

function NaN:__tostring__()
   local inner = self.modules[1]
   local text = inner.__tostring__ and inner:__tostring__() or torch.type(inner)
   return torch.type(self) .. '(' .. self.id .. ') @ ' .. text
end
