-- Batch normalization over the planes of (N, C, T, H, W) inputs: statistics per plane.
local BN, parent = torch.class('nn.VolumetricBatchNormalization', 'nn.BatchNormalization')

-- expected dimension of input
BN.nDim = 5
