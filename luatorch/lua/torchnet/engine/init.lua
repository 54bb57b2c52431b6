-- tnt.Engine: the base of training loops, with named hooks the user sets
-- (engine.hooks.onForward = function(state) ... end) and the loop calls
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local Engine = torch.class('tnt.Engine', tnt)

Engine.__init = argcheck{
   nonamed = true,
   {name = 'self', type = 'tnt.Engine'},
   {name = 'hooks', type = 'table'},
   call = function(self, hooks)
      self.hooks = {}
      for _, name in ipairs(hooks) do
         assert(type(name) == 'string', 'hooks must be a table of hook names (strings)')
         self.hooks[name] = function() end
      end
      -- only the declared hooks can be read or set; hooks(name, ...) calls one
      setmetatable(self.hooks, {
         __index = function(_, name)
            assert(type(name) == 'string', 'hook name must be a string')
            error(string.format('unknown hook <%s>', name))
         end,
         __newindex = function(_, name)
            assert(type(name) == 'string', 'hook name must be a string')
            error(string.format('unknown hook <%s>', name))
         end,
         __call = function(hooks, name, ...) return hooks[name](...) end,
      })
   end
}

Engine.train = argcheck{
   {name = 'self', type = 'tnt.Engine'},
   call = function(self) error('A tnt.Engine should implement the train() function.') end
}

Engine.test = argcheck{
   {name = 'self', type = 'tnt.Engine'},
   call = function(self) error('A tnt.Engine should implement the test() function.') end
}
