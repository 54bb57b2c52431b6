-- tnt.utils: table helpers, nn helpers, system helpers
local tnt = require 'torchnet.env'

local utils = {}
tnt.utils = utils
utils.table = require 'torchnet.utils.table'
for _, name in ipairs{'nn', 'sys'} do
   if package.searchpath('torchnet.utils.' .. name, package.path) then
      utils[name] = require('torchnet.utils.' .. name)
   end
end
return utils
