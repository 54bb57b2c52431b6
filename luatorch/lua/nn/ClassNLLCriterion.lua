local ClassNLLCriterion, parent = torch.class('nn.ClassNLLCriterion', 'nn.Criterion')
local THNN = nn.THNN

function ClassNLLCriterion:__init(weights, sizeAverage, ignoreIndex)
   parent.__init(self)
   self.sizeAverage = (sizeAverage == nil) and true or sizeAverage
   self.ignoreIndex = ignoreIndex or -100 -- this target index will be ignored
   if weights then
      assert(weights:dim() == 1, 'weights input should be 1-D Tensor')
      self.weights = weights
   end
   self.output_tensor = torch.zeros(1)
   self.total_weight_tensor = torch.ones(1)
   self.target = torch.zeros(1):long()
end

function ClassNLLCriterion:__len()
   if self.weights then return #self.weights else return 0 end
end

-- a number target becomes a one-element LongTensor; tensor targets go to the kernel as they are.
-- Torch7 reads torch.typename(input) first (a nil for an input that is no tensor, which it
-- then indexes) and takes target:long() of anything else: both fail as they fail there.
local function targetTensor(self, input, target)
   -- (a tensor's name always has a match to make or not: only other inputs can fail here)
   if not torch.isTensor(input) then
      local _ = torch.typename(input):find('torch%.Cuda.*Tensor')
   end
   if type(target) == 'number' then
      self.target:resize(1)
      self.target[1] = target
      return self.target
   end
   if not torch.isTensor(target) then return target:long() end
   return target
end

-- Torch7's kernel takes the loss, weights and total weight as tensors of the input's type
-- (arguments 4, 6 and 7 after THNN's state): LuaJIT's FFI refuses another type. The kernel
-- here returns the loss, so the check is made before the call.
local function checkTypes(self, input)
   local want = torch.type(input)
   for _, arg in ipairs({{self.output_tensor, 4}, {self.weights, 6}, {self.total_weight_tensor, 7}}) do
      local t = arg[1]
      if t ~= nil and torch.type(t) ~= want then
         error(string.format("bad argument #%d to 'v' (cannot convert 'struct TH%s *' to 'struct TH%s *')",
            arg[2], torch.type(t):sub(7), want:sub(7)))
      end
   end
end

function ClassNLLCriterion:updateOutput(input, target)
   target = targetTensor(self, input, target)
   if torch.isTensor(input) then checkTypes(self, input) end
   self.output = THNN.ClassNLLCriterion_updateOutput(input, target, self.sizeAverage,
      self.weights, self.total_weight_tensor, self.ignoreIndex)
   return self.output, self.total_weight_tensor[1]
end

function ClassNLLCriterion:updateGradInput(input, target)
   target = targetTensor(self, input, target)
   THNN.ClassNLLCriterion_updateGradInput(input, target, self.gradInput, self.sizeAverage,
      self.weights, self.total_weight_tensor, self.ignoreIndex)
   return self.gradInput
end
