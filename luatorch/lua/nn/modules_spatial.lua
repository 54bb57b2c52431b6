-- convolution, pooling, normalization, padding and up-sampling modules (spatial, temporal,
-- volumetric); kernels in luatorch/thnn/{conv,pool,norm}.py
return {
   'SpatialConvolution', 'SpatialConvolutionMM', 'SpatialFullConvolution',
   'SpatialDilatedConvolution', 'SpatialConvolutionLocal',
   'SpatialMaxPooling', 'SpatialDilatedMaxPooling', 'SpatialAveragePooling',
   'SpatialAdaptiveMaxPooling', 'SpatialAdaptiveAveragePooling', 'SpatialLPPooling',
   'SpatialMaxUnpooling',
   'BatchNormalization', 'SpatialBatchNormalization', 'VolumetricBatchNormalization',
   'SpatialCrossMapLRN',
   'SpatialZeroPadding', 'SpatialReflectionPadding', 'SpatialReplicationPadding',
   'SpatialUpSamplingNearest', 'SpatialUpSamplingBilinear',
   'SpatialSubtractiveNormalization', 'SpatialDivisiveNormalization',
   'SpatialContrastiveNormalization',
   'TemporalConvolution', 'TemporalMaxPooling', 'TemporalSubSampling',
   'VolumetricConvolution', 'VolumetricFullConvolution', 'VolumetricMaxPooling',
   'VolumetricAveragePooling',
}
