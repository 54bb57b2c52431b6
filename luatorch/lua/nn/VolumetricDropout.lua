-- drops whole feature volumes: input (nbatch, nfeat, t, h, w) or (nfeat, t, h, w);
-- everything but the noise shape is SpatialDropout's
require 'nn.SpatialDropout'
local VolumetricDropout, _ = torch.class('nn.VolumetricDropout', 'nn.Module')

for _, name in ipairs({'__init', 'updateOutput', 'updateGradInput', 'setp', '__tostring__',
                       'clearState'}) do
   VolumetricDropout[name] = nn.SpatialDropout[name]
end

function VolumetricDropout:_noiseShape(input)
   if input:dim() == 5 then
      self.noise:resize(input:size(1), input:size(2), 1, 1, 1)
   elseif input:dim() == 4 then
      self.noise:resize(input:size(1), 1, 1, 1)
   else
      error('Input must be 5D (nbatch, nfeat, t, h, w) or 4D (nfeat, t, h, w)')
   end
end
