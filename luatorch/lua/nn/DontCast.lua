-- Decorates a module so that :type() leaves it alone; with castin/castout the inputs and outputs
-- crossing the boundary are copied between the outer tensor type and the module's own type.
local DontCast, parent = torch.class('nn.DontCast', 'nn.Decorator')

-- copy src (a tensor or nested table of tensors) into dst, reusing dst where it already has the
-- wanted type
local function castCopy(dst, src, typename)
   if torch.type(src) == 'table' then
      if torch.type(dst) ~= 'table' then dst = {} end
      for k, v in pairs(src) do
         dst[k] = castCopy(dst[k], v, typename)
      end
      return dst
   end
   if torch.isTensor(src) then
      if torch.type(dst) ~= typename then
         dst = torch.getmetatable(typename).new()
      end
      dst:resize(src:size())
      if src:nElement() > 0 then dst:copy(src) end
   end
   return dst
end

-- the type of the first tensor found in x (depth first), and whether one was found
local function tensorType(x)
   if type(x) ~= 'table' then
      return torch.type(x), torch.isTensor(x)
   end
   local typename, found
   for _, v in pairs(x) do
      typename, found = tensorType(v)
      if found then return typename, true end
   end
   return typename, found
end

function DontCast:__init(module, castin, castout, moduleType)
   parent.__init(self, module)
   self.castin = castin
   if castout == nil then castout = castin end
   self.castout = castout
   self.moduleType = moduleType
   if (self.castin or self.castout) and not self.moduleType then
      local typename, found = tensorType(module.output)
      if not found then
         typename, found = tensorType(module:parameters())
      end
      if not found then
         error('Cannot extrapolate moduleType. Provide constructor argument 4')
      end
      self.moduleType = typename
   end
end

-- the input as the inner module sees it
function DontCast:_innerInput(input)
   if self.castin and tensorType(input) ~= self.moduleType then
      return self._input
   end
   return input
end

function DontCast:_innerGradOutput(gradOutput)
   if self.castout and tensorType(gradOutput) ~= self.moduleType then
      return self._gradOutput
   end
   return gradOutput
end

function DontCast:updateOutput(input)
   if self.castin and tensorType(input) ~= self.moduleType then
      self._input = castCopy(self._input, input, self.moduleType)
   end
   local output = self.modules[1]:updateOutput(self:_innerInput(input))
   if self.castout then
      self.output = castCopy(self.output, output, tensorType(self.output))
   else
      self.output = output
   end
   return self.output
end

function DontCast:updateGradInput(input, gradOutput)
   if self.castout and tensorType(gradOutput) ~= self.moduleType then
      self._gradOutput = castCopy(self._gradOutput, gradOutput, self.moduleType)
   end
   local gradInput = self.modules[1]:updateGradInput(self:_innerInput(input),
                                                     self:_innerGradOutput(gradOutput))
   if self.castin then
      self.gradInput = castCopy(self.gradInput, gradInput, tensorType(self.gradInput))
   else
      self.gradInput = gradInput
   end
   return self.gradInput
end

function DontCast:accGradParameters(input, gradOutput, scale)
   self.modules[1]:accGradParameters(self:_innerInput(input), self:_innerGradOutput(gradOutput),
                                     scale)
end

function DontCast:accUpdateGradParameters(input, gradOutput, lr)
   self.modules[1]:accUpdateGradParameters(self:_innerInput(input),
                                           self:_innerGradOutput(gradOutput), lr)
end

-- the point of the module: the decorated module keeps its type; only the outer buffers follow
function DontCast:type(typename)
   if self.castout and tensorType(self.output) ~= typename then
      self.output = castCopy(nil, self.output, typename)
   end
   if self.castin and tensorType(self.gradInput) ~= typename then
      self.gradInput = castCopy(nil, self.gradInput, typename)
   end
   return self
end
