-- threads.serialize: jobs, arguments and results cross between states as copies (torch
-- serialization into a CharStorage, functions with their upvalues).
local torch = require 'torch'

local serialize = {}

function serialize.save(obj)
   return torch.serializeToStorage(obj, 'binary')
end

function serialize.load(storage)
   return torch.deserializeFromStorage(storage, 'binary', {allowFunctions = true})
end

return serialize
