-- identity forward that records an L1 penalty (self.loss) and adds its gradient on the way back
local L1Penalty, parent = torch.class('nn.L1Penalty', 'nn.Module')

function L1Penalty:__init(l1weight, sizeAverage, provideOutput)
   parent.__init(self)
   self.l1weight = l1weight
   self.sizeAverage = sizeAverage or false
   if provideOutput == nil then
      self.provideOutput = true
   else
      self.provideOutput = provideOutput
   end
end

function L1Penalty:updateOutput(input)
   local m = self.l1weight
   if self.sizeAverage == true then
      m = m / input:nElement()
   end
   local loss = m * input:norm(1)
   self.loss = loss
   self.output = input
   return self.output
end

function L1Penalty:updateGradInput(input, gradOutput)
   local m = self.l1weight
   if self.sizeAverage == true then
      m = m / input:nElement()
   end
   self.gradInput:resizeAs(input):copy(input):sign():mul(m)
   if self.provideOutput == true then
      self.gradInput:add(gradOutput)
   end
   return self.gradInput
end
