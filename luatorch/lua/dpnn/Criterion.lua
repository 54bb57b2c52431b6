-- dpnn's extensions of nn.Criterion
nn.Criterion.toBatch = nn.Module.toBatch
nn.Criterion.fromBatch = nn.Module.fromBatch
