-- less common modules from torch/nn's test.lua: connection-table convolutions (and nn.tables),
-- sub-sampling, fractional and dynamic k-max pooling, dilated/unpooling/padding volumetric
-- modules; kernels in luatorch/thnn/extra_spatial.py
return {
   'SpatialLogSoftMax', 'SpatialConvolutionMap', 'SpatialFullConvolutionMap',
   'SpatialSubSampling', 'SpatialFractionalMaxPooling', 'TemporalDynamicKMaxPooling',
   'VolumetricDilatedConvolution', 'VolumetricDilatedMaxPooling', 'VolumetricMaxUnpooling',
   'VolumetricReplicationPadding',
   -- helpers, not classes: nn.SparseJacobian, nn.hessian (inactive until nn.hessian.enable())
   'SparseJacobian', 'hessian',
}
