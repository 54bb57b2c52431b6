require 'optim'
local TMP = os.tmpname()
os.remove(TMP)
local lg = optim.Logger(TMP .. '.log')
lg:setNames{'train loss', 'test acc'}
lg:add{0.5, 10}
lg:add{0.25, 20.125}
lg:add{1/3, 1e-7}
lg:add{-0, 123456789}
lg.showPlot = false
lg:style{'-', '+'}
local f = io.open(TMP .. '.log'); io.write(f:read('*a')); f:close()
local lg2 = optim.Logger(TMP .. '2.log')
lg2:add{['a'] = 1, ['b'] = 2.5}
lg2:add{['a'] = 3, ['b'] = 0.1}
local f = io.open(TMP .. '2.log'); io.write(f:read('*a')); f:close()
print(lg.symbols and #lg.symbols, lg.names and #lg.names)
print(#lg.symbols[1])
for i = 1, #lg.symbols[1] do io.write(tostring(lg.symbols[1][i]), ' ') end print()
local lg3 = optim.Logger(TMP .. '3.log', true)
lg3:setNames{'x'}
lg3:add{1}
lg3:add{2}
print(lg3.file ~= nil)
local lg4 = optim.Logger()
lg4:setNames{'p', 'q'}
lg4:add{1, 2}
lg4:add{3, 4}
print(lg4.name, lg4.idx and 'idx' or 'noidx')
local ok, e = pcall(function() lg:add{1} end)
print(ok, e and tostring(e):gsub('^[^ :]*%.lua:%d+: ', ''))
local f = io.open(TMP .. '.log'); io.write(f:read('*a')); f:close()
local lg5 = optim.Logger(TMP .. '5.log')
lg5:setNames{'a','b'}
lg5:setlogscale(true)
lg5:display(false)
lg5:add{1, 2}
print(lg5.logscale, lg5.showPlot)
local f = io.open(TMP .. '5.log'); io.write(f:read('*a')); f:close()
