local TemporalMaxPooling, parent = torch.class('nn.TemporalMaxPooling', 'nn.Module')
local THNN = nn.THNN

function TemporalMaxPooling:__init(kW, dW)
   parent.__init(self)
   dW = dW or kW
   self.kW = kW
   self.dW = dW
end

function TemporalMaxPooling:updateOutput(input)
   if torch.type(self.indices) ~= 'torch.LongTensor' then self.indices = torch.LongTensor() end
   THNN.TemporalMaxPooling_updateOutput(input, self.output, self.indices, self.kW, self.dW)
   return self.output
end

function TemporalMaxPooling:updateGradInput(input, gradOutput)
   if self.gradInput then
      THNN.TemporalMaxPooling_updateGradInput(input, gradOutput, self.gradInput, self.indices,
         self.kW, self.dW)
      return self.gradInput
   end
end

function TemporalMaxPooling:empty()
   self:clearState()
end

function TemporalMaxPooling:clearState()
   if self.indices then self.indices:set() end
   return parent.clearState(self)
end
