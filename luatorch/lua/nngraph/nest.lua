-- nngraph.nest(x): a node standing for a nested structure of nodes,
-- e.g. nngraph.nest({in1, {in2}, in3}) outputs {out1, {out2}, out3}.
local function isNode(x)
   return torch.typename(x) == 'nngraph.Node'
end

local function nest(x)
   if isNode(x) then return x end
   if type(x) ~= 'table' or #x == 0 then
      error('what is this in the nest input? ' .. tostring(x))
   end
   if #x == 1 then return nngraph.JustTable()(x) end
   local children = {}
   for i, child in ipairs(x) do children[i] = nest(child) end
   return nn.Identity()(children)
end

function nngraph.nest(...)
   local nArgs = select('#', ...)
   assert(nArgs <= 1, 'Use {input1, input2} to pass multiple inputs.')
   local x = ...
   assert(nArgs > 0 and x ~= nil, 'Pass an input.')
   return nest(x)
end
