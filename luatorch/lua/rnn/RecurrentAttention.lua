-- The recurrent attention model (Mnih et al. 2014): at each of nStep steps the action module
-- maps the previous rnn output (zeros of hiddenSize at the first step) to an action (e.g. a
-- glimpse location), and the rnn reads {input, action}. The output is the table of rnn
-- outputs ({output, action} pairs with forwardActions). Actions usually come from
-- REINFORCE modules, so their gradient is zero unless forwardActions.
local RecurrentAttention, parent = torch.class('nn.RecurrentAttention', 'nn.AbstractSequencer')

function RecurrentAttention:__init(rnnModule, action, nStep, hiddenSize)
   parent.__init(self)
   assert(torch.isTypeOf(action, 'nn.Module'))
   assert(torch.type(nStep) == 'number')
   assert(torch.type(hiddenSize) == 'table')
   assert(torch.type(hiddenSize[1]) == 'number', "Does not support table hidden layers")
   local function recursor(m)
      return (not torch.isTypeOf(m, 'nn.AbstractRecurrent')) and nn.Recursor(m) or m
   end
   self.rnn = recursor(rnnModule)
   self.action = recursor(action)
   self.hiddenSize = hiddenSize
   self.nStep = nStep
   self.modules = {self.rnn, self.action}
   self.output = {}
   self.actions = {}
   self.forwardActions = false
   self.gradHidden = {}
end

function RecurrentAttention:updateOutput(input)
   self.rnn:forget()
   self.action:forget()
   for step = 1, self.nStep do
      if step == 1 then
         self._initInput = self._initInput or input.new()
         self._initInput:resize(input:size(1), unpack(self.hiddenSize)):zero()
         self.actions[1] = self.action:updateOutput(self._initInput)
      else
         self.actions[step] = self.action:updateOutput(self.output[step - 1])
      end
      local output = self.rnn:updateOutput{input, self.actions[step]}
      self.output[step] = self.forwardActions and {output, self.actions[step]} or output
   end
   return self.output
end

local function checkGradOutput(self, gradOutput)
   assert(self.rnn.step - 1 == self.nStep, "inconsistent rnn steps")
   assert(torch.type(gradOutput) == 'table', "expecting gradOutput table")
   assert(#gradOutput == self.nStep, "gradOutput should have nStep elements")
end

function RecurrentAttention:updateGradInput(input, gradOutput)
   checkGradOutput(self, gradOutput)
   for step = self.nStep, 1, -1 do
      local gradOutputStep, gradAction = gradOutput[step], nil
      if self.forwardActions then
         gradOutputStep, gradAction = unpack(gradOutput[step])
      else
         self._gradAction = self._gradAction or self.action.output.new()
         if not self._gradAction:isSameSizeAs(self.action.output) then
            self._gradAction:resizeAs(self.action.output):zero()
         end
         gradAction = self._gradAction
      end
      -- the hidden output of a step gets the gradient of its output and of the next action
      if step == self.nStep then
         self.gradHidden[step] = rnn.recursiveCopy(self.gradHidden[step], gradOutputStep)
      else
         rnn.recursiveAdd(self.gradHidden[step], gradOutputStep)
      end
      if step == 1 then
         self.action:updateGradInput(self._initInput, gradAction)
      else
         local g = self.action:updateGradInput(self.output[step - 1], gradAction)
         self.gradHidden[step - 1] = rnn.recursiveCopy(self.gradHidden[step - 1], g)
      end
      local gradInput = self.rnn:updateGradInput({input, self.actions[step]}, self.gradHidden[step])[1]
      if step == self.nStep then
         self.gradInput:resizeAs(gradInput):copy(gradInput)
      else
         self.gradInput:add(gradInput)
      end
   end
   return self.gradInput
end

local function accumulate(self, input, gradOutput, method, arg)
   checkGradOutput(self, gradOutput)
   for step = self.nStep, 1, -1 do
      local gradAction = self.forwardActions and gradOutput[step][2] or self._gradAction
      local actionInput = step == 1 and self._initInput or self.output[step - 1]
      self.action[method](self.action, actionInput, gradAction, arg)
      self.rnn[method](self.rnn, {input, self.actions[step]}, self.gradHidden[step], arg)
   end
end

function RecurrentAttention:accGradParameters(input, gradOutput, scale)
   accumulate(self, input, gradOutput, 'accGradParameters', scale)
end

function RecurrentAttention:accUpdateGradParameters(input, gradOutput, lr)
   accumulate(self, input, gradOutput, 'accUpdateGradParameters', lr)
end

function RecurrentAttention:type(typename)
   self._input = nil
   self._actions = nil
   self._crop = nil
   self._pad = nil
   self._byte = nil
   return parent.type(self, typename)
end

function RecurrentAttention:__tostring__()
   local ind = '\n    |    '
   local str = torch.type(self) .. ' {'
   str = str .. '\n  action : ' .. tostring(self.action):gsub('\n', ind)
   str = str .. '\n  rnn     : ' .. tostring(self.rnn):gsub('\n', ind)
   return str .. '\n}'
end
