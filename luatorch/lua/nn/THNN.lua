-- nn.THNN: the Python kernels (luatorch/thnn), each a Lua function taking tensors and numbers
-- and writing its outputs in place.
local py = torch._py
local bind = torch._bind

local THNN = {}
for k, f in pairs(py) do
   local name = k:match('^THNN_(.+)$')
   if name then THNN[name] = bind(f) end
end
return THNN
