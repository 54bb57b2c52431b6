-- input {gater, experts}: the mixture sum_i gater_i * expert_i of the experts' outputs
-- (experts a table of tensors, or one tensor with the experts along dimension dim)
local MixtureTable, parent = torch.class('nn.MixtureTable', 'nn.Module')
local THNN = nn.THNN

function MixtureTable:__init(dim)
   parent.__init(self)
   self.dim = dim
   self.size = torch.LongStorage()
   self.batchSize = 0
   self.size2 = torch.LongStorage()
   self.backwardSetup = false
   self.gradInput = {}
end

function MixtureTable:_expertDim(gaterInput)
   if self.dim then return self.dim end
   return gaterInput:dim() < 2 and 1 or 2
end

function MixtureTable:updateOutput(input)
   local gaterInput, expertInputs = input[1], input[2]
   if gaterInput:dim() > 2 then error('gaterInput should be 1D or 2D') end
   if torch.type(expertInputs) == 'table' then
      local n = gaterInput:size(gaterInput:dim())
      if #expertInputs ~= n then
         error('Should be one gater output per expert')
      end
      for i, expertInput in ipairs(expertInputs) do
         THNN.MixtureTable_accExpert(gaterInput, expertInput, self.output, i)
      end
   elseif torch.isTensor(expertInputs) then
      THNN.MixtureTable_updateOutput(gaterInput, expertInputs, self.output,
                                     self:_expertDim(gaterInput))
   else
      error('Expecting expertInputs input to be a table or tensor')
   end
   return self.output
end

function MixtureTable:updateGradInput(input, gradOutput)
   local gaterInput, expertInputs = input[1], input[2]
   self.gradInput[1] = self.gradInput[1] or gaterInput.new()
   local gaterGradInput = self.gradInput[1]
   if torch.type(expertInputs) == 'table' then
      if torch.type(self.gradInput[2]) ~= 'table' then self.gradInput[2] = {} end
      local expertGradInputs = self.gradInput[2]
      for i, expertInput in ipairs(expertInputs) do
         expertGradInputs[i] = expertGradInputs[i] or expertInput.new()
         THNN.MixtureTable_gradExpert(gaterInput, expertInput, gradOutput, gaterGradInput,
                                      expertGradInputs[i], i)
      end
      for i = #expertInputs + 1, #expertGradInputs do expertGradInputs[i] = nil end
   else
      if not torch.isTensor(self.gradInput[2]) then self.gradInput[2] = expertInputs.new() end
      THNN.MixtureTable_updateGradInput(gaterInput, expertInputs, gradOutput, gaterGradInput,
                                        self.gradInput[2], self:_expertDim(gaterInput))
   end
   return self.gradInput
end

function MixtureTable:type(type, tensorCache)
   self.gradInput = {}
   return parent.type(self, type, tensorCache)
end

function MixtureTable:clearState()
   self.gradInput = {}
   return parent.clearState(self)
end
