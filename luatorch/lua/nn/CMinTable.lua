-- the element-wise minimum of a table of tensors; the gradient goes to the winning input
local CMinTable, parent = torch.class('nn.CMinTable', 'nn.CMaxTable')

CMinTable._isMin = true

function CMinTable:__init()
   parent.__init(self)
   self.minIdx = self.maxIdx
end
