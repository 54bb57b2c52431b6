require 'optim'
local TMP = os.tmpname() .. '_'  -- files written here
local l = optim.Logger(TMP .. 'log.txt')
l:setNames{'train', 'test'}
for i = 1, 3 do l:add{i * 0.5, i / 3} end
local f = io.open(TMP .. 'log.txt'); print(f:read('*a')); f:close()
local l2 = optim.Logger()
l2:add{['acc'] = 0.5}
l2:add{['acc'] = 0.75}
print(#l2.symbols)
