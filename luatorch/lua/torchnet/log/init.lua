-- tnt.Log{keys = {...}, onSet/onGet/onFlush/onClose = {closures}}: a set of named values
-- (only the declared keys, plus the status line) with closures run when they are set, read,
-- flushed or the log closed; the views in torchnet.log.view.* print or write them.
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

local Log = torch.class('tnt.Log', tnt)

function Log:__clear()
   self.__events = {onClose = {}, onFlush = {}, onGet = {}, onSet = {}}
   self.__data = {}
end

Log.__init = argcheck{
   noordered = true,
   {name = 'self', type = 'tnt.Log'},
   {name = 'keys', type = 'table'},
   {name = 'onClose', type = 'table', opt = true},
   {name = 'onFlush', type = 'table', opt = true},
   {name = 'onGet', type = 'table', opt = true},
   {name = 'onSet', type = 'table', opt = true},
   call = function(self, keys, onClose, onFlush, onGet, onSet)
      self.__keys = {__status__ = true}
      for _, key in ipairs(keys) do self.__keys[key] = true end
      self:__clear()
      if onClose then self:attach('onClose', onClose) end
      if onFlush then self:attach('onFlush', onFlush) end
      if onGet then self:attach('onGet', onGet) end
      if onSet then self:attach('onSet', onSet) end
   end
}

-- sets the status line ("| <date> | message")
Log.status = argcheck{
   {name = 'self', type = 'tnt.Log'},
   {name = 'message', type = 'string', opt = true},
   {name = 'time', type = 'boolean', default = true},
   call = function(self, message, time)
      local prefix = "|"
      if time then prefix = prefix .. " " .. os.date() .. " |" end
      self:set{__status__ = string.format("%s %s", prefix, message)}
   end
}

Log.set = argcheck{
   nonamed = true,
   {name = 'self', type = 'tnt.Log'},
   {name = 'keys', type = 'table'},
   call = function(self, keys)
      for key, value in pairs(keys) do
         assert(type(key) == 'string', 'string expected for key')
         if not self.__keys[key] then error(string.format("unknown key <%s>", key)) end
         for _, closure in ipairs(self.__events.onSet) do closure(self, key, value) end
         self.__data[key] = value
      end
   end
}

Log.get = argcheck{
   {name = 'self', type = 'tnt.Log'},
   {name = 'key', type = 'string'},
   call = function(self, key)
      if not self.__keys[key] then error(string.format("unknown key <%s>", key)) end
      for _, closure in ipairs(self.__events.onGet) do closure(self, key) end
      return self.__data[key]
   end
}

Log.flush = argcheck{
   {name = 'self', type = 'tnt.Log'},
   call = function(self)
      for _, closure in ipairs(self.__events.onFlush) do closure(self) end
      self.__data = {}
   end
}

Log.close = argcheck{
   {name = 'self', type = 'tnt.Log'},
   call = function(self)
      for _, closure in ipairs(self.__events.onClose) do closure(self) end
      self:__clear()
   end
}

Log.attach = argcheck{
   {name = 'self', type = 'tnt.Log'},
   {name = 'event', type = 'string'},
   {name = 'closures', type = 'table'},
   call = function(self, event, closures)
      local events = self.__events[event]
      assert(events, string.format('unknown event <%s>', event))
      for _, closure in ipairs(closures) do
         assert(type(closure) == 'function', string.format('%s: table of functions expected', event))
         table.insert(events, closure)
      end
   end
}
