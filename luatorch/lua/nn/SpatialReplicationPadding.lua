local SpatialReplicationPadding, parent = torch.class('nn.SpatialReplicationPadding', 'nn.Module')
local THNN = nn.THNN

function SpatialReplicationPadding:__init(pad_l, pad_r, pad_t, pad_b)
   parent.__init(self)
   self.pad_l = pad_l
   self.pad_r = pad_r or self.pad_l
   self.pad_t = pad_t or self.pad_l
   self.pad_b = pad_b or self.pad_l
end

function SpatialReplicationPadding:updateOutput(input)
   if input:dim() ~= 3 and input:dim() ~= 4 then
      error('input must be 3 or 4-dimensional')
   end
   THNN.SpatialReplicationPadding_updateOutput(input, self.output, self.pad_l, self.pad_r, self.pad_t,
      self.pad_b)
   return self.output
end

function SpatialReplicationPadding:updateGradInput(input, gradOutput)
   THNN.SpatialReplicationPadding_updateGradInput(input, gradOutput, self.gradInput, self.pad_l,
      self.pad_r, self.pad_t, self.pad_b)
   return self.gradInput
end

function SpatialReplicationPadding:__tostring__()
   return torch.type(self) ..
      string.format('(l=%d, r=%d, t=%d, b=%d)', self.pad_l, self.pad_r, self.pad_t, self.pad_b)
end
