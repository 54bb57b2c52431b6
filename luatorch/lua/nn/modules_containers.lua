-- container modules (each nn/<Name>.lua defines one class)
return {'Concat', 'DepthConcat', 'ConcatTable', 'Parallel', 'ParallelTable', 'MapTable',
        'Decorator', 'Bottle'}
