-- input {M, v}: M * v, or a batch of them (M 3D, v 2D); trans transposes M first
local MV, parent = torch.class('nn.MV', 'nn.Module')
local THNN = nn.THNN

function MV:__init(trans)
   parent.__init(self)
   self.trans = trans or false
   assert(type(self.trans) == 'boolean', 'argument must be a boolean, matrix transpose before multiplication')
   self.gradInput = {torch.Tensor(), torch.Tensor()}
end

function MV:updateOutput(input)
   assert(#input == 2, 'input must be a pair of minibatch matrices')
   THNN.MV_updateOutput(input[1], input[2], self.output, self.trans)
   return self.output
end

function MV:updateGradInput(input, gradOutput)
   assert(#input == 2, 'input must be a pair of tensors')
   self.gradInput[1] = self.gradInput[1] or input[1].new()
   self.gradInput[2] = self.gradInput[2] or input[2].new()
   THNN.MV_updateGradInput(input[1], input[2], gradOutput, self.gradInput[1], self.gradInput[2],
                           self.trans)
   return self.gradInput
end
