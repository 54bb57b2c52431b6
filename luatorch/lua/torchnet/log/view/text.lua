-- an onFlush closure writing the values of keys on one line, joined by separator
local argcheck = require 'argcheck'
local util = require 'torchnet.log.view.util'

return argcheck{
   noordered = true,
   {name = 'file', type = 'torch.File', opt = true},
   {name = 'filename', type = 'string', opt = true},
   {name = 'keys', type = 'table'},
   {name = 'format', type = 'table', opt = true},
   {name = 'separator', type = 'string', default = " | "},
   {name = 'append', type = 'boolean', default = false},
   call = function(file, filename, keys, format, separator, append)
      file = util.open(file, filename, append)
      local fields = util.formats(keys, format, function(key)
         return function(value) return string.format("%s %s", key, value) end
      end)
      return function(log)
         local txt = {}
         for _, key in ipairs(fields) do
            if log:get(key.name) then
               local s = key.format(log:get(key.name))
               assert(type(s) == 'string',
                      string.format("value for key %s cannot be converted to string", key))
               table.insert(txt, s)
            end
         end
         util.emit(file, table.concat(txt, separator))
      end
   end
}
