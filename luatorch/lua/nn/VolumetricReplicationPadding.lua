local VolumetricReplicationPadding, parent =
   torch.class('nn.VolumetricReplicationPadding', 'nn.Module')
local THNN = nn.THNN

-- pads (or, with negative sizes, crops) the last three dims by repeating the border values
function VolumetricReplicationPadding:__init(pleft, pright, ptop, pbottom, pfront, pback)
   parent.__init(self)
   self.pleft = pleft
   self.pright = pright or self.pleft
   self.ptop = ptop or self.pleft
   self.pbottom = pbottom or self.pleft
   self.pfront = pfront or self.pleft
   self.pback = pback or self.pleft
end

function VolumetricReplicationPadding:updateOutput(input)
   if input:dim() == 4 or input:dim() == 5 then
      THNN.VolumetricReplicationPadding_updateOutput(input, self.output, self.pleft,
         self.pright, self.ptop, self.pbottom, self.pfront, self.pback)
   else
      error('input must be 4 or 5-dimensional')
   end
   return self.output
end

function VolumetricReplicationPadding:updateGradInput(input, gradOutput)
   local nd = input:dim()
   if (nd == 4 or nd == 5) and gradOutput:dim() == nd then
      local o = nd - 4 -- leading batch dim
      local same = o == 0 or input:size(2) == gradOutput:size(2)
      assert(same and input:size(1) == gradOutput:size(1)
             and input:size(o + 2) + self.pfront + self.pback == gradOutput:size(o + 2)
             and input:size(o + 3) + self.ptop + self.pbottom == gradOutput:size(o + 3)
             and input:size(o + 4) + self.pleft + self.pright == gradOutput:size(o + 4),
             'input and gradOutput must be compatible in size')
   else
      error([[input and gradOutput must be 4 or 5-dimensional
         and have equal number of dimensions]])
   end
   THNN.VolumetricReplicationPadding_updateGradInput(input, gradOutput, self.gradInput,
      self.pleft, self.pright, self.ptop, self.pbottom, self.pfront, self.pback)
   return self.gradInput
end

function VolumetricReplicationPadding:__tostring__()
   return torch.type(self) ..
      string.format('(left=%d, right=%d, top=%d, bottom=%d, front=%d, back=%d)',
                    self.pleft, self.pright, self.ptop, self.pbottom, self.pfront, self.pback)
end
