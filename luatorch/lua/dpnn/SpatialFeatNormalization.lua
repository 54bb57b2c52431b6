-- (x - mean[c]) / std[c] for each feature plane c (mean and std are 1D, std defaults to ones)
local SFN, parent = torch.class('nn.SpatialFeatNormalization', 'nn.Module')

function SFN:__init(mean, std)
   parent.__init(self)
   if mean:dim() ~= 1 then error('<SpatialFeatNormalization> Mean/Std should be 1D.') end
   self.mean = torch.Tensor():resizeAs(mean):copy(mean)
   self.std = torch.Tensor():resizeAs(mean)
   if std ~= nil then self.std:copy(std) else self.std:fill(1) end
   self.noOfFeats = mean:size(1)
end

-- the feature dimension of x (checked against the number of features)
local function featDim(self, x, what)
   local dim
   if x:dim() == 4 then
      dim = 2
   elseif x:dim() == 3 then
      dim = 1
   else
      error('<SpatialFeatNormalization> invalid ' .. what .. ' dims.')
   end
   if x:size(dim) ~= self.noOfFeats then
      error('<SpatialFeatNormalization> No. of Feats dont match.')
   end
   return dim
end

function SFN:updateOutput(input)
   self.output:resizeAs(input):copy(input)
   local dim = featDim(self, input, 'input')
   for i = 1, self.noOfFeats do
      self.output:select(dim, i):add(-self.mean[i]):div(self.std[i])
   end
   return self.output
end

function SFN:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   local dim = featDim(self, self.gradInput, 'self.gradInput')
   for i = 1, self.noOfFeats do
      self.gradInput:select(dim, i):div(self.std[i])
   end
   return self.gradInput
end
