-- nn's errors for the mistakes programs make: gradOutputs and targets of the wrong size
-- (THNN's shape and element-count checks), tensors of another type than the module's
-- (LuaJIT's FFI refusing them in THNN's calls), a container's wrapping of its module's error.
-- Messages as Torch7 words them, without the file:line prefix, TH's " at file.c:line" and the
-- traceback a container adds.
require 'nn'

local function clean(e)
   e = tostring(e):gsub('\nstack traceback:.*', ''):gsub(' at /[^\n]*%.c:%d+', '')
   local lines = {}
   for l in (e .. '\n'):gmatch('(.-)\n') do
      lines[#lines + 1] = (l:gsub('^[^ :]*%.lua:%d+: ', ''))
   end
   return table.concat(lines, '\n')
end

local function try(name, f)
   local ok, e = pcall(f)
   print(name, ok and 'ok' or clean(e))
end

torch.manualSeed(1)
local x = torch.randn(2, 3)

local function backward(name, m, input, gradOutput)
   try(name, function()
      m:forward(input)
      return m:backward(input, gradOutput)
   end)
end

for _, name in ipairs({'Tanh', 'Sigmoid', 'ReLU', 'Threshold', 'Sqrt', 'Square', 'SoftMax',
      'LogSoftMax', 'SoftMin', 'TanhShrink', 'ELU', 'HardTanh', 'LeakyReLU', 'SoftPlus'}) do
   local input = name == 'Sqrt' and torch.rand(2, 3) or x
   backward(name .. ' count', nn[name](), input, torch.randn(2, 2))
   backward(name .. ' shape', nn[name](), input, torch.randn(3, 2))
end
backward('BatchNormalization shape', nn.BatchNormalization(3), torch.randn(4, 3), torch.randn(3, 4))

for _, name in ipairs({'MSECriterion', 'AbsCriterion', 'SmoothL1Criterion', 'SoftMarginCriterion',
      'DistKLDivCriterion', 'MarginCriterion', 'BCECriterion'}) do
   local input = torch.rand(2, 3)
   for _, t in ipairs({{'count', torch.rand(2, 2)}, {'shape', torch.rand(3, 2):gt(0.5):double()},
         {'flat', torch.rand(6):gt(0.5):double()}}) do
      local c = nn[name]()
      try(name .. ' ' .. t[1] .. ' forward', function() return c:forward(input, t[2]) end)
      try(name .. ' ' .. t[1] .. ' backward', function() return c:backward(input, t[2]) end)
   end
end

-- these two take no argument in Torch7: the loss stays averaged
local p = nn.LogSoftMax():forward(torch.randn(2, 3)):clone()
local q = torch.rand(2, 3)
print('DistKLDivCriterion(false)', nn.DistKLDivCriterion(false).sizeAverage,
   nn.DistKLDivCriterion(false):forward(p, q) == nn.DistKLDivCriterion():forward(p, q))
print('SoftMarginCriterion(false)', nn.SoftMarginCriterion(false).sizeAverage)

-- a FloatTensor into a DoubleTensor module, and the reverse
local f = torch.FloatTensor(2, 3, 6, 6):uniform()
local f2 = torch.FloatTensor(2, 3):uniform()
try('SpatialConvolution float input', function() return nn.SpatialConvolution(3, 2, 3, 3):forward(f) end)
try('SpatialConvolutionMM float input', function() return nn.SpatialConvolutionMM(3, 2, 3, 3):forward(f) end)
try('float SpatialConvolution double input', function()
   return nn.SpatialConvolution(3, 2, 3, 3):float():forward(f:double())
end)
try('ReLU float input', function() return nn.ReLU():forward(f) end)
try('ReLU float gradOutput', function()
   local m = nn.ReLU()
   m:forward(f:double())
   return m:backward(f:double(), f)
end)
try('Tanh float input', function() return nn.Tanh():forward(f) end)
try('Sigmoid float input', function() return nn.Sigmoid():forward(f) end)
try('SpatialMaxPooling float input', function() return nn.SpatialMaxPooling(2, 2):forward(f) end)
try('LogSoftMax float input', function() return nn.LogSoftMax():forward(f2) end)
try('MSECriterion float input', function() return nn.MSECriterion():forward(f2, torch.rand(2, 3)) end)
try('MSECriterion float target', function() return nn.MSECriterion():forward(torch.rand(2, 3), f2) end)
try('ClassNLLCriterion float input', function()
   return nn.ClassNLLCriterion():forward(f2, torch.Tensor{1, 2})
end)
try('ClassNLLCriterion double weights', function()
   return nn.ClassNLLCriterion(torch.ones(3)):float():forward(f2, torch.Tensor{1, 2})
end)
local cw = nn.ClassNLLCriterion(torch.ones(3)):float()
cw.weights = torch.ones(3)
try('ClassNLLCriterion double weights set after', function() return cw:forward(f2, torch.Tensor{1, 2}) end)
try('float ClassNLLCriterion, double targets', function()
   return nn.ClassNLLCriterion():float():forward(f2, torch.Tensor{1, 2})
end)
try('CrossEntropyCriterion float input', function()
   return nn.CrossEntropyCriterion():forward(f2, torch.Tensor{1, 2})
end)
try('Sequential float input, Tanh first', function()
   return nn.Sequential():add(nn.Tanh()):add(nn.Linear(3, 2)):forward(f2)
end)
try('Tanh IntTensor', function() return nn.Tanh():forward(torch.IntTensor(2, 3):fill(1)) end)
try('ReLU LongTensor', function() return nn.ReLU():forward(torch.LongTensor(2, 3):fill(1)) end)
try('float LookupTable', function() return nn.LookupTable(5, 3):float():forward(torch.LongTensor{1, 2}):size(1) end)
try('float model float input', function()
   local m = nn.Sequential():add(nn.SpatialConvolution(3, 2, 3, 3)):add(nn.ReLU())
      :add(nn.SpatialMaxPooling(2, 2)):add(nn.View(-1):setNumInputDims(3)):add(nn.Linear(8, 3))
      :add(nn.LogSoftMax()):float()
   local c = nn.ClassNLLCriterion():float()
   local out = m:forward(f)
   local loss = c:forward(out, torch.Tensor{1, 3})
   m:backward(f, c:backward(out, torch.Tensor{1, 3}))
   return loss
end)

-- containers name the module that failed, outermost first
try('Sequential', function()
   return nn.Sequential():add(nn.Linear(4, 3)):add(nn.Linear(4, 3)):forward(torch.randn(2, 4))
end)
try('Sequential backward', function()
   local m = nn.Sequential():add(nn.Linear(4, 3)):add(nn.Tanh())
   m:forward(torch.randn(2, 4))
   return m:backward(torch.randn(2, 4), torch.randn(2, 4))
end)
try('nested', function()
   return nn.Sequential():add(nn.Sequential():add(nn.Identity()):add(nn.Linear(2, 2)))
      :forward(torch.randn(3))
end)
try('Concat', function()
   return nn.Concat(2):add(nn.Linear(3, 2)):add(nn.Linear(4, 2)):forward(torch.randn(2, 3))
end)

-- clearState gives a container fresh output and gradInput tensors of its own (its last
-- module's keep theirs, emptied): the two are no longer one object, in memory and in files
local m = nn.Sequential():add(nn.Linear(3, 2)):add(nn.Tanh())
m:forward(torch.randn(4, 3))
m:backward(torch.randn(4, 3), torch.randn(4, 2))
print('output shared before', m.output == m.modules[2].output)
m:clearState()
print('output shared after', m.output == m.modules[2].output, m.output:nElement(),
   m.modules[2].output:nElement(), m.modules[1].gradInput:nElement())
print('serialized bytes', #torch.serialize(m, 'ascii'))

-- targets and indices out of range
try('ClassNLLCriterion target too big', function()
   return nn.ClassNLLCriterion():forward(torch.randn(2, 3), torch.Tensor{1, 4})
end)
try('ClassNLLCriterion target 0', function()
   return nn.ClassNLLCriterion():forward(torch.randn(2, 3), torch.Tensor{0, 1})
end)
try('ClassNLLCriterion batch size', function()
   return nn.ClassNLLCriterion():forward(torch.randn(2, 3), torch.Tensor{1, 2, 3})
end)
try('CrossEntropyCriterion target', function()
   return nn.CrossEntropyCriterion():forward(torch.randn(2, 3), torch.Tensor{1, 5})
end)
try('LookupTable index', function() return nn.LookupTable(5, 3):forward(torch.LongTensor{1, 6}) end)
try('LookupTable index 0', function() return nn.LookupTable(5, 3):forward(torch.LongTensor{{0, 1}}) end)
try('LookupTable maxNorm index', function()
   return nn.LookupTable(5, 3, 0, 1.0):forward(torch.LongTensor{1, 7})
end)
try('LookupTable backward index', function()
   local l = nn.LookupTable(5, 3)
   l:forward(torch.LongTensor{1, 2})
   return l:backward(torch.LongTensor{1, 9}, torch.randn(2, 3))
end)
try('LookupTable 3-D input', function() return nn.LookupTable(5, 3):forward(torch.LongTensor{{{1}}}) end)
-- dimensions out of range
for _, m in ipairs({{'Max(3)', nn.Max(3)}, {'Min(3)', nn.Min(3)}, {'Max(0)', nn.Max(0)},
      {'Mean(3)', nn.Mean(3)}, {'Sum(3)', nn.Sum(3)}, {'Sum(0)', nn.Sum(0)}}) do
   try(m[1], function() return m[2]:forward(torch.randn(3, 2)) end)
end
try('Max of empty', function() return nn.Max(1):forward(torch.randn(0)) end)

-- backward before forward, missing targets
try('Tanh backward before forward', function() return nn.Tanh():backward(x, torch.randn(2, 3)) end)
try('Sigmoid backward before forward', function() return nn.Sigmoid():backward(x, torch.randn(2, 3)) end)
try('LogSoftMax backward before forward', function()
   return nn.LogSoftMax():backward(x, torch.randn(2, 3))
end)
try('SoftMax backward before forward', function() return nn.SoftMax():backward(x, torch.randn(2, 3)) end)
try('BatchNormalization backward before forward', function()
   return nn.BatchNormalization(3):backward(x, torch.randn(2, 3))
end)
try('MSECriterion without target', function() return nn.MSECriterion():forward(x) end)
try('ClassNLLCriterion without target', function() return nn.ClassNLLCriterion():forward(x) end)
try('CrossEntropyCriterion 3-D input', function()
   return nn.CrossEntropyCriterion():forward(torch.randn(2, 3, 4), torch.Tensor{1, 2})
end)
try('ClassNLLCriterion 2-D target', function()
   return nn.ClassNLLCriterion():forward(torch.randn(2, 3), torch.Tensor{{1}, {2}})
end)
