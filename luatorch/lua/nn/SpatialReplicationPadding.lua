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

-- Torch7's module compares the sizes first; its message for other dimensions keeps the line
-- break and indentation of the long string it is written as
local function checkSizes(self, input, gradOutput)
   local nd = input:dim()
   if (nd == 3 or nd == 4) and gradOutput:dim() == nd then
      local o = nd - 3 -- a leading batch dimension
      assert(input:size(1) == gradOutput:size(1)
             and (o == 0 or input:size(2) == gradOutput:size(2))
             and input:size(o + 2) + self.pad_t + self.pad_b == gradOutput:size(o + 2)
             and input:size(o + 3) + self.pad_l + self.pad_r == gradOutput:size(o + 3),
             'input and gradOutput must be compatible in size')
   else
      error('input and gradOutput must be 3 or 4-dimensional\n' .. string.rep(' ', 9)
            .. 'and have equal number of dimensions')
   end
end

function SpatialReplicationPadding:updateGradInput(input, gradOutput)
   checkSizes(self, input, gradOutput)
   THNN.SpatialReplicationPadding_updateGradInput(input, gradOutput, self.gradInput, self.pad_l,
      self.pad_r, self.pad_t, self.pad_b)
   return self.gradInput
end

function SpatialReplicationPadding:__tostring__()
   return torch.type(self) ..
      string.format('(l=%d, r=%d, t=%d, b=%d)', self.pad_l, self.pad_r, self.pad_t, self.pad_b)
end
