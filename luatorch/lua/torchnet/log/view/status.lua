-- an onSet closure writing the status line whenever it is set
local argcheck = require 'argcheck'
local util = require 'torchnet.log.view.util'

return argcheck{
   noordered = true,
   {name = 'file', type = 'torch.File', opt = true},
   {name = 'filename', type = 'string', opt = true},
   {name = 'append', type = 'boolean', default = false},
   call = function(file, filename, append)
      file = util.open(file, filename, append)
      return function(data, key, value)
         if key == '__status__' then util.emit(file, tostring(value)) end
      end
   end
}
