-- torch.save / torch.load checkpoint round trip, float conversion, clearState
require 'nn'
require 'paths'
torch.manualSeed(7)

local model = nn.Sequential()
model:add(nn.Linear(10, 5)):add(nn.ReLU()):add(nn.Linear(5, 2))
local x = torch.randn(4, 10)
local y1 = model:forward(x):clone()

local dir = paths.tmpname()
os.remove(dir)
paths.mkdir(dir)
local fname = paths.concat(dir, 'model.t7')
local checkpoint = {model = model, epoch = 12, opt = {lr = 0.1, name = 'run'}, losses = {1.5, 0.7}}
torch.save(fname, checkpoint)
assert(paths.filep(fname))
local loaded = torch.load(fname)
print(loaded.epoch, loaded.opt.name, loaded.losses[2])
print(loaded.model)
local y2 = loaded.model:forward(x)
print(string.format('max diff %.3g', (y1 - y2):abs():max()))
assert((y1 - y2):abs():max() == 0)

-- ascii
torch.save(fname .. '.ascii', model, 'ascii')
local m2 = torch.load(fname .. '.ascii', 'ascii')
assert((m2:forward(x) - y1):abs():max() < 1e-12)

-- float
local mf = model:clone():float()
print(torch.type(mf:get(1).weight))
local yf = mf:forward(x:float())
print(torch.type(yf))
assert((yf:double() - y1):abs():max() < 1e-5)

-- clearState before saving
model:clearState()
torch.save(fname, model)
local m3 = torch.load(fname)
print(m3:get(1).output:nElement())

-- tensors and shared storage preserved
local t = torch.range(1, 6)
local v = t:view(2, 3)
torch.save(fname, {t, v})
local tt = torch.load(fname)
tt[1][1] = 100
print(tt[2])
assert(tt[2][1][1] == 100)

-- serialize to string
local s = torch.serialize(t)
local t2 = torch.deserialize(s)
print(t2:sum())
os.remove(fname); os.remove(fname .. '.ascii')
paths.rmdir(dir)
