-- Concat for outputs whose non-concatenated sizes differ: smaller ones are centred, zero padded
local DepthConcat, _ = torch.class('nn.DepthConcat', 'nn.Concat')

function DepthConcat:windowNarrow(output, currentOutput, offset)
   local outputWindow = output:narrow(self.dimension, offset, currentOutput:size(self.dimension))
   for dim = 1, #self.outputSize do
      local currentSize = currentOutput:size(dim)
      if dim ~= self.dimension and self.outputSize[dim] ~= currentSize then
         -- 5x5 inside 9x9 starts at 3: floor((9 - 5) / 2) + 1
         local start = math.floor(((self.outputSize[dim] - currentSize) / 2) + 1)
         outputWindow = outputWindow:narrow(dim, start, currentSize)
      end
   end
   return outputWindow
end

function DepthConcat:updateOutput(input)
   self.outputSize = self.outputSize or torch.LongStorage()
   local outs = {}
   for i = 1, #self.modules do
      local currentOutput = self:rethrowErrors(self.modules[i], i, 'updateOutput', input)
      outs[i] = currentOutput
      if i == 1 then
         self.outputSize:resize(currentOutput:dim()):copy(currentOutput:size())
      else
         self.outputSize[self.dimension] = self.outputSize[self.dimension] + currentOutput:size(self.dimension)
         for dim = 1, #self.outputSize do
            if dim ~= self.dimension then
               self.outputSize[dim] = math.max(self.outputSize[dim], currentOutput:size(dim))
            end
         end
      end
   end
   self.output:resize(self.outputSize):zero()

   local offset = 1
   for i = 1, #self.modules do
      local currentOutput = outs[i]
      self:windowNarrow(self.output, currentOutput, offset):copy(currentOutput)
      offset = offset + currentOutput:size(self.dimension)
   end
   return self.output
end

function DepthConcat:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input)
   local offset = 1
   for i, module in ipairs(self.modules) do
      local currentOutput = module.output
      local gradOutputWindow = self:windowNarrow(gradOutput, currentOutput, offset)
      local currentGradInput = self:rethrowErrors(module, i, 'updateGradInput', input, gradOutputWindow)
      if i == 1 then
         self.gradInput:copy(currentGradInput)
      else
         self.gradInput:add(currentGradInput)
      end
      offset = offset + currentOutput:size(self.dimension)
   end
   return self.gradInput
end

function DepthConcat:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   local offset = 1
   for i, module in ipairs(self.modules) do
      local currentOutput = module.output
      local gradOutputWindow = self:windowNarrow(gradOutput, currentOutput, offset)
      self:rethrowErrors(module, i, 'accGradParameters', input, gradOutputWindow, scale)
      offset = offset + currentOutput:size(self.dimension)
   end
end

function DepthConcat:backward(input, gradOutput, scale)
   self.gradInput:resizeAs(input)
   scale = scale or 1
   local offset = 1
   for i, module in ipairs(self.modules) do
      local currentOutput = module.output
      local gradOutputWindow = self:windowNarrow(gradOutput, currentOutput, offset)
      local currentGradInput = self:rethrowErrors(module, i, 'backward', input, gradOutputWindow, scale)
      if i == 1 then
         self.gradInput:copy(currentGradInput)
      else
         self.gradInput:add(currentGradInput)
      end
      offset = offset + currentOutput:size(self.dimension)
   end
   return self.gradInput
end

function DepthConcat:accUpdateGradParameters(input, gradOutput, lr)
   local offset = 1
   for i, module in ipairs(self.modules) do
      local currentOutput = module.output
      local gradOutputWindow = self:windowNarrow(gradOutput, currentOutput, offset)
      self:rethrowErrors(module, i, 'accUpdateGradParameters', input, gradOutputWindow, lr)
      offset = offset + currentOutput:size(self.dimension)
   end
end
