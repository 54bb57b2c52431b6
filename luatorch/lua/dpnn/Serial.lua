-- Decorates a module so that it is written to files without the attributes its serial mode
-- empties (see Module:mediumSerial/lightSerial), optionally cast to another tensor type.
local Serial, parent = torch.class('nn.Serial', 'nn.Decorator')

function Serial:__init(module, tensortype)
   parent.__init(self, module)
   self.tensortype = tensortype
   if tensortype then
      assert(tensortype:find('torch.*Tensor'), "Expecting tensortype (e.g. torch.LongTensor) at arg1")
   end
end

function Serial:write(file)
   local state = self:getSerialState()
   -- rebuild the objects of the state so that they can be cast and written as modules
   local done = {}
   local function revive(t)
      if done[t] then return end
      done[t] = true
      for _, v in pairs(t) do
         if torch.type(v) == 'table' then revive(v) end
      end
      if t.dpnn_typename then torch.setmetatable(t, t.dpnn_typename) end
   end
   revive(state)
   if self.tensortype then state:type(self.tensortype) end
   local plain = {}
   for k, v in pairs(state) do plain[k] = v end
   file:writeObject(plain)
end

function Serial:read(file)
   for k, v in pairs(file:readObject()) do self[k] = v end
end
