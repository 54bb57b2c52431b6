-- the modules dpnn adds, one file each, in load order
return {
   'Serial', 'ReverseTable',
}
