-- A bidirectional sequencer: one Sequencer reads the sequence forwards, another reads it
-- backwards, and a merge module (JoinTable on features by default) combines their outputs step
-- by step. Without a backward module, a reset clone of the forward one is used.
local BiSequencer, parent = torch.class('nn.BiSequencer', 'nn.AbstractSequencer')

-- the merge argument: a dimension for JoinTable or a module
local function mergeModule(merge, name)
   if torch.type(merge) == 'number' then
      return nn.JoinTable(1, merge)
   elseif merge == nil then
      return nn.JoinTable(1, 1)
   elseif torch.isTypeOf(merge, 'nn.Module') then
      return merge
   end
   error(name .. ": expecting nn.Module or number instance at arg 3")
end
rnn.mergeModule = mergeModule

local function backwardModule(forward, backward, name)
   if not torch.isTypeOf(forward, 'nn.Module') then
      error(name .. ": expecting nn.Module instance at arg 1")
   end
   if not backward then
      backward = forward:clone()
      backward:reset()
   end
   if not torch.isTypeOf(backward, 'nn.Module') then
      error(name .. ": expecting nn.Module instance at arg 2")
   end
   return backward
end
rnn.backwardModule = backwardModule

function BiSequencer:__init(forward, backward, merge)
   self.forwardModule = forward
   self.backwardModule = backwardModule(forward, backward, 'BiSequencer')
   self.mergeModule = mergeModule(merge, 'BiSequencer')
   self.fwdSeq = nn.Sequencer(self.forwardModule)
   self.bwdSeq = nn.Sequencer(self.backwardModule)
   self.mergeSeq = nn.Sequencer(self.mergeModule)
   local bwd = nn.Sequential()
      :add(nn.ReverseTable())
      :add(self.bwdSeq)
      :add(nn.ReverseTable())
   local brnn = nn.Sequential()
      :add(nn.ConcatTable():add(self.fwdSeq):add(bwd))
      :add(nn.ZipTable())
      :add(self.mergeSeq)
   parent.__init(self)
   self.output = {}
   self.gradInput = {}
   self.module = brnn
   self.modules[1] = brnn
end

-- everything else is the wrapped network's
for _, name in ipairs{'updateOutput', 'updateGradInput', 'accGradParameters',
                      'accUpdateGradParameters', 'sharedAccUpdateGradParameters'} do
   BiSequencer[name] = nn.Decorator[name]
end
BiSequencer.__tostring__ = nn.Decorator.__tostring__
