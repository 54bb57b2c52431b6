-- the modules dpnn adds, one file each, in load order
return {
   'AliasMultinomial', 'Serial', 'ReverseTable', 'Inception', 'Clip', 'SpatialUniformCrop',
   'SpatialGlimpse', 'ArgMax', 'CategoricalEntropy', 'TotalDropout', 'SpatialRegionDropout',
   'FireModule', 'SpatialFeatNormalization', 'NCEModule', 'NCECriterion', 'Reinforce',
   'ReinforceBernoulli', 'ReinforceNormal', 'ReinforceCategorical', 'VRClassReward',
   'BinaryClassReward', 'BinaryLogisticRegression', 'ReinforceGamma',
   'SpatialBinaryLogisticRegression', 'SpatialBinaryConvolution', 'SimpleColorTransform',
   'PCAColorTransform',
}
