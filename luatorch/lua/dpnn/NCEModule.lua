-- Noise-contrastive estimation (Mnih & Teh 2012) for large output vocabularies: a Linear layer
-- whose forward, given {input, target}, scores only the targets and k noise words drawn from
-- the unigram distribution. Output {Pm(target), Pm(samples), Pn(target), Pn(samples)}: model
-- probabilities exp(w.x + b) / Z and noise probabilities, for nn.NCECriterion. With
-- batchnoise (the default) the k samples are shared by the whole batch (Pm(samples) is
-- batch x k); otherwise each row draws its own. In evaluation with `normalized` set, it is a
-- plain Linear followed by SoftMax (LogSoftMax with `logsoftmax`).
local NCEModule, parent = torch.class('nn.NCEModule', 'nn.Linear')
NCEModule.version = 6

local function extend(list, extra)
   local copy = {}
   for _, v in ipairs(list) do copy[#copy + 1] = v end
   for _, v in ipairs(extra) do copy[#copy + 1] = v end
   return copy
end
NCEModule.dpnn_mediumEmpty = extend(parent.dpnn_mediumEmpty, {'sampleidx', 'sampleprob',
   '_noiseidx', '_noiseprob', '_weight', '_gradWeight', '_gradOutput', '_tgradOutput'})
-- the unigrams and Z travel with the weights in sharedClone
NCEModule.dpnn_parameters = extend(parent.dpnn_parameters, {'unigrams', 'Z'})

-- Z: the normalisation constant; <= 0 (default) estimates it from the first batch
function NCEModule:__init(inputSize, outputSize, k, unigrams, Z)
   parent.__init(self, inputSize, outputSize)
   assert(torch.type(k) == 'number')
   assert(torch.isTensor(unigrams))
   self.k = k
   self.unigrams = unigrams
   self.Z = torch.Tensor{Z or -1}
   self.batchnoise = true
   self:fastNoise()
   self.output = {torch.Tensor(), torch.Tensor(), torch.Tensor(), torch.Tensor()}
   self.gradInput = {torch.Tensor(), torch.Tensor()}
end

function NCEModule:reset(stdv)
   if stdv then
      self.weight:uniform(-stdv, stdv)
      self.bias:uniform(-stdv, stdv)
   else
      stdv = 1 / math.sqrt(self.weight:size(2))
      self.weight:uniform(-stdv, stdv)
      -- log(1/outputSize): the softmax of a fresh layer is then roughly normalised (Z = 1)
      self.bias:fill(-math.log(self.bias:size(1)))
   end
   return self
end

-- normalises the unigrams and builds the alias tables to sample them
function NCEModule:fastNoise()
   self.unigrams:div(self.unigrams:sum())
   self.aliasmultinomial = torch.AliasMultinomial(self.unigrams)
   self.aliasmultinomial.dpnn_parameters = {'J', 'q'}
end

-- evaluation with normalized: every class's (log-)probability
function NCEModule:fullSoftMax(input)
   local batchsize = input:size(1)
   self.linout = self.linout or input.new()
   local nElement = self.linout:nElement()
   self.linout:resize(batchsize, self.weight:size(1))
   if self.linout:nElement() ~= nElement then self.linout:zero() end
   self.addBuffer = self.addBuffer or input.new()
   if self.addBuffer:nElement() ~= batchsize then self.addBuffer:resize(batchsize):fill(1) end
   self.linout:addmm(0, self.linout, 1, input, self.weight:t())
   if self.bias then self.linout:addr(1, self.addBuffer, self.bias) end
   if torch.type(self.output) == 'table' then self.output = input.new() end
   local kernel = self.logsoftmax and 'LogSoftMax_updateOutput' or 'SoftMax_updateOutput'
   nn.THNN[kernel](self.linout, self.output)
   return self.output
end

-- weights and biases of the rows in sampleidx, into self._weight and self._bias
function NCEModule:gatherRows(sampleidx)
   self._weight = self._weight or self.bias.new()
   self._weight:index(self.weight, 1, sampleidx)
   self._bias = self._bias or self.bias.new()
   self._bias:index(self.bias, 1, sampleidx)
end

-- the first forward without a given Z takes it from the mean model score of the batch
function NCEModule:estimateZ(scores)
   if self.Z[1] <= 0 then
      self.Z[1] = scores:mean() * self.weight:size(1)
      print("normalization constant Z approximated to " .. self.Z[1])
   end
end

function NCEModule:updateOutput(inputTable)
   local input, target = unpack(inputTable)
   assert(input:dim() == 2)
   assert(target:dim() == 1)
   if self.train == false and self.normalized then
      return self:fullSoftMax(input)
   end
   local batchsize, k = input:size(1), self.k
   if not (torch.type(self.output) == 'table' and #self.output == 4) then
      self.output = {input.new(), input.new(), input.new(), input.new()}
   end
   local Pmt, Pms, Pnt, Pns = unpack(self.output)
   self.sampleidx = self.sampleidx or target.new()
   self.sampleprob = self.sampleprob or input.new()
   if self.batchnoise then
      assert(torch.type(target) == 'torch.CudaTensor' or torch.type(target) == 'torch.LongTensor')
      -- sampleidx = k shared noise samples, then the batch's targets
      self.sampleidx:resize(k + batchsize)
      self.sampleidx:narrow(1, k + 1, batchsize):copy(target)
      self:noiseSample(self.sampleidx, 1, k)
      self.sampleidx:resize(k + batchsize)
      self:gatherRows(self.sampleidx)
      local sweight, tweight = self._weight:narrow(1, 1, k), self._weight:narrow(1, k + 1, batchsize)
      local sbias, tbias = self._bias:narrow(1, 1, k), self._bias:narrow(1, k + 1, batchsize)
      -- each row scores its own target: exp(w_t . x + b_t)
      self._pm = self._pm or input.new()
      self._pm:cmul(input, tweight)
      Pmt:sum(self._pm, 2):resize(batchsize)
      Pmt:add(tbias):exp()
      -- and every shared sample
      Pms:resize(batchsize, k):copy(sbias:view(1, k):expand(batchsize, k))
      Pms:addmm(1, Pms, 1, input, sweight:t()):exp()
      self:estimateZ(Pms)
      Pms:div(self.Z[1])
      Pmt:div(self.Z[1])
      self.sampleprob = self:noiseProb(self.sampleprob, self.sampleidx)
      Pnt:set(self.sampleprob:narrow(1, k + 1, batchsize))
      Pns:set(self.sampleprob:narrow(1, 1, k):resize(1, k):expand(batchsize, k))
   else
      -- sampleidx row i = target i, then its own k samples
      self.sampleidx:resize(batchsize, k + 1)
      self.sampleidx:select(2, 1):copy(target)
      self._sampleidx = self._sampleidx or self.sampleidx.new()
      self._sampleidx:resize(batchsize, k)
      self:noiseSample(self._sampleidx, batchsize, k)
      self.sampleidx:narrow(2, 2, k):copy(self._sampleidx)
      self:gatherRows(self.sampleidx:view(-1))
      self._weight:resize(batchsize, k + 1, self.weight:size(2))
      self._bias:resize(batchsize, k + 1)
      self._pm = self._pm or input.new()
      self._pm:resizeAs(self._bias):copy(self._bias):resize(batchsize, 1, k + 1)
      local rows = input:view(batchsize, 1, input:size(2))
      self._pm:baddbmm(1, self._pm, 1, rows, self._weight:transpose(2, 3))
      self._pm:resize(batchsize, k + 1):exp()
      self:estimateZ(self._pm)
      self._pm:div(self.Z[1])
      Pmt:set(self._pm:select(2, 1))
      Pms:set(self._pm:narrow(2, 2, k))
      self.sampleprob = self:noiseProb(self.sampleprob, self.sampleidx)
      Pnt:set(self.sampleprob:select(2, 1))
      Pns:set(self.sampleprob:narrow(2, 2, k))
   end
   return self.output
end

-- gradOutput is {dPm(target), dPm(samples)}; the noise probabilities get none, and d Pm /
-- d score = Pm
function NCEModule:updateGradInput(inputTable, gradOutput)
   local input, target = unpack(inputTable)
   assert(input:dim() == 2)
   assert(target:dim() == 1)
   local dPmt, dPms = gradOutput[1], gradOutput[2]
   local batchsize, k = input:size(1), self.k
   self.gradInput[1] = self.gradInput[1] or input.new()
   if self.batchnoise then
      local Pmt, Pms = self.output[1], self.output[2]
      local sweight, tweight = self._weight:narrow(1, 1, k), self._weight:narrow(1, k + 1, batchsize)
      self._gradOutput = self._gradOutput or dPms.new()
      self._tgradOutput = self._tgradOutput or dPmt.new()
      self._gradOutput:cmul(dPms, Pms)
      self._tgradOutput:cmul(dPmt, Pmt)
      self.gradInput[1]:cmul(self._tgradOutput:view(batchsize, 1):expandAs(tweight), tweight)
      self.gradInput[1]:addmm(1, 1, self._gradOutput, sweight)
   else
      self._gradOutput = self._gradOutput or dPmt.new()
      self._gradOutput:resize(batchsize, k + 1)
      self._gradOutput:select(2, 1):copy(dPmt)
      self._gradOutput:narrow(2, 2, k):copy(dPms)
      self._gradOutput:resize(batchsize, 1, k + 1):cmul(self._pm)
      self.gradInput[1]:resize(batchsize, 1, input:size(2)):zero()
      self.gradInput[1]:baddbmm(0, 1, self._gradOutput, self._weight)
      self.gradInput[1]:resizeAs(input)
   end
   -- the targets are indices: no gradient
   self.gradInput[2] = self.gradInput[2] or input.new()
   if self.gradInput[2]:nElement() ~= target:nElement() then
      self.gradInput[2]:resize(target:size()):zero()
   end
   return self.gradInput
end

-- only the sampled and target rows of weight and bias receive gradient
function NCEModule:accGradParameters(inputTable, gradOutput, scale)
   local input, target = unpack(inputTable)
   assert(input:dim() == 2)
   assert(target:dim() == 1)
   local batchsize, k = input:size(1), self.k
   self._gradWeight = self._gradWeight or self.bias.new()
   self._gradWeight:resizeAs(self._weight):zero()
   if self.batchnoise then
      local sgradWeight = self._gradWeight:narrow(1, 1, k)
      local tgradWeight = self._gradWeight:narrow(1, k + 1, batchsize)
      self._gradOutput:mul(scale)
      self._tgradOutput:mul(scale)
      sgradWeight:addmm(0, sgradWeight, 1, self._gradOutput:t(), input)
      tgradWeight:cmul(self._tgradOutput:view(batchsize, 1):expandAs(self.gradInput[1]), input)
      self.gradWeight:indexAdd(1, self.sampleidx, self._gradWeight)
      self.gradBias:indexAdd(1, self.sampleidx:narrow(1, k + 1, batchsize), self._tgradOutput)
      self._tgradOutput:sum(self._gradOutput, 1)
      self.gradBias:indexAdd(1, self.sampleidx:sub(1, k), self._tgradOutput:view(-1))
   else
      self._gradOutput:resize(batchsize, k + 1, 1):mul(scale)
      local rows = input:view(batchsize, 1, input:size(2))
      self._gradWeight:baddbmm(0, self._gradWeight, 1, self._gradOutput, rows)
      local sampleidx = self.sampleidx:view(batchsize * (k + 1))
      self.gradWeight:indexAdd(1, sampleidx,
         self._gradWeight:view(batchsize * (k + 1), input:size(2)))
      self.gradBias:indexAdd(1, sampleidx, self._gradOutput:view(batchsize * (k + 1)))
   end
end

-- the unigrams and alias tables keep their type (the sampler needs a LongTensor J)
function NCEModule:type(typename, tensorCache)
   if typename then
      for _, name in ipairs{'sampleidx', 'sampleprob', '_noiseidx', '_noiseprob', '_metaidx',
            '_gradOutput', '_tgradOutput', '_gradWeight', '_weight'} do
         self[name] = nil
      end
   end
   local unigrams, sampler = self.unigrams, self.aliasmultinomial
   self.unigrams, self.aliasmultinomial = nil, nil
   local result = parent.type(self, typename, tensorCache)
   self.unigrams, self.aliasmultinomial = unigrams, sampler
   return result
end

-- the noise probability of each index of sampleidx, in sampleprob (same shape)
function NCEModule:noiseProb(sampleprob, sampleidx)
   assert(sampleprob)
   assert(sampleidx)
   self._noiseprob = self._noiseprob or self.unigrams.new()
   self._noiseidx = self._noiseidx or torch.LongTensor()
   self._noiseidx:resize(sampleidx:size()):copy(sampleidx)
   self._noiseprob:index(self.unigrams, 1, self._noiseidx:view(-1))
   sampleprob:resize(sampleidx:size()):copy(self._noiseprob)
   return sampleprob
end

-- batchsize x k draws from the unigrams into sampleidx
function NCEModule:noiseSample(sampleidx, batchsize, k)
   if torch.type(sampleidx) == 'torch.LongTensor' then
      sampleidx:resize(batchsize, k)
      self.aliasmultinomial:batchdraw(sampleidx)
   else
      self._noiseidx = self._noiseidx or torch.LongTensor()
      self._noiseidx:resize(batchsize, k)
      self.aliasmultinomial:batchdraw(self._noiseidx)
      sampleidx:resize(batchsize, k):copy(self._noiseidx)
   end
   return sampleidx
end

function NCEModule:clearState()
   self.sampleidx = nil
   self.sampleprob = nil
   self._noiseidx = nil
   self._noiseprob = nil
   self._tgradOutput = nil
   self._gradOutput = nil
   if torch.isTensor(self.output) then
      self.output:set()
   else
      for _, output in ipairs(self.output) do output:set() end
   end
   for _, gradInput in ipairs(self.gradInput) do gradInput:set() end
end
