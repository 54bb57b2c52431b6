-- transfer functions, one module per file (HardTanh before its subclass Clamp)
return {
   'HardTanh', 'Clamp', 'ReLU6', 'PReLU', 'RReLU', 'LeakyReLU', 'ELU', 'SoftPlus', 'SoftSign',
   'SoftMax', 'LogSoftMax', 'SoftMin', 'LogSigmoid', 'HardShrink', 'SoftShrink', 'TanhShrink',
   'Abs', 'Exp', 'Log', 'Power', 'Square', 'Sqrt', 'SpatialSoftMax', 'GatedLinearUnit',
}
