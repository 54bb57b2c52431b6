-- A bidirectional sequencer for language models: the output at step t merges the forward
-- sequencer's output for steps 1..t-1 with the backward one's for steps t+1..n (zeros at the
-- ends), so that no step sees its own input.
local BiSequencerLM, parent = torch.class('nn.BiSequencerLM', 'nn.AbstractSequencer')

local function first(t, n)
   local out = {}
   for i = 1, n do out[i] = t[i] end
   return out
end

local function last(t, n)
   local out = {}
   for i = 1, n do out[i] = t[#t - n + i] end
   return out
end

local function sequencer(m)
   -- a Sequencer (or a stack of them) is used as it is
   return torch.isTypeOf(m, 'nn.AbstractRecurrent') and nn.Sequencer(m) or m
end

function BiSequencerLM:__init(forward, backward, merge)
   self.forwardModule = forward
   self.backwardModule = rnn.backwardModule(forward, backward, 'BiSequencerLM')
   self.mergeModule = rnn.mergeModule(merge, 'BiSequencerLM')
   self.fwdSeq = sequencer(self.forwardModule)
   self.bwdSeq = sequencer(self.backwardModule)
   self.mergeSeq = nn.Sequencer(self.mergeModule)
   self._fwd = self.fwdSeq
   self._bwd = nn.Sequential():add(nn.ReverseTable()):add(self.bwdSeq):add(nn.ReverseTable())
   self._merge = nn.Sequential():add(nn.ZipTable()):add(self.mergeSeq)
   parent.__init(self)
   self.modules = {self._fwd, self._bwd, self._merge}
   self.output = {}
   self.gradInput = {}
end

function BiSequencerLM:updateOutput(input)
   assert(torch.type(input) == 'table', 'Expecting table at arg 1')
   local n = #input
   assert(n > 1, "Expecting at least 2 elements in table")
   self._fwdOutput = self._fwd:updateOutput(first(input, n - 1))
   self._bwdOutput = self._bwd:updateOutput(last(input, n - 1))
   for k in ipairs(self.output) do self.output[k] = nil end
   self._firstStep = rnn.recursiveResizeAs(self._firstStep, self._fwdOutput[1])
   rnn.recursiveFill(self._firstStep, 0)
   self._lastStep = rnn.recursiveResizeAs(self._lastStep, self._bwdOutput[1])
   rnn.recursiveFill(self._lastStep, 0)
   self._mergeInput = {first(self._fwdOutput, #self._fwdOutput),
                       first(self._bwdOutput, #self._bwdOutput)}
   table.insert(self._mergeInput[1], 1, self._firstStep)
   table.insert(self._mergeInput[2], self._lastStep)
   assert(#self._mergeInput[1] == #self._mergeInput[2])
   self.output = self._merge:updateOutput(self._mergeInput)
   return self.output
end

function BiSequencerLM:updateGradInput(input, gradOutput)
   local n = #input
   self._mergeGradInput = self._merge:updateGradInput(self._mergeInput, gradOutput)
   self._fwdGradInput = self._fwd:updateGradInput(first(input, n - 1),
                                                  last(self._mergeGradInput[1], n - 1))
   self._bwdGradInput = self._bwd:updateGradInput(last(input, n - 1),
                                                  first(self._mergeGradInput[2], n - 1))
   for i = 1, n do
      if i == 1 then
         self.gradInput[1] = self._fwdGradInput[1]
      elseif i == n then
         self.gradInput[n] = self._bwdGradInput[n - 1]
      else
         self.gradInput[i] = rnn.recursiveCopy(self.gradInput[i], self._fwdGradInput[i])
         rnn.recursiveAdd(self.gradInput[i], self._bwdGradInput[i - 1])
      end
   end
   return self.gradInput
end

local function eachPart(self, input, gradOutput, method, arg)
   local n = #input
   self._merge[method](self._merge, self._mergeInput, gradOutput, arg)
   self._fwd[method](self._fwd, first(input, n - 1), last(self._mergeGradInput[1], n - 1), arg)
   self._bwd[method](self._bwd, last(input, n - 1), first(self._mergeGradInput[2], n - 1), arg)
end

function BiSequencerLM:accGradParameters(input, gradOutput, scale)
   eachPart(self, input, gradOutput, 'accGradParameters', scale)
end

function BiSequencerLM:accUpdateGradParameters(input, gradOutput, lr)
   eachPart(self, input, gradOutput, 'accUpdateGradParameters', lr)
end

function BiSequencerLM:__tostring__()
   local ind = '\n    |    '
   local str = torch.type(self) .. ' {'
   str = str .. '\n  (  fwd  ): ' .. tostring(self._fwd):gsub('\n', ind)
   str = str .. '\n  (  bwd  ): ' .. tostring(self._bwd):gsub('\n', ind)
   str = str .. '\n  ( merge ): ' .. tostring(self._merge):gsub('\n', ind)
   return str .. '\n}'
end
