local Min, parent = torch.class('nn.Min', 'nn.Max')

Min._isMin = true

function Min:__init(dimension, nInputDims)
   parent.__init(self, dimension, nInputDims)
end
