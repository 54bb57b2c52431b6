-- modules nn gained late (several shared with dpnn): decorators, shape helpers, constants,
-- k-means, weight normalization, feature Lp pooling, up-sampling, fractional volumetric pooling,
-- depth-wise convolution, sparse IndexLinear, layer normalization, PrintSize
return {
   'DontCast', 'Profile', 'NaN', 'Collapse', 'Convert', 'Constant', 'ZeroGrad',
   'ZipTableOneToMany', 'OneHot', 'CAddTensorTable', 'WhiteNoise', 'CReLU', 'Kmeans',
   'WeightNorm', 'LinearWeightNorm', 'FeatureLPPooling', 'UpSampling',
   'VolumetricFractionalMaxPooling', 'SpatialDepthWiseConvolution', 'IndexLinear',
   'LayerNormalization', 'PrintSize',
}
