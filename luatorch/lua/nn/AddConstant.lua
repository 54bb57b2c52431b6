-- Adds a constant: a number, or a vector added to every row of a batch (input of at most two
-- dimensions whose last size is the vector's). The constant is checked at forward, as in nn.
local AddConstant, parent = torch.class('nn.AddConstant', 'nn.Module')

function AddConstant:__init(constant_scalar, ip)
   parent.__init(self)
   self.constant_scalar = constant_scalar
   -- default for inplace is false
   self.inplace = ip or false
   if ip and type(ip) ~= 'boolean' then
      error('in-place flag must be boolean')
   end
end

-- the constant shaped for this input (a vector expanded over the rows of a batch)
function AddConstant:_constantFor(input)
   local c = self.constant_scalar
   assert(type(c) == 'number' or
          (torch.isTensor(c) and input:nDimension() <= 2 and
           input:size(input:nDimension()) == c:size(1)),
          'input is not scalar or doesn\'t match with the dimension of constant!')
   if torch.isTensor(c) and input:nDimension() == 2 then
      local n = c:size(1)
      return c.new():resize(1, n):copy(c):expand(input:size(1), n)
   end
   return c
end

function AddConstant:updateOutput(input)
   local c = self:_constantFor(input)
   if self.inplace then
      input:add(c)
      self.output:set(input)
   else
      self.output:resizeAs(input):copy(input):add(c)
   end
   return self.output
end

function AddConstant:updateGradInput(input, gradOutput)
   if self.inplace then
      self.gradInput:set(gradOutput)
      -- give the input its value back
      input:add(-self.constant_scalar)
   else
      self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   end
   return self.gradInput
end
