-- the torchnet package table, shared by its files (require 'torchnet' returns it)
return {}
