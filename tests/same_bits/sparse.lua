-- Sparse layers and the tensor operations their tests lean on, every element printed: nn's
-- IndexLinear (forward, backward, updateParameters, backwardUpdate, with 1, 5 and 60 outputs:
-- THNN's three code paths, 60 through BLAS's axpy; keys repeated within and across samples;
-- weight decay), SparseLinear (an entry added to a row or column several times) and
-- torch.randperm / scatter.
local kind = dofile(paths.concat(paths.dirname(paths.thisfile()), 'common.lua'))
torch.manualSeed(5)

local function values(x)
   local t = {}
   local flat = x:contiguous():view(-1)
   for i = 1, flat:size(1) do t[i] = string.format('%.14g', flat[i]) end
   return table.concat(t, ' ')
end

local function say(name, x)
   io.write(name, ': ', torch.isTensor(x) and values(x) or string.format('%.14g', x), '\n')
end

-- a batch of 3 samples over 7 keys (keys repeated), as lists and in the flat form
local function batch()
   local keys = {torch.LongTensor{3, 1, 3, 7}, torch.LongTensor{2}, torch.LongTensor{7, 7, 5}}
   local vals = {torch.randn(4), torch.randn(1), torch.randn(3)}
   return {keys, vals}
end

for _, outputs in ipairs({1, 5, 60}) do
   for _, decay in ipairs({0, 0.1}) do
      local name = string.format('IndexLinear %d decay %g', outputs, decay)
      local m = nn.IndexLinear(7, outputs)
      m:reset()
      m.weightDecay = decay
      local input = batch()
      for pass = 1, 2 do
         local out = m:forward(input)
         local g = out:clone():uniform(-1, 1)
         m:backward(input, g, 0.5)
      end
      say(name .. ' output', m.output)
      say(name .. ' gradBias', m.gradBias)
      say(name .. ' gradWeight', m.running.gradWeight[2])
      m:updateParameters(0.3)
      say(name .. ' weight', m.weight)
      say(name .. ' bias', m.bias)
      local out = m:forward(input)
      m:backwardUpdate(input, out:clone():uniform(-1, 1), 0.7)
      say(name .. ' weight after backwardUpdate', m.weight)
      say(name .. ' bias after backwardUpdate', m.bias)
      local single = {torch.LongTensor{4, 6, 4}, torch.randn(3)}
      say(name .. ' single output', m:forward(single))
   end
end

local s = nn.SparseLinear(6, 4)
local input = torch.Tensor{{2, 0.5}, {4, -1}, {2, 0.25}, {6, 2}}
for pass = 1, 2 do
   s:forward(input)
   s:backward(input, torch.randn(4), 0.5)
end
say('SparseLinear output', s.output)
say('SparseLinear gradWeight', s.gradWeight)
local b = {torch.Tensor{{1, 1.5}, {3, 2}, {1, -0.5}}, torch.Tensor{{5, 1}, {3, 3}}}
s:zeroGradParameters()
s:forward(b)
s:backward(b, torch.randn(2, 4), 1)
say('SparseLinear batch output', s.output)
say('SparseLinear batch gradWeight', s.gradWeight)
say('SparseLinear batch gradBias', s.gradBias)

say('randperm', torch.randperm(50))
local x = torch.zeros(4, 6)
x:scatter(2, torch.LongTensor{{1, 3, 1}, {6, 6, 2}, {2, 2, 2}, {5, 4, 3}}, torch.randn(4, 3))
say('scatter', x)
x:scatter(1, torch.LongTensor{{4, 4, 1, 2, 2, 2}}, 0.5)
say('scatter value', x)
