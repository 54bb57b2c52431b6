-- Norm stabilisation (Krueger & Memisevic 2016), placed between recurrent layers: forward is
-- the identity on a batch of hidden states h(t); backward adds the gradient of the penalty
--   beta * mean over the batch of (||h(t)|| - ||h(t-1)||)^2, summed over the steps,
-- to the gradient coming from above. Training needs batch input (batch x size).
local NS, parent = torch.class('nn.NormStabilizer', 'nn.AbstractRecurrent')

function NS:__init(beta)
   parent.__init(self, 99999)
   self.beta = beta or 1
   self.recurrentModule = nn.CopyGrad()
   self.modules[1] = self.recurrentModule
   self.sharedClones[1] = self.recurrentModule
end

function NS:_accGradParameters(input, gradOutput, scale)
   -- no parameters
end

function NS:updateOutput(input)
   assert(input:dim() == 2)
   local output
   if self.train ~= false then
      self:recycle()
      local stepModule = self:getStepModule(self.step)
      output = stepModule:updateOutput(input)
      -- the norm of each row, for the penalty
      stepModule.norm = stepModule.norm or output.new()
      stepModule.norm:norm(output, 2, 2)
   else
      output = self.recurrentModule:updateOutput(input)
   end
   return self:endStep(output)
end

-- the penalty over the steps so far, divided by their number. As rnn computes it, each term is
-- the mean of (||h(t-1)|| + ||h(t)||)^2: the sum of the norms, where the gradient (and the
-- paper) use their difference; kept so that the reported loss is the same number.
function NS:updateLoss()
   self.loss = 0
   self._normsum = self._normsum or self.output.new()
   for step = 2, self.step - 1 do
      local previous, current = self:getStepModule(step - 1), self:getStepModule(step)
      self._normsum:add(previous.norm, current.norm):pow(2)
      self.loss = self.loss + self._normsum:mean()
   end
   self.loss = self.beta * self.loss / (self.step - 1)
   return self.loss
end

-- adds to step t's gradInput the penalty's gradient from its pair with a neighbour step:
-- 2 beta (||h(t)|| - ||h(other)||) / ||h(t)|| * h(t) / batchSize
function NS:addPenaltyGradient(stepModule, other)
   local batchSize = stepModule.output:size(1)
   self._normsum:resizeAs(stepModule.norm):copy(stepModule.norm)
   self._normsum:add(-1, other.norm):mul(self.beta * 2):cdiv(stepModule.norm)
   self._gradInput:mul(stepModule.output, 1 / batchSize)
   self._gradInput:cmul(self._normsum:expandAs(self._gradInput))
   stepModule.gradInput:add(self._gradInput)
end

function NS:_updateGradInput(input, gradOutput)
   local step = self.updateGradInputStep - 1
   assert(step < self.step)
   local stepModule = self:getStepModule(step)
   stepModule:updateGradInput(input, gradOutput)
   self._normsum = self._normsum or self.output.new()
   self._gradInput = self._gradInput or self.output.new()
   if step > 1 then self:addPenaltyGradient(stepModule, self:getStepModule(step - 1)) end
   if step < self.step - 1 then
      self:addPenaltyGradient(stepModule, self:getStepModule(step + 1))
   end
   return stepModule.gradInput
end

function NS:__tostring__()
   return "nn.NormStabilizer"
end
