-- dpnn's Sequential:profile(): from then on every Sequential prints the time each child takes
-- in each pass ("<type> updateOutput: <seconds> s"); as in dpnn it replaces the class's
-- methods, so it applies to all Sequentials.
local Sequential, parent = nn.Sequential, nn.Container

-- runs f, prints how long it took, returns its result
local function timed(module, what, f, ...)
   local timer = torch.Timer()
   local result = f(module, ...)
   print(torch.type(module) .. ' ' .. what .. ': ' .. timer:time().real .. ' s')
   return result
end

-- the passes that go backward through the children, each child getting its predecessor's
-- output (the container's input for the first)
local function backwardPass(what, keepsGradient)
   return function(self, input, gradOutput, arg)
      local current = gradOutput
      for i = #self.modules, 1, -1 do
         local module = self.modules[i]
         local before = i > 1 and self.modules[i - 1].output or input
         local result = timed(module, what, module[what], before, current, arg)
         if keepsGradient then
            current = result
            module.gradInput = result
         else
            current = module.gradInput
         end
      end
      if keepsGradient then self.gradInput = current end
      return current
   end
end

function Sequential:profile()
   function Sequential:updateOutput(input)
      local current = input
      for _, module in ipairs(self.modules) do
         current = timed(module, 'updateOutput', module.updateOutput, current)
      end
      self.output = current
      return current
   end
   Sequential.updateGradInput = backwardPass('updateGradInput', true)
   Sequential.backward = backwardPass('backward', true)
   local accGrad = backwardPass('accGradParameters', false)
   function Sequential:accGradParameters(input, gradOutput, scale)
      accGrad(self, input, gradOutput, scale or 1)
   end
   local accUpdate = backwardPass('accUpdateGradParameters', false)
   function Sequential:accUpdateGradParameters(input, gradOutput, lr)
      accUpdate(self, input, gradOutput, lr)
   end
   parent.profile(self)
end
