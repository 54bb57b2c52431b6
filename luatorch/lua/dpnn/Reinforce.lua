-- The base of REINFORCE modules (Williams 1992): a stochastic module samples its output in the
-- forward pass; reinforce(reward) (a reward per sample, usually from a reward criterion such as
-- nn.VRClassReward) gives it what backward then uses instead of gradOutput:
-- gradInput = -reward * d log p(output | input) / d input.
local Reinforce, parent = torch.class('nn.Reinforce', 'nn.Module')

-- stochastic: sample during evaluation too (else evaluation outputs the mode/mean)
function Reinforce:__init(stochastic)
   parent.__init(self)
   self.stochastic = stochastic
end

function Reinforce:reinforce(reward)
   parent.reinforce(self, reward)
   self.reward = reward
end

function Reinforce:updateOutput(input)
   self.output:set(input)
   return self.output
end

function Reinforce:updateGradInput(input, gradOutput)
   local reward = self:rewardAs(input)
   self.gradInput:resizeAs(reward):copy(reward)
   return self.gradInput
end

-- param (a distribution parameter without the batch dimension) viewed as 1 x ... and
-- expanded to the size of like, in the buffers self._<name> and self.__<name>
function Reinforce:expandOverBatch(param, like, name)
   local view, expanded = '_' .. name, '__' .. name
   self[view] = self[view] or param.new()
   self[view]:view(param, 1, unpack(param:size():totable()))
   self[expanded] = self[expanded] or param.new()
   self[expanded]:expandAs(self[view], like)
   return self[expanded]
end

-- the reward (one per sample) expanded to the size of input
function Reinforce:rewardAs(input)
   assert(self.reward:dim() == 1)
   if input:isSameSizeAs(self.reward) then return self.reward end
   if self.reward:size(1) ~= input:size(1) then
      input = self:toBatch(input, input:dim())
      assert(self.reward:size(1) == input:size(1), self.reward:size(1) .. " ~= " .. input:size(1))
   end
   self._reward = self._reward or self.reward.new()
   self.__reward = self.__reward or self.reward.new()
   local size = input:size():fill(1):totable()
   size[1] = self.reward:size(1)
   self._reward:view(self.reward, unpack(size))
   self.__reward:expandAs(self._reward, input)
   return self.__reward
end
