-- Online (hard) k-means: the weight rows are the k centres; forward gives each sample's nearest
-- centre (and self.loss, the within-cluster squared error); accGradParameters moves each centre
-- towards the mean of its samples (c <- c + scale * mean(x - c) after a gradient step of 1).
local Kmeans, parent = torch.class('nn.Kmeans', 'nn.Module')
local THNN = nn.THNN

function Kmeans:__init(k, dim, scale)
   parent.__init(self)
   self.k = k
   self.dim = dim
   self.scale = scale
   assert(k > 0, 'Clusters cannot be 0 or negative.')
   assert(dim > 0, 'Dimensionality cannot be 0 or negative.')
   self.weight = torch.Tensor(k, dim)
   self.gradWeight = torch.Tensor(k, dim)
   self.loss = 0
   self.clusterSampleCount = torch.Tensor(k)
   self:reset()
end

function Kmeans:reset(stdev)
   stdev = stdev or 1
   self.weight:uniform(-stdev, stdev)
end

local function checkInput(self, input)
   assert(input:nDimension() == 2, 'Incorrect input dimensionality. Expecting 2D.')
   assert(input:size(2) == self.dim, "Dimensionality of input and weight don't match.")
end

-- centres drawn among the samples
function Kmeans:initRandom(input)
   checkInput(self, input)
   local n = input:size(1)
   assert(n >= self.k, 'Need atleast k samples for initialization.')
   local picks = torch.zeros(self.k):random(1, n)
   for i = 1, self.k do
      self.weight[i]:copy(input[picks[i]])
   end
end

-- k-means++ style: each new centre is drawn among the (1 - p) fraction of samples farthest from
-- the centres chosen so far
function Kmeans:initKmeansPlus(input, p)
   self.p = p or self.p or 0.95
   assert(self.p >= 0 and self.p <= 1, 'P value should be between 0-1.')
   assert(input:nDimension() == 2, 'Incorrect input dimensionality. Expecting 2D.')
   local n = input:size(1)
   local candidates = math.max(math.ceil((1 - self.p) * n), 1)
   self.weight[1]:copy(input[torch.random(n)])
   local nearest = self.weight.new(n):fill(math.huge)
   local diff = self.weight.new()
   for k = 2, self.k do
      diff:resizeAs(input):copy(input)
      diff:add(-1, self.weight[{{k - 1}}]:expandAs(input))
      local dist = diff:norm(2, 2):pow(2):view(n)
      nearest:cmin(dist)
      local _, order = nearest:sort(true)
      self.weight[k]:copy(input[order[torch.random(candidates)]])
   end
end

function Kmeans:updateOutput(input)
   checkInput(self, input)
   assert(input:isContiguous(), 'Input is not contiguous.')
   self._minIndx = self._minIndx or torch.LongTensor()
   self.loss = THNN.Kmeans_updateOutput(input, self.weight, self.output, self._minIndx)
   return self.output
end

-- k-means has its own objective: nothing flows back to the input
function Kmeans:updateGradInput(input, gradOutput)
   self.gradInput:resize(input:size()):zero()
   return self.gradInput
end

function Kmeans:accGradParameters(input, gradOutput, scale)
   scale = self.scale or scale or 1
   assert(scale > 0, ' Scale has to be positive.')
   THNN.Kmeans_accGradParameters(input, self.weight, self.gradWeight, self._minIndx,
                                 self.clusterSampleCount, scale)
end

function Kmeans:clearState()
   self._minIndx = nil
   return parent.clearState(self)
end

function Kmeans:type(typename, tensorCache)
   self:clearState()
   return parent.type(self, typename, tensorCache)
end
