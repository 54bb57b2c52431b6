-- simple layers (each nn/<Name>.lua defines one class)
return {'View', 'Reshape', 'Contiguous', 'Select', 'Narrow', 'Index', 'Squeeze', 'Unsqueeze',
        'Replicate', 'Transpose', 'Padding', 'Copy', 'Max', 'Min', 'Sum', 'Mean', 'CMul', 'Mul',
        'MulConstant', 'CAdd', 'Add', 'AddConstant', 'Dropout', 'SpatialDropout',
        'VolumetricDropout', 'Euclidean', 'WeightedEuclidean', 'PairwiseDistance',
        'CosineDistance', 'DotProduct', 'Cosine', 'Normalize', 'MM', 'MV', 'GradientReversal',
        'L1Penalty', 'Maxout', 'PixelShuffle', 'MaskedSelect', 'Bilinear', 'LookupTable',
        'PartialLinear', 'SparseLinear'}
