-- an onFlush closure writing the values of keys as one JSON object of strings
local argcheck = require 'argcheck'
local util = require 'torchnet.log.view.util'

return argcheck{
   noordered = true,
   {name = 'file', type = 'torch.File', opt = true},
   {name = 'filename', type = 'string', opt = true},
   {name = 'keys', type = 'table'},
   {name = 'format', type = 'table', opt = true},
   {name = 'append', type = 'boolean', default = false},
   call = function(file, filename, keys, format, append)
      file = util.open(file, filename, append)
      local fields = util.formats(keys, format, function() return tostring end)
      return function(log)
         local txt = {}
         for _, key in ipairs(fields) do
            local s = key.format(log:get(key.name))
            assert(type(s) == 'string',
                   string.format("value for key %s cannot be converted to string", key))
            table.insert(txt, string.format('"%s": "%s"', key.name, s))
         end
         util.emit(file, string.format("{%s}", table.concat(txt, ", ")))
      end
   end
}
