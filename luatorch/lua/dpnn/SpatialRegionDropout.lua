-- While training, zeroes a band of rows or columns (a fraction p of them) at one of the four
-- edges, chosen at random (torch.random(4)), and scales the rest by 1/(1-p): imperfect
-- bounding boxes. Input nfeat x h x w or a batch of them.
local SpatialRegionDropout, parent = torch.class('nn.SpatialRegionDropout', 'nn.Module')

function SpatialRegionDropout:__init(p)
   parent.__init(self)
   self.p = p or 0.2
   self.train = true
   self.noise = torch.Tensor()
   if self.p >= 1 or self.p < 0 then
      error('<SpatialRegionDropout> illegal percentage, must be 0 <= p < 1')
   end
end

function SpatialRegionDropout:setp(p)
   self.p = p
end

function SpatialRegionDropout:updateOutput(input)
   self.output:resizeAs(input):copy(input)
   if self.train then
      self.noise:resizeAs(input):fill(1)
      self.regionType = torch.random(4)
      local hDim
      if input:dim() == 4 then
         hDim = 3
      elseif input:dim() == 3 then
         hDim = 2
      else
         error('Input must be 4D (nbatch, nfeat, h, w) or 3D (nfeat, h, w)')
      end
      -- region 1: top rows, 2: bottom rows, 3: left columns, 4: right columns
      local dim = self.regionType <= 2 and hDim or hDim + 1
      local size = input:size(dim)
      local n = math.floor(size * self.p)
      if n > 0 then
         local first = (self.regionType % 2 == 1) and 1 or size - n + 1
         self.noise:narrow(dim, first, n):fill(0)
      end
      self.noise:div(1 - self.p)
      self.output:cmul(self.noise)
   end
   return self.output
end

function SpatialRegionDropout:updateGradInput(input, gradOutput)
   if not self.train then error('Backpropagation is only defined for training.') end
   self.gradInput:resizeAs(gradOutput):copy(gradOutput):cmul(self.noise)
   return self.gradInput
end

function SpatialRegionDropout:__tostring__()
   return string.format('%s p: %f', torch.type(self), self.p)
end
