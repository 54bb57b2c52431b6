-- table layers (each nn/<Name>.lua defines one class)
return {'SplitTable', 'JoinTable', 'SelectTable', 'NarrowTable', 'FlattenTable', 'MixtureTable',
        'CAddTable', 'CSubTable', 'CMulTable', 'CDivTable', 'CMaxTable', 'CMinTable', 'ZipTable'}
