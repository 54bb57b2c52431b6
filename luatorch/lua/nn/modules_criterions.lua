-- criterions, one per file (MSECriterion is a core file)
return {
   'AbsCriterion', 'SmoothL1Criterion', 'ClassNLLCriterion', 'SpatialClassNLLCriterion',
   'CrossEntropyCriterion', 'BCECriterion', 'DistKLDivCriterion', 'MarginCriterion',
   'SoftMarginCriterion', 'MultiMarginCriterion', 'MultiLabelMarginCriterion',
   'MultiLabelSoftMarginCriterion', 'HingeEmbeddingCriterion', 'L1HingeEmbeddingCriterion',
   'CosineEmbeddingCriterion', 'MarginRankingCriterion', 'WeightedMSECriterion',
   'ClassSimplexCriterion', 'ParallelCriterion', 'MultiCriterion', 'CriterionTable',
   'DistanceRatioCriterion', 'ModuleCriterion', 'SpatialAutoCropMSECriterion', 'L1Cost',
}
