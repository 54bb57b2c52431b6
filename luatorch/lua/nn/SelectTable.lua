-- the index-th element of the input table (negative indices count from the end)
local SelectTable, parent = torch.class('nn.SelectTable', 'nn.Module')

function SelectTable:__init(index)
   parent.__init(self)
   self.index = index
   self.gradInput = {}
end

function SelectTable:updateOutput(input)
   local index = self.index
   if type(index) == 'number' then
      index = index < 0 and #input + index + 1 or index
   end
   assert(input[index], 'index does not exist in the input table')
   self.output = input[index]
   return self.output
end

-- t1 becomes a zeroed copy of t2 (nested), reusing t1's tensors; t1[keep] (a tensor about to
-- be overwritten whole by a copy) is only resized. The others are zeroed on every call even
-- when they are zero still: reading them first (memcmp) to skip the memset measured no faster,
-- cold or in cache (the LSTM benchmark's 625 such 32x128 tensors a step).
local function zeroTableCopy(t1, t2, keep)
   for k, v in pairs(t2) do
      if torch.type(v) == 'table' then
         t1[k] = zeroTableCopy(t1[k] or {}, t2[k])
      elseif torch.isTensor(v) then
         if not t1[k] then
            t1[k] = v:clone():zero()
         elseif k == keep then
            t1[k]:resizeAs(v)
         else
            t1[k]:resizeAs(v)
            t1[k]:zero()
         end
      else
         t1[k] = nil
      end
   end
   for k, _ in pairs(t1) do
      if not t2[k] then t1[k] = nil end
   end
   return t1
end

local H = torch._H

function SelectTable:updateGradInput(input, gradOutput)
   local index = self.index
   if type(index) == 'number' then
      index = index < 0 and #input + index + 1 or index
   end
   -- gradInput[index] is overwritten whole by the copy of gradOutput below: zeroing it first
   -- changes nothing, unless it shares memory with gradOutput
   local old = self.gradInput[index]
   local keep = nil
   if torch.isTensor(old) and torch.isTensor(gradOutput) and torch.isTensor(input[index]) then
      local h, g = H[old], H[gradOutput]
      if h ~= nil and g ~= nil and h.storage ~= nil and h.storage ~= g.storage then
         keep = index
      end
   end
   zeroTableCopy(self.gradInput, input, keep)
   -- copy into gradInput[index] (necessary for variable sized inputs)
   assert(self.gradInput[index])
   nn.utils.recursiveCopy(self.gradInput[index], gradOutput)
   return self.gradInput
end

function SelectTable:type(type, tensorCache)
   self.gradInput = {}
   self.output = {}
   return parent.type(self, type, tensorCache)
end

function SelectTable:__tostring__()
   return torch.type(self) .. '(' .. self.index .. ')'
end

SelectTable.clearState = nn.Identity.clearState
