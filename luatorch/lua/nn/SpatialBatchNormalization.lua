-- Batch normalization over the planes of (N, C, H, W) inputs: statistics per plane.
local BN, parent = torch.class('nn.SpatialBatchNormalization', 'nn.BatchNormalization')

BN._version = 2

-- expected dimension of input
BN.nDim = 4
