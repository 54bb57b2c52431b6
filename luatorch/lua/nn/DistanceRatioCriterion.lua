--[[
   Probabilistic criterion for a triplet siamese model (https://arxiv.org/pdf/1610.00243.pdf):
   loss = -log(exp(-X) / (exp(-X) + exp(-Y))) = X + log(exp(-X) + exp(-Y))
   X: distances between similar samples, Y: distances between dissimilar samples
   dLoss/dX = 1 - exp(-X) / (exp(-X) + exp(-Y)), dLoss/dY = -exp(-Y) / (exp(-X) + exp(-Y))
--]]
local DistanceRatioCriterion, parent = torch.class('nn.DistanceRatioCriterion', 'nn.Criterion')

function DistanceRatioCriterion:__init(sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then
      self.sizeAverage = sizeAverage
   else
      self.sizeAverage = true
   end
end

local function check(input)
   assert(#input == 2, 'Invalid number of inputs')
   local X, Y = input[1], input[2]
   assert(X:nElement() == Y:nElement(), "Number of distances don't match.")
   assert(X:size(1) == Y:size(1), "Invalid distances' size.")
   return X, Y
end

-- Torch's tensor operations and buffers; the loss is the double sum of the terms (self.loss)
-- divided in Lua
function DistanceRatioCriterion:updateOutput(input)
   local X, Y = check(input)
   self._expMinusX = self._expMinusX or X.new()
   self._expMinusY = self._expMinusY or Y.new()
   self._expMinusX:resizeAs(X):copy(X):mul(-1):exp()
   self._expMinusY:resizeAs(Y):copy(Y):mul(-1):exp()
   -- Torch looks for a field named sumExpMinusExp here, so this buffer is new on every call
   self._sumExpMinusXY = self.sumExpMinusExp or X.new()
   self._sumExpMinusXY:resizeAs(self._expMinusX):copy(self._expMinusX):add(self._expMinusY)
   self._logSumExpMinusXY = self._logSumExpMinusXY or self._sumExpMinusXY.new()
   self._logSumExpMinusXY:resizeAs(self._sumExpMinusXY):copy(self._sumExpMinusXY):log()
   self.loss = self.loss or self._logSumExpMinusXY.new()
   self.loss:resizeAs(X):copy(X):add(self._logSumExpMinusXY)
   if self.sizeAverage then
      return self.loss:sum() / X:size(1)
   else
      return self.loss:sum()
   end
end

-- returns a new table {dX, dY} (self.gradInput stays as Criterion made it, as in Torch)
function DistanceRatioCriterion:updateGradInput(input)
   local X, Y = check(input)
   self.dX = self.dX or X.new()
   self.dX:resizeAs(self._expMinusX):copy(self._expMinusX):mul(-1)
   self.dX:cdiv(self._sumExpMinusXY)
   self.dX:add(1)
   self.dY = self.dY or Y.new()
   self.dY:resizeAs(self._expMinusY):copy(self._expMinusY):mul(-1)
   self.dY:cdiv(self._sumExpMinusXY)
   if self.sizeAverage then
      self.dX:div(X:size(1))
      self.dY:div(X:size(1))
   end
   return {self.dX, self.dY}
end

function DistanceRatioCriterion:type(type, tensorCache)
   if type then
      self._expMinusX = nil
      self._expMinusY = nil
      self._sumExpMinusXY = nil
      self._logSumExpMinusXY = nil
      self.loss = nil
      self.dX = nil
      self.dY = nil
   end
   return parent.type(self, type, tensorCache)
end
