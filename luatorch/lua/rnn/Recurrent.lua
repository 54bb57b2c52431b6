-- A simple recurrent net: h(1) = transfer(start(input(x(1)))) and, for t > 1,
-- h(t) = transfer(merge{input(x(t)), feedback(h(t-1))}).
local Recurrent, parent = torch.class('nn.Recurrent', 'nn.AbstractRecurrent')

function Recurrent:__init(start, input, feedback, transfer, rho, merge)
   parent.__init(self, rho)
   local ts = torch.type(start)
   if ts == 'torch.LongStorage' or ts == 'number' then
      start = nn.Add(start)
   elseif ts == 'table' then
      start = nn.Add(torch.LongStorage(start))
   elseif not torch.isTypeOf(start, 'nn.Module') then
      error"Recurrent : expecting arg 1 of type nn.Module, torch.LongStorage, number or table"
   end
   self.startModule = start
   self.inputModule = input
   self.feedbackModule = feedback
   self.transferModule = transfer or nn.Sigmoid()
   self.mergeModule = merge or nn.CAddTable()
   self.modules = {self.startModule, self.inputModule, self.feedbackModule, self.transferModule,
                   self.mergeModule}
   self:buildInitialModule()
   self:buildRecurrentModule()
   self.sharedClones[2] = self.recurrentModule
end

-- the first step has no previous output: input -> start -> transfer
function Recurrent:buildInitialModule()
   self.initialModule = nn.Sequential()
   self.initialModule:add(self.inputModule:sharedClone())
   self.initialModule:add(self.startModule)
   self.initialModule:add(self.transferModule:sharedClone())
end

function Recurrent:buildRecurrentModule()
   local parallel = nn.ParallelTable()
   parallel:add(self.inputModule)
   parallel:add(self.feedbackModule)
   self.recurrentModule = nn.Sequential()
   self.recurrentModule:add(parallel)
   self.recurrentModule:add(self.mergeModule)
   self.recurrentModule:add(self.transferModule)
end

function Recurrent:updateOutput(input)
   if self.step == 1 then
      return self:endStep(self.initialModule:updateOutput(input))
   end
   return self:endStep(self:forwardStep{input, self.outputs[self.step - 1]})
end

function Recurrent:_updateGradInput(input, gradOutput)
   assert(self.step > 1, "expecting at least one updateOutput")
   local step = self.updateGradInputStep - 1
   -- the gradient also flows from the next step's use of this output
   if self.gradPrevOutput then
      gradOutput = self:stepGradOutput(step, self.gradPrevOutput, gradOutput)
   end
   local gradInput
   if step > 1 then
      local module = self:getStepModule(step)
      gradInput, self.gradPrevOutput = unpack(
         module:updateGradInput({input, self.outputs[step - 1]}, gradOutput))
   elseif step == 1 then
      gradInput = self.initialModule:updateGradInput(input, gradOutput)
   else
      error"non-positive time-step"
   end
   return gradInput
end

function Recurrent:_accGradParameters(input, gradOutput, scale)
   local step = self.accGradParametersStep - 1
   gradOutput = (step == self.step - 1) and gradOutput or self._gradOutputs[step]
   if step > 1 then
      self:getStepModule(step):accGradParameters({input, self.outputs[step - 1]}, gradOutput, scale)
   elseif step == 1 then
      self.initialModule:accGradParameters(input, gradOutput, scale)
   else
      error"non-positive time-step"
   end
end

function Recurrent:recycle()
   return parent.recycle(self, 1)
end

function Recurrent:forget()
   return parent.forget(self, 1)
end

function Recurrent:includingSharedClones(f)
   local modules, sharedClones, initialModule = self.modules, self.sharedClones, self.initialModule
   self.modules = {}
   self.sharedClones = nil
   self.initialModule = nil
   for _, list in ipairs{modules, sharedClones, {initialModule}} do
      for _, module in pairs(list) do table.insert(self.modules, module) end
   end
   local r = f()
   self.modules = modules
   self.sharedClones = sharedClones
   self.initialModule = initialModule
   return r
end

function Recurrent:reinforce(reward)
   if torch.type(reward) == 'table' then
      for step, r in ipairs(reward) do
         if step == 1 then
            self.initialModule:reinforce(r)
         else
            self:getStepModule(step):reinforce(r)
         end
      end
   else
      return self:includingSharedClones(function()
         return parent.reinforce(self, reward)
      end)
   end
end

function Recurrent:maskZero()
   error("Recurrent doesn't support maskZero as it uses a different "..
      "module for the first time-step. Use nn.Recurrence instead.")
end

function Recurrent:trimZero()
   error("Recurrent doesn't support trimZero as it uses a different "..
      "module for the first time-step. Use nn.Recurrence instead.")
end

function Recurrent:__tostring__()
   local function indent(s, by) return (tostring(s):gsub('\n', by)) end
   local str = torch.type(self) .. ' {\n  [{input(t), output(t-1)} -> (1) -> (2) -> (3) -> output(t)]'
   str = str .. '\n  (1):  {\n    input(t)'
   str = str .. '\n      |`-> (t==0): ' .. indent(self.startModule, '\n    |    ')
   str = str .. '\n      |`-> (t~=0): ' .. indent(self.inputModule, '\n    |    ')
   str = str .. '\n    output(t-1)'
   str = str .. '\n      |`-> ' .. indent(self.feedbackModule, '\n      |    ')
   str = str .. '\n  }'
   str = str .. '\n  (2): ' .. indent(self.mergeModule, '\n  ')
   str = str .. '\n  (3): ' .. indent(self.transferModule, '\n  ')
   return str .. '\n}'
end
