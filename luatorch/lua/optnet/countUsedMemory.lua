-- optnet.countUsedMemory(net): bytes held by the network's storages (each counted once),
-- by kind: outputs, gradInputs, buffers (other tensor fields) and params (weights, biases and
-- their gradients), and total_size
local optnet = require 'optnet.env'

local PARAMS = {weight = true, bias = true, gradWeight = true, gradBias = true}

function optnet.countUsedMemory(net)
   local kinds = {outputs = {}, buffers = {}, params = {}, gradInputs = {}}
   local function add(t, into)
      if torch.isTensor(t) then
         if t:storage() then
            local ptr = torch.pointer(t:storage())
            into[ptr] = into[ptr] or t
         end
      elseif torch.type(t) == 'table' then
         for _, v in ipairs(t) do add(v, into) end
      end
   end
   net:apply(function(m)
      add(m.output, kinds.outputs)
      add(m.gradInput, kinds.gradInputs)
      for k, v in pairs(m) do
         if torch.isTensor(v) and not PARAMS[k] and k ~= 'output' and k ~= 'gradInput' then
            add(v, kinds.buffers)
         end
      end
      for _, k in ipairs{'weight', 'bias', 'gradWeight', 'gradBias'} do
         if m[k] then add(m[k], kinds.params) end
      end
   end)
   local sizes, total = {}, 0
   for kind, tensors in pairs(kinds) do
      sizes[kind] = 0
      for _, t in pairs(tensors) do
         local bytes = t:storage():size() * t:elementSize()
         sizes[kind] = sizes[kind] + bytes
         total = total + bytes
      end
   end
   sizes.total_size = total
   return sizes
end
