-- A bidirectional SeqLSTM: a forward SeqLSTM and one reading the reversed sequence, merged
-- (CAddTable by default). Input seqlen x batch x inputDim (batch first with batchFirst).
local SeqBRNN, parent = torch.class('nn.SeqBRNN', 'nn.Container')

function SeqBRNN:__init(inputDim, hiddenDim, batchFirst, merge)
   self.forwardModule = nn.SeqLSTM(inputDim, hiddenDim)
   self.backwardModule = nn.SeqLSTM(inputDim, hiddenDim)
   self.merge = merge or nn.CAddTable()
   self.dim = 1
   local bwd = nn.Sequential()
      :add(nn.SeqReverseSequence(self.dim))
      :add(self.backwardModule)
      :add(nn.SeqReverseSequence(self.dim))
   local brnn = nn.Sequential()
      :add(nn.ConcatTable():add(self.forwardModule):add(bwd))
      :add(self.merge)
   if batchFirst then
      brnn:insert(nn.Transpose({1, 2}), 1)
      brnn:insert(nn.Transpose({1, 2}))
   end
   parent.__init(self)
   self.output = torch.Tensor()
   self.gradInput = torch.Tensor()
   self.module = brnn
   self.modules[1] = brnn
end

for _, name in ipairs{'updateOutput', 'updateGradInput', 'accGradParameters',
                      'accUpdateGradParameters', 'sharedAccUpdateGradParameters'} do
   SeqBRNN[name] = nn.Decorator[name]
end
SeqBRNN.__tostring__ = nn.Decorator.__tostring__
