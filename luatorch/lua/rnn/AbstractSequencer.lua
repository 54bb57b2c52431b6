-- The base of modules that take a whole sequence at once
local AbstractSequencer, parent = torch.class('nn.AbstractSequencer', 'nn.Container')

function AbstractSequencer:getStepModule(step)
   error"DEPRECATED 27 Oct 2015. Wrap your internal modules into a Recursor instead"
end

-- a sequencer is copied (not shared) even inside a step clone
function AbstractSequencer:sharedClone(shareParams, shareGradParams, stepClone)
   return parent.sharedClone(self, shareParams, shareGradParams)
end

function AbstractSequencer:maxBPTTstep(rho)
end

local modes = {both = true, eval = true, train = true, neither = true}

-- keep the hidden state between sequences in 'both' (default), 'train', 'eval' or 'neither' mode
function AbstractSequencer:remember(remember)
   self._remember = (remember == nil) and 'both' or remember
   assert(modes[self._remember],
          "AbstractSequencer : unrecognized value for remember : " .. self._remember)
   return self
end

function AbstractSequencer:hasMemory()
   local r = self._remember
   if self.train ~= false then
      return r == 'both' or r == 'train'
   end
   return r == 'both' or r == 'eval'
end
