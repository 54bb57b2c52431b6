-- rnn's extensions of nn.Module: the recurrent API reaches recurrent modules inside containers
local Module = nn.Module

local function eachChild(self, f)
   if self.modules then
      for i, module in ipairs(self.modules) do f(module, i) end
   end
end

-- forget the past time-steps (start a new sequence)
function Module:forget()
   eachChild(self, function(m) m:forget() end)
   return self
end

-- keep the hidden state between sequences: 'both', 'train', 'eval' or 'neither'
function Module:remember(remember)
   eachChild(self, function(m) m:remember(remember) end)
   return self
end

-- a clone for one time-step: parameters shared, inner recurrent modules kept as they are
function Module:stepClone(shareParams, shareGradParams)
   return self:sharedClone(shareParams, shareGradParams, true)
end

function Module:backwardOnline()
   print("Deprecated Jan 6, 2016. By default rnn now uses backwardOnline, so no need to call this method")
end

function Module:setOutputStep(step)
   eachChild(self, function(m) m:setOutputStep(step) end)
end

function Module:maxBPTTstep(rho)
   eachChild(self, function(m) m:maxBPTTstep(rho) end)
end

function Module:getHiddenState(step)
   if self.modules then
      local state = {}
      eachChild(self, function(m, i) state[i] = m:getHiddenState(step) end)
      return state
   end
end

function Module:setHiddenState(step, hiddenState)
   if self.modules then
      assert(torch.type(hiddenState) == 'table')
      eachChild(self, function(m, i) m:setHiddenState(step, hiddenState[i]) end)
   end
end

function Module:getGradHiddenState(step)
   if self.modules then
      local state = {}
      eachChild(self, function(m, i) state[i] = m:getGradHiddenState(step) end)
      return state
   end
end

function Module:setGradHiddenState(step, gradHiddenState)
   if self.modules then
      assert(torch.type(gradHiddenState) == 'table')
      eachChild(self, function(m, i) m:setGradHiddenState(step, gradHiddenState[i]) end)
   end
end
