-- The kernels of an LSTM step (luatorch runs them in LuaJIT on small tensors, in numpy on large
-- ones): Sigmoid, Tanh, LogSoftMax, ClassNLLCriterion forward and backward, copies and cmul
-- between strided views, zero of a strided view, on contiguous, selected, narrowed and
-- transposed operands, small and large. Every element is printed exactly (%a).
local kind = dofile(paths.concat(paths.dirname(paths.thisfile()), 'common.lua'))
torch.manualSeed(21)

local function exact(x)
   if type(x) == 'number' then return string.format('%a', x) end
   local t = {}
   local flat = x:contiguous():view(-1)
   for i = 1, flat:size(1) do t[i] = string.format('%a', flat[i]) end
   return table.concat(t, ' ')
end

local function say(label, x)
   io.write(label, ': ', exact(x), '\n')
end

-- inputs of the given sizes, spread over [-scale, scale]: some exp overflow at 800
local function input(scale, ...)
   return torch.rand(...):mul(2 * scale):add(-scale)
end

-- operand views of a tensor: contiguous, a select of dimension 2 of a 3-D tensor (rows of a
-- matrix apart), a narrow of columns, a transpose
local function views(scale, rows, cols)
   local block = input(scale, rows, 3, cols)
   local wide = input(scale, rows, cols + 5)
   local tall = input(scale, cols, rows)
   return {
      {'contiguous', input(scale, rows, cols)},
      {'select', block:select(2, 2)},
      {'narrow', wide:narrow(2, 3, cols)},
      {'transpose', tall:t()},
   }
end

-- Sigmoid and Tanh: output and gradInput for each view of small and large inputs
for _, name in ipairs({'Sigmoid', 'Tanh'}) do
   for _, size in ipairs({{4, 6}, {32, 128}, {200, 200}}) do
      for _, scale in ipairs({3, 800}) do
         for _, v in ipairs(views(scale, size[1], size[2])) do
            local m = nn[name]()
            local out = m:forward(v[2])
            local go = input(1, size[1], size[2])
            local gi = m:backward(v[2], go)
            local label = string.format('%s %dx%d %g %s', name, size[1], size[2], scale, v[1])
            if size[1] * size[2] <= 4096 then
               say(label .. ' output', out)
               say(label .. ' gradInput', gi)
            else
               -- large: the sums of the exact values
               say(label .. ' output sum', out:sum())
               say(label .. ' gradInput sum', gi:sum())
            end
         end
      end
   end
end

-- LogSoftMax on vectors and matrices, each view, small and large
for _, size in ipairs({{1, 10}, {32, 64}, {3, 7}, {300, 200}}) do
   for _, scale in ipairs({2, 60}) do
      for _, v in ipairs(views(scale, size[1], size[2])) do
         local m = nn.LogSoftMax()
         local x = size[1] == 1 and v[2]:select(1, 1) or v[2]
         local out = m:forward(x)
         local go = input(1, size[1], size[2])
         if size[1] == 1 then go = go:select(1, 1) end
         local gi = m:backward(x, go)
         local label = string.format('LogSoftMax %dx%d %g %s', size[1], size[2], scale, v[1])
         if size[1] * size[2] <= 4096 then
            say(label .. ' output', out)
            say(label .. ' gradInput', gi)
         else
            say(label .. ' output sum', out:sum())
            say(label .. ' gradInput sum', gi:sum())
         end
      end
   end
end
-- a row of equal values and one with a huge spread
local m = nn.LogSoftMax()
local x = torch.Tensor(2, 5):fill(3)
x[2]:copy(torch.Tensor({-1e3, 0, 1e3, -50, 50}))
say('LogSoftMax special output', m:forward(x))
say('LogSoftMax special gradInput', m:backward(x, torch.Tensor(2, 5):fill(0.25)))

-- ClassNLLCriterion: batches and vectors, sizeAverage or not, class weights, ignored targets
local function nll(label, crit, x, target)
   local loss = crit:forward(x, target)
   say(label .. ' loss', loss)
   say(label .. ' total weight', crit.total_weight_tensor[1])
   say(label .. ' gradInput', crit:backward(x, target))
end
local logp = nn.LogSoftMax():forward(input(4, 32, 64))
local targets = torch.LongTensor(32):random(64)
nll('ClassNLL batch', nn.ClassNLLCriterion(), logp, targets)
nll('ClassNLL batch sum', nn.ClassNLLCriterion(nil, false), logp, targets)
local w = torch.rand(64):add(0.1)
nll('ClassNLL batch weights', nn.ClassNLLCriterion(w), logp, targets)
nll('ClassNLL batch weights sum', nn.ClassNLLCriterion(w, false), logp, targets)
local ignoring = targets:clone()
ignoring[3], ignoring[17] = 5, 5
nll('ClassNLL batch ignore', nn.ClassNLLCriterion(nil, true, 5), logp, ignoring)
nll('ClassNLL batch transposed', nn.ClassNLLCriterion(), logp:t():clone():t(), targets)
nll('ClassNLL vector', nn.ClassNLLCriterion(), logp[7], 9)
nll('ClassNLL vector weights', nn.ClassNLLCriterion(w), logp[7], torch.LongTensor({9}))
nll('ClassNLL vector weights sum', nn.ClassNLLCriterion(w, false), logp[7], 9)
nll('ClassNLL vector ignore', nn.ClassNLLCriterion(nil, true, 9), logp[7], 9)
local big = nn.LogSoftMax():forward(input(4, 500, 100))
nll('ClassNLL large', nn.ClassNLLCriterion(), big, torch.LongTensor(500):random(100))

-- copies and cmul between views, and zero of a view
for _, size in ipairs({{5, 7}, {32, 128}, {150, 150}}) do
   local a = views(1, size[1], size[2])
   local b = views(1, size[1], size[2])
   for i = 1, #a do
      for j = 1, #b do
         local label = string.format('%dx%d %s <- %s', size[1], size[2], a[i][1], b[j][1])
         local dst = a[i][2]:clone()
         local into = torch.Tensor(size[1] + 2, 2, size[2] + 1):zero()
         local view = into:narrow(1, 2, size[1]):select(2, 2):narrow(2, 1, size[2])
         view:copy(b[j][2])
         dst:cmul(b[j][2])
         local r = torch.Tensor(size[1], size[2]):cmul(a[i][2], b[j][2])
         if size[1] * size[2] <= 4096 then
            say('copy ' .. label, into)
            say('cmul ' .. label, dst)
            say('cmul3 ' .. label, r)
         else
            say('copy ' .. label .. ' sum', into:sum())
            say('cmul ' .. label .. ' sum', dst:sum())
            say('cmul3 ' .. label .. ' sum', r:sum())
         end
      end
   end
end
local z = input(1, 6, 9)
z:narrow(2, 2, 4):zero()
z:select(2, 8):zero()
say('zero views', z)
local l = torch.LongTensor(4, 6):random(1000)
local lt = torch.LongTensor(6, 4):copy(l:t())
say('long copy of a transpose', lt:double())
local bytes = torch.ByteTensor(3, 5):random(255)
say('byte copy of a narrow', torch.ByteTensor(3, 2):copy(bytes:narrow(2, 2, 2)):double())
