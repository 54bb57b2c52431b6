-- tnt.OptimEngine: SGDEngine's loop with the update done by an optim method
-- (optim.sgd, optim.adam, ...) on the flattened parameters
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'
require 'nn'

local OptimEngine, SGDEngine = torch.class('tnt.OptimEngine', 'tnt.SGDEngine', tnt)

OptimEngine.__init = argcheck{
   {name = 'self', type = 'tnt.OptimEngine'},
   call = function(self) SGDEngine.__init(self) end
}

OptimEngine.train = argcheck{
   {name = 'self', type = 'tnt.OptimEngine'},
   {name = 'network', type = 'nn.Module'},
   {name = 'criterion', type = 'nn.Criterion'},
   {name = 'iterator', type = 'tnt.DatasetIterator'},
   {name = 'maxepoch', type = 'number', default = 1000},
   {name = 'optimMethod', type = 'function'},
   {name = 'config', type = 'table', opt = true},
   {name = 'optimState', type = 'table', opt = true},
   {name = 'paramFun', type = 'function', opt = true},
   call = function(self, network, criterion, iterator, maxepoch, optimMethod, config,
                   optimState, paramFun)
      local state = {
         network = network, criterion = criterion, iterator = iterator,
         maxepoch = maxepoch, optimMethod = optimMethod, sample = {},
         config = config or {}, optim = optimState or {},
         epoch = 0, t = 0, training = true,
      }
      if paramFun then
         state.params, state.gradParams = paramFun()
      else
         state.params, state.gradParams = state.network:getParameters()
      end
      -- the loss and gradients were computed by the loop already
      local function feval() return state.criterion.output, state.gradParams end
      SGDEngine.loop(self, state, function(s)
         s.optimMethod(feval, s.params, s.config, s.optim)
      end)
   end
}
