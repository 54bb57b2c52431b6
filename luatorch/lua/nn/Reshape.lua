local Reshape, parent = torch.class('nn.Reshape', 'nn.Module')

function Reshape:__init(...)
   parent.__init(self)
   local arg = {...}
   if torch.type(arg[#arg]) == 'boolean' then
      self.batchMode = arg[#arg]
      table.remove(arg, #arg)
   end
   local n = #arg
   if n == 1 and torch.typename(arg[1]) == 'torch.LongStorage' then
      n = #arg[1]
      arg = arg[1]:totable()
   end
   -- storages of n >= 1 elements made in Lua (torch/header.lua): updateOutput writes and reads
   -- them on every call
   self.size = n > 0 and torch.LongStorage(n) or torch.LongStorage()
   for i = 1, n do self.size[i] = arg[i] end
   self.batchsize = torch.LongStorage(n + 1)
   self.nelement = 1
   for i = 1, #self.size do
      self.nelement = self.nelement * self.size[i]
      self.batchsize[i + 1] = self.size[i]
   end
end

-- a storage Python made (a module read from a file, or a clone) becomes one made in Lua, once
local SB = torch._SB
local function inLua(s)
   if SB[s] ~= nil or #s == 0 then return s end
   local copy = torch.LongStorage(#s)
   for i = 1, #s do copy[i] = s[i] end
   return copy
end

function Reshape:updateOutput(input)
   self.size, self.batchsize = inLua(self.size), inLua(self.batchsize)
   if not input:isContiguous() then
      self._input = self._input or input.new()
      self._input:resizeAs(input):copy(input)
      input = self._input
   end
   if (self.batchMode == false) or
      ((self.batchMode == nil) and (input:nElement() == self.nelement and input:size(1) ~= 1)) then
      self.output = input:view(self.size)
   else
      self.batchsize[1] = input:size(1)
      self.output = input:view(self.batchsize)
   end
   return self.output
end

function Reshape:updateGradInput(input, gradOutput)
   if not gradOutput:isContiguous() then
      self._gradOutput = self._gradOutput or gradOutput.new()
      self._gradOutput:resizeAs(gradOutput):copy(gradOutput)
      gradOutput = self._gradOutput
   end
   self.gradInput = gradOutput:viewAs(input)
   return self.gradInput
end

function Reshape:__tostring__()
   return torch.type(self) .. '(' .. table.concat(self.size:totable(), 'x') .. ')'
end

function Reshape:clearState()
   nn.utils.clear(self, '_input', '_gradOutput')
   self.output = torch.Tensor()
   self.gradInput = torch.Tensor()
   return self
end
