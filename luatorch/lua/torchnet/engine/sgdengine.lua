-- tnt.SGDEngine: plain stochastic gradient descent over the samples of an iterator, with the
-- hooks onStart, onStartEpoch, onSample, onForward, onForwardCriterion, onBackward,
-- onBackwardCriterion, onUpdate, onEndEpoch, onEnd; each receives the state table
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'
require 'nn'

local SGDEngine, Engine = torch.class('tnt.SGDEngine', 'tnt.Engine', tnt)

SGDEngine.__init = argcheck{
   {name = 'self', type = 'tnt.SGDEngine'},
   call = function(self)
      Engine.__init(self, {
         "onStart", "onStartEpoch", "onSample",
         "onForward", "onForwardCriterion",
         "onBackward", "onBackwardCriterion",
         "onEndEpoch", "onUpdate", "onEnd"
      })
   end
}

-- forward and backward of one sample (shared with OptimEngine)
function SGDEngine.forwardBackward(self, state, sample)
   state.sample = sample
   self.hooks("onSample", state)
   state.network:forward(sample.input)
   self.hooks("onForward", state)
   state.criterion:forward(state.network.output, sample.target)
   self.hooks("onForwardCriterion", state)
   state.network:zeroGradParameters()
   if state.criterion.zeroGradParameters then state.criterion:zeroGradParameters() end
   state.criterion:backward(state.network.output, sample.target)
   self.hooks("onBackwardCriterion", state)
   state.network:backward(sample.input, state.criterion.gradInput)
   self.hooks("onBackward", state)
end

-- epochs of update(state) after each sample's backward
function SGDEngine.loop(self, state, update)
   self.hooks("onStart", state)
   while state.epoch < state.maxepoch do
      state.network:training()
      self.hooks("onStartEpoch", state)
      for sample in state.iterator() do
         SGDEngine.forwardBackward(self, state, sample)
         update(state)
         state.t = state.t + 1
         self.hooks("onUpdate", state)
      end
      state.epoch = state.epoch + 1
      self.hooks("onEndEpoch", state)
   end
   self.hooks("onEnd", state)
end

SGDEngine.train = argcheck{
   {name = 'self', type = 'tnt.SGDEngine'},
   {name = 'network', type = 'nn.Module'},
   {name = 'criterion', type = 'nn.Criterion'},
   {name = 'iterator', type = 'tnt.DatasetIterator'},
   {name = 'lr', type = 'number'},
   {name = 'lrcriterion', type = 'number', defaulta = 'lr'},
   {name = 'maxepoch', type = 'number', default = 1000},
   call = function(self, network, criterion, iterator, lr, lrcriterion, maxepoch)
      local state = {
         network = network, criterion = criterion, iterator = iterator,
         lr = lr, lrcriterion = lrcriterion, maxepoch = maxepoch,
         sample = {}, epoch = 0, t = 0, training = true,
      }
      SGDEngine.loop(self, state, function(s)
         assert(s.lrcriterion >= 0, 'lrcriterion should be positive or zero')
         if s.lrcriterion > 0 and s.criterion.updateParameters then
            s.criterion:updateParameters(s.lrcriterion)
         end
         assert(s.lr >= 0, 'lr should be positive or zero')
         if s.lr > 0 then s.network:updateParameters(s.lr) end
      end)
   end
}

SGDEngine.test = argcheck{
   {name = 'self', type = 'tnt.SGDEngine'},
   {name = 'network', type = 'nn.Module'},
   {name = 'iterator', type = 'tnt.DatasetIterator'},
   {name = 'criterion', type = 'nn.Criterion', opt = true},
   call = function(self, network, iterator, criterion)
      local state = {
         network = network, iterator = iterator, criterion = criterion,
         sample = {}, t = 0, training = false,
      }
      self.hooks("onStart", state)
      state.network:evaluate()
      for sample in state.iterator() do
         state.sample = sample
         self.hooks("onSample", state)
         state.network:forward(sample.input)
         state.t = state.t + 1
         self.hooks("onForward", state)
         if state.criterion then
            state.criterion:forward(state.network.output, sample.target)
            self.hooks("onForwardCriterion", state)
         end
      end
      self.hooks("onEnd", state)
   end
}
