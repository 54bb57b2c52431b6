-- a nested table of tensors as a flat table (depth first)
local FlattenTable, parent = torch.class('nn.FlattenTable', 'nn.Module')

function FlattenTable:__init()
   parent.__init(self)
   self.output = {}
   self.input_map = {}
   self.gradInput = {}
end

-- flatten input into output; returns the map from input positions to output indices
local function flatten(output, input)
   local input_map
   if torch.type(input) == 'table' then
      input_map = {}
      for i = 1, #input do
         input_map[#input_map + 1] = flatten(output, input[i])
      end
   else
      input_map = #output + 1
      output[input_map] = input
   end
   return input_map
end

local function checkMapping(output, input, input_map)
   if input_map == nil or output == nil or input == nil then
      return false
   end
   if torch.type(input) == 'table' then
      if torch.type(input_map) ~= 'table' then return false end
      if #input ~= #input_map then return false end
      for i = 1, #input do
         if not checkMapping(output, input[i], input_map[i]) then return false end
      end
      return true
   else
      if torch.type(input_map) ~= 'number' then return false end
      return output[input_map] == input
   end
end

-- the gradient, shaped like input, from the flat gradOutput
local function inverseFlatten(gradOutput, input_map)
   if torch.type(input_map) == 'table' then
      local gradInput = {}
      for i = 1, #input_map do
         gradInput[#gradInput + 1] = inverseFlatten(gradOutput, input_map[i])
      end
      return gradInput
   else
      return gradOutput[input_map]
   end
end

function FlattenTable:updateOutput(input)
   assert(torch.type(input) == 'table', 'input must be a table')
   -- rebuild the mapping only when the input structure changed
   if not checkMapping(self.output, input, self.input_map) then
      self.output = {}
      self.input_map = flatten(self.output, input)
   end
   return self.output
end

function FlattenTable:updateGradInput(input, gradOutput)
   assert(torch.type(input) == 'table', 'input must be a table')
   assert(torch.type(gradOutput) == 'table', 'gradOutput must be a table')
   -- the mapping may be stale if updateOutput was not called with this input
   if not checkMapping(self.output, input, self.input_map) then
      self.output = {}
      self.input_map = flatten(self.output, input)
   end
   self.gradInput = inverseFlatten(gradOutput, self.input_map)
   return self.gradInput
end

function FlattenTable:type(type, tensorCache)
   -- the mapping refers to the input's tensors: drop it
   self.input_map = {}
   self.output = {}
   return parent.type(self, type, tensorCache)
end

function FlattenTable:clearState()
   self.input_map = {}
   return parent.clearState(self)
end
