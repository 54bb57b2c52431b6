-- Applies a module to every element of a sequence: a table of inputs, or a tensor whose first
-- dimension is time. A non-recurrent module is wrapped in a Recursor. By default the hidden
-- state is forgotten at each new sequence (see remember()).
local Sequencer, parent = torch.class('nn.Sequencer', 'nn.AbstractSequencer')

function Sequencer:__init(module)
   parent.__init(self)
   if not torch.isTypeOf(module, 'nn.Module') then
      error"Sequencer: expecting nn.Module instance at arg 1"
   end
   self.module = (not torch.isTypeOf(module, 'nn.AbstractRecurrent')) and nn.Recursor(module) or module
   self.modules = {self.module}
   self.output = {}
   self.tableoutput = {}
   self.tablegradInput = {}
   -- evaluation output tables kept for reuse
   self._output = {}
   local empty = {}
   for _, v in ipairs(self.dpnn_mediumEmpty) do empty[#empty + 1] = v end
   empty[#empty + 1] = '_output'
   self.dpnn_mediumEmpty = empty
   self._remember = 'neither'
end

local function nSteps(input)
   if torch.isTensor(input) then return input:size(1) end
   assert(torch.type(input) == 'table', "expecting input table")
   return #input
end

-- the steps' tensors stacked along a new first dimension, in out (reused when a tensor)
local function stack(out, steps, n)
   out = torch.isTensor(out) and out or steps[1].new()
   out:resize(n, unpack(steps[1]:size():totable()))
   for step = 1, n do out[step]:copy(steps[step]) end
   return out
end

function Sequencer:updateOutput(input)
   local n = nSteps(input)
   self.module:maxBPTTstep(n)
   if self.train ~= false then
      if not (self._remember == 'train' or self._remember == 'both') then
         self.module:forget()
      end
      self.tableoutput = {}
      for step = 1, n do
         self.tableoutput[step] = self.module:updateOutput(input[step])
      end
      if torch.isTensor(input) then
         self.output = stack(self.output, self.tableoutput, n)
      else
         self.output = self.tableoutput
      end
   else
      if not (self._remember == 'eval' or self._remember == 'both') then
         self.module:forget()
      end
      if torch.isTensor(input) then
         for step = 1, n do
            local output = self.module:updateOutput(input[step])
            if step == 1 then
               self.output = torch.isTensor(self.output) and self.output or output.new()
               self.output:resize(n, unpack(output:size():totable()))
            end
            self.output[step]:copy(output)
         end
      else
         -- evaluation reuses one module, so each step's output is copied out
         for step = 1, n do
            self.tableoutput[step] = rnn.recursiveCopy(
               self.tableoutput[step] or table.remove(self._output, 1),
               self.module:updateOutput(input[step]))
         end
         for i = n + 1, #self.tableoutput do
            table.insert(self._output, self.tableoutput[i])
            self.tableoutput[i] = nil
         end
         self.output = self.tableoutput
      end
   end
   return self.output
end

local function checkGradOutput(input, gradOutput)
   if torch.isTensor(input) then
      assert(torch.isTensor(gradOutput), "expecting gradOutput Tensor since input is a Tensor")
      assert(gradOutput:size(1) == input:size(1), "gradOutput should have as many elements as input")
      return input:size(1)
   end
   assert(torch.type(gradOutput) == 'table', "expecting gradOutput table")
   assert(#gradOutput == #input, "gradOutput should have as many elements as input")
   return #input
end

function Sequencer:updateGradInput(input, gradOutput)
   local n = checkGradOutput(input, gradOutput)
   self.tablegradinput = {}
   for step = n, 1, -1 do
      self.tablegradinput[step] = self.module:updateGradInput(input[step], gradOutput[step])
   end
   if torch.isTensor(input) then
      self.gradInput = stack(self.gradInput, self.tablegradinput, n)
   else
      self.gradInput = self.tablegradinput
   end
   return self.gradInput
end

function Sequencer:accGradParameters(input, gradOutput, scale)
   local n = checkGradOutput(input, gradOutput)
   for step = n, 1, -1 do
      self.module:accGradParameters(input[step], gradOutput[step], scale)
   end
end

function Sequencer:accUpdateGradParameters(input, gradOutput, lr)
   error"Not Implemented"
end

function Sequencer:training()
   if self.train == false then
      self:forget()
      self._output = {}
      self.tableoutput = nil
   end
   parent.training(self)
end

function Sequencer:evaluate()
   if self.train ~= false then
      self:forget()
      self.tableoutput = {}
   end
   parent.evaluate(self)
   assert(self.train == false)
end

function Sequencer:clearState()
   if torch.isTensor(self.output) then
      self.output:set()
      self.gradInput:set()
   else
      self.output = {}
      self.gradInput = {}
   end
   self._output = {}
   self.tableoutput = {}
   self.tablegradinput = {}
   self.module:clearState()
end

Sequencer.__tostring__ = nn.Decorator.__tostring__
