-- Applies a recurrent module rho times to the same input: output is a table of rho outputs
local Repeater, parent = torch.class('nn.Repeater', 'nn.AbstractSequencer')

function Repeater:__init(module, rho)
   parent.__init(self)
   assert(torch.type(rho) == 'number', "expecting number value for arg 2")
   self.rho = rho
   self.module = (not torch.isTypeOf(module, 'nn.AbstractRecurrent')) and nn.Recursor(module) or module
   self.module:maxBPTTstep(rho)
   self.modules[1] = self.module
   self.output = {}
end

function Repeater:updateOutput(input)
   self.module = self.module or self.rnn -- files of older versions
   self.module:forget()
   for step = 1, self.rho do
      self.output[step] = rnn.recursiveCopy(self.output[step], self.module:updateOutput(input))
   end
   return self.output
end

local function checkGradOutput(self, gradOutput)
   assert(self.module.step - 1 == self.rho, "inconsistent rnn steps")
   assert(torch.type(gradOutput) == 'table', "expecting gradOutput table")
   assert(#gradOutput == self.rho, "gradOutput should have rho elements")
end

-- the gradients of the rho uses of the input are summed
function Repeater:updateGradInput(input, gradOutput)
   checkGradOutput(self, gradOutput)
   for step = self.rho, 1, -1 do
      local gradInput = self.module:updateGradInput(input, gradOutput[step])
      if step == self.rho then
         self.gradInput = rnn.recursiveCopy(self.gradInput, gradInput)
      else
         rnn.recursiveAdd(self.gradInput, gradInput)
      end
   end
   return self.gradInput
end

function Repeater:accGradParameters(input, gradOutput, scale)
   checkGradOutput(self, gradOutput)
   for step = self.rho, 1, -1 do
      self.module:accGradParameters(input, gradOutput[step], scale)
   end
end

function Repeater:maxBPTTstep(rho)
   self.rho = rho
   self.module:maxBPTTstep(rho)
end

function Repeater:accUpdateGradParameters(input, gradOutput, lr)
   checkGradOutput(self, gradOutput)
   for step = self.rho, 1, -1 do
      self.module:accUpdateGradParameters(input, gradOutput[step], lr)
   end
end

function Repeater:__tostring__()
   local str = torch.type(self) .. ' {\n'
   str = str .. '  [  input,    input,  ...,  input  ]\n'
   str = str .. '       V         V             V     \n'
   str = str .. '  ' .. tostring(self.modules[1]):gsub('\n', '\n  ') .. '\n'
   str = str .. '       V         V             V     \n'
   str = str .. '  [output(1),output(2),...,output(' .. self.rho .. ')]\n'
   return str .. '}'
end
