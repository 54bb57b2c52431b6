-- testing and training helpers: nn.Jacobian, nn.StochasticGradient
return {'Jacobian', 'StochasticGradient'}
