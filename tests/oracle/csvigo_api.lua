-- csvigo (clementfarabet/lua---csv): save, load in raw/tidy/query modes, quoting, separators.
-- (recorded with csvigo's own init.lua and File.lua on the package path of a Torch7 install)
require 'csvigo'
local p = 'csvigo_api.tmp.csv'
csvigo.save{path = p, data = {{'name', 'age'}, {'bob, jr', 12}, {'say "hi"', 3.5}}, verbose = false}
io.write(io.open(p):read('*a'))
local raw = csvigo.load{path = p, mode = 'raw', verbose = false}
print(#raw, raw[2][1], raw[3][1], raw[3][2], type(raw[3][2]))
local tidy = csvigo.load{path = p}
print(tidy.name[1], tidy.age[2])
local q = csvigo.load{path = p, mode = 'query', verbose = false}
print(#q('union', {age = {12, 3.5}}).name, q('inter', {age = '12', name = 'bob, jr'}).name[1])
local names, t = csvigo.load{path = p, column_order = true, verbose = false}
print(names[1], names[2])
csvigo.save{path = p, data = {x = {1, 2}, y = {3, 0/0}}, column_order = {'y', 'x'}, nan_as_missing = true, verbose = false}
io.write(io.open(p):read('*a'))
local f = io.open(p, 'w'); f:write('1 2   3\r\n4 5 6\n'); f:close()
local r = csvigo.load{path = p, separator = ' ', mode = 'raw', verbose = false}
print(#r, #r[1], r[1][3], r[2][1])
local t2 = csvigo.load{path = p, separator = ' ', verbose = false}
print(t2.var_1[1], t2.var_3[2])
os.remove(p)
