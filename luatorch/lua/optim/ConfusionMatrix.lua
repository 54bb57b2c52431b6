--[[ A confusion matrix: rows are targets, columns predictions.

   conf = optim.ConfusionMatrix({'cat', 'dog', 'person'})   -- or (nclasses[, classes])
   conf:zero()
   conf:add(prediction, target)      -- numbers, or a score vector and a number or a vector
   conf:batchAdd(predictions, targets)
   print(conf)                       -- per-class and global accuracies

Non-positive targets count as missing and are ignored.
]]
local ConfusionMatrix = torch.class('optim.ConfusionMatrix')

function ConfusionMatrix:__init(nclasses, classes)
   if type(nclasses) == 'table' then
      classes = nclasses
      nclasses = #classes
   end
   self.mat = torch.LongTensor(nclasses, nclasses):zero()
   self.valids = torch.FloatTensor(nclasses):zero()
   self.unionvalids = torch.FloatTensor(nclasses):zero()
   self.nclasses = nclasses
   self.totalValid = 0
   self.averageValid = 0
   self.classes = classes or {}
   -- buffers
   self._target = torch.FloatTensor()
   self._prediction = torch.FloatTensor()
   self._max = torch.FloatTensor()
   self._pred_idx = torch.LongTensor()
   self._targ_idx = torch.LongTensor()
end

-- one (prediction, target) pair of class indices
function ConfusionMatrix:_add(p, t)
   assert(p and type(p) == 'number')
   assert(t and type(t) == 'number')
   if t > 0 then
      self.mat[t][p] = self.mat[t][p] + 1
   end
end

function ConfusionMatrix:add(prediction, target)
   if type(prediction) == 'number' then
      self:_add(prediction, target)
      return
   end
   self._prediction:resize(prediction:size()):copy(prediction)
   assert(prediction:dim() == 1)
   if type(target) == 'number' then
      -- the predicted class is the highest score
      self._max:max(self._pred_idx, self._prediction, 1)
      self:_add(self._pred_idx[1], target)
   else
      -- both are score vectors (e.g. a one-hot target)
      assert(target:dim() == 1)
      self._target:resize(target:size()):copy(target)
      self._max:max(self._targ_idx, self._target, 1)
      self._max:max(self._pred_idx, self._prediction, 1)
      self:_add(self._pred_idx[1], self._targ_idx[1])
   end
end

function ConfusionMatrix:batchAdd(predictions, targets)
   local preds, targs
   self._prediction:resize(predictions:size()):copy(predictions)
   if predictions:dim() == 1 then
      preds = self._prediction                          -- class indices
   elseif predictions:dim() == 2 then
      if predictions:size(2) == 1 then
         preds = self._prediction:select(2, 1)          -- a column of class indices
      else
         self._max:max(self._pred_idx, self._prediction, 2)   -- rows of scores
         preds = self._pred_idx:select(2, 1)
      end
   else
      error("predictions has invalid number of dimensions")
   end

   self._target:resize(targets:size()):copy(targets)
   if targets:dim() == 1 then
      targs = self._target
   elseif targets:dim() == 2 then
      if targets:size(2) == 1 then
         targs = self._target:select(2, 1)
      else
         self._max:max(self._targ_idx, self._target, 2)      -- one-hot rows
         targs = self._targ_idx:select(2, 1)
      end
   else
      error("targets has invalid number of dimensions")
   end

   for i = 1, preds:size(1) do
      self:_add(preds[i], targs[i])
   end
end

function ConfusionMatrix:zero()
   self.mat:zero()
   self.valids:zero()
   self.unionvalids:zero()
   self.totalValid = 0
   self.averageValid = 0
end

local function isNaN(v)
   return v ~= v
end

-- valids[t]: recall of class t; unionvalids[t]: intersection over union (the VOC measure).
-- Both are FloatTensors, so the averages are taken over single-precision values, as in Torch.
function ConfusionMatrix:updateValids()
   local total = 0
   for t = 1, self.nclasses do
      local hit = self.mat[t][t]
      local row = self.mat:select(1, t):sum()
      local col = self.mat:select(2, t):sum()
      self.valids[t] = hit / row
      self.unionvalids[t] = hit / (row + col - hit)
      total = total + hit
   end
   self.totalValid = total / self.mat:sum()
   self.averageValid = 0
   self.averageUnionValid = 0
   local nvalids = 0
   local nunionvalids = 0
   for t = 1, self.nclasses do
      local v, u = self.valids[t], self.unionvalids[t]
      if not isNaN(v) then
         self.averageValid = self.averageValid + v
         nvalids = nvalids + 1
      end
      if not isNaN(v) and not isNaN(u) then
         self.averageUnionValid = self.averageUnionValid + u
         nunionvalids = nunionvalids + 1
      end
   end
   self.averageValid = self.averageValid / nvalids
   self.averageUnionValid = self.averageUnionValid / nunionvalids
end

-- False rejection and false acceptance rates, per class (-1 for classes without samples)
-- and for the classes present.
function ConfusionMatrix:farFrr()
   local cmat = self.mat
   local n = cmat:size(1)
   self._frrs = self._frrs or torch.zeros(n)
   self._frrs:zero()
   self._classFrrs = self._classFrrs or torch.zeros(n)
   self._classFrrs:zero():add(-1)
   self._fars = self._fars or torch.zeros(n)
   self._fars:zero()
   self._classFars = self._classFars or torch.zeros(n)
   self._classFars:zero():add(-1)
   local counts = cmat:sum(2)
   local k = 1
   for i = 1, n do
      if counts[i][1] ~= 0 then
         self._frrs[k] = 1 - cmat[i][i] / counts[i][1]
         self._classFrrs[i] = self._frrs[k]
         local num, den = 0, 0
         for j = 1, n do
            if i ~= j and counts[j][1] ~= 0 then
               num = num + cmat[j][i] / counts[j][1]
               den = den + 1
            end
         end
         self._fars[k] = num / den
         self._classFars[i] = self._fars[k]
         k = k + 1
      end
   end
   k = k - 1
   return self._classFrrs, self._classFars, self._frrs[{{1, k}}], self._fars[{{1, k}}]
end

function ConfusionMatrix:__tostring__()
   self:updateValids()
   local nclasses = self.nclasses
   local str = {'ConfusionMatrix:\n', '['}
   local maxCnt = self.mat:max()
   local nDigits = math.max(8, 1 + math.ceil(math.log10(maxCnt)))
   local cell = '%' .. nDigits .. 'd'
   local named = self.classes and self.classes[1]
   for t = 1, nclasses do
      local pclass = string.format('%2.3f', self.valids[t] * 100)
      str[#str + 1] = (t == 1) and '[' or ' ['
      for p = 1, nclasses do
         str[#str + 1] = string.format(cell, self.mat[t][p])
      end
      local close = (t == nclasses) and ']]  ' or ']   '
      if named then
         str[#str + 1] = close .. pclass .. '% \t[class: ' .. (self.classes[t] or '') .. ']\n'
      else
         str[#str + 1] = close .. pclass .. '% \n'
      end
   end
   str[#str + 1] = ' + average row correct: ' .. (self.averageValid * 100) .. '% \n'
   str[#str + 1] = ' + average rowUcol correct (VOC measure): ' ..
                   (self.averageUnionValid * 100) .. '% \n'
   str[#str + 1] = ' + global correct: ' .. (self.totalValid * 100) .. '%'
   return table.concat(str)
end

function ConfusionMatrix:render()
   error('ConfusionMatrix:render needs the qtwidget and image packages, '
         .. 'which luatorch does not provide')
end
