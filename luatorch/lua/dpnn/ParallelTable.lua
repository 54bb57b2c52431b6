-- dpnn's ParallelTable:profile(): from then on every ParallelTable prints the time each branch
-- takes in each pass (replacing the class's methods, as dpnn does)
local ParallelTable, parent = nn.ParallelTable, nn.Container

local function timedPass(what, store)
   return function(self, input, gradOutput, arg)
      for i, module in ipairs(self.modules) do
         local start = sys.clock()
         local result = module[what](module, input[i], gradOutput and gradOutput[i], arg)
         if store then self[store][i] = result end
         print(torch.type(module) .. ' ' .. what .. ': ' .. sys.clock() - start .. ' s')
      end
      return store and self[store] or nil
   end
end

function ParallelTable:profile()
   require 'sys'
   local forward = timedPass('updateOutput', 'output')
   function ParallelTable:updateOutput(input) return forward(self, input) end
   ParallelTable.updateGradInput = timedPass('updateGradInput', 'gradInput')
   local accGrad = timedPass('accGradParameters')
   function ParallelTable:accGradParameters(input, gradOutput, scale)
      accGrad(self, input, gradOutput, scale or 1)
   end
   local accUpdate = timedPass('accUpdateGradParameters')
   function ParallelTable:accUpdateGradParameters(input, gradOutput, lr)
      accUpdate(self, input, gradOutput, lr or 1)
   end
   parent.profile(self)
end
