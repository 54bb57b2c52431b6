-- SeqLSTM with a projection layer: the hidden state (hiddensize) is projected to the output
-- (outputsize) by weightO before feeding back (LSTMP, Sak et al. 2014)
local SeqLSTMP, parent = torch.class('nn.SeqLSTMP', 'nn.SeqLSTM')
local THNN = nn.THNN

SeqLSTMP.dpnn_parameters = {'weight', 'bias', 'weightO'}
SeqLSTMP.dpnn_gradParameters = {'gradWeight', 'gradBias', 'gradWeightO'}

function SeqLSTMP:__init(inputsize, hiddensize, outputsize)
   assert(inputsize and hiddensize and outputsize, "Expecting input, hidden and output size")
   self.weightO = torch.Tensor(hiddensize, outputsize)
   self.gradWeightO = torch.Tensor(hiddensize, outputsize)
   parent.__init(self, inputsize, hiddensize, outputsize)
end

function SeqLSTMP:reset(std)
   self.bias:zero()
   self.bias[{{self.outputsize + 1, 2 * self.outputsize}}]:fill(1)
   if not std then
      self.weight:normal(0, 1.0 / math.sqrt(self.hiddensize + self.inputsize))
      self.weightO:normal(0, 1.0 / math.sqrt(self.outputsize + self.hiddensize))
   else
      self.weight:normal(0, std)
      self.weightO:normal(0, std)
   end
   return self
end

function SeqLSTMP:_forward(x, h0, c0)
   self._hidden = self._hidden or self.weight.new()
   THNN.SeqLSTM_updateOutput(x, h0, c0, self.weight, self.bias, self._output, self.cell,
                             self.gates, self.maskzero, self.weightO, self._hidden)
end

function SeqLSTMP:_backward(x, h0, c0, gradOutput, scale)
   THNN.SeqLSTM_backward(x, h0, c0, self.weight, self._output, self.cell, self.gates, gradOutput,
                         self.gradPrevOutput, self.userNextGradCell, self._grad_x, self.grad_h0,
                         self.grad_c0, self.gradWeight, self.gradBias, scale, self.maskzero,
                         self.weightO, self.gradWeightO, self._hidden)
end

function SeqLSTMP:parameters()
   return {self.weight, self.bias, self.weightO}, {self.gradWeight, self.gradBias, self.gradWeightO}
end

function SeqLSTMP:accUpdateGradParameters(input, gradOutput, lr)
   error"accUpdateGradParameters not implemented for SeqLSTMP"
end

function SeqLSTMP:toFastLSTM()
   error"toFastLSTM not supported for SeqLSTMP"
end
