-- the modules dpnn adds, one file each, in load order
return {
   'Serial', 'ReverseTable', 'Inception', 'Clip', 'SpatialUniformCrop', 'SpatialGlimpse',
   'ArgMax', 'CategoricalEntropy', 'TotalDropout', 'SpatialRegionDropout', 'FireModule',
   'SpatialFeatNormalization', 'Reinforce', 'ReinforceBernoulli', 'ReinforceNormal',
   'ReinforceCategorical', 'VRClassReward', 'BinaryClassReward', 'BinaryLogisticRegression',
}
