-- the optnet package table shared by its files
return {}
