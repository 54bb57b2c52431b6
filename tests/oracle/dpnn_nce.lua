-- nn.NCEModule + nn.NCECriterion, seeded: the alias sampler's draws, forward (shared and
-- per-row noise), backward, the parameter gradients, Z estimation, normalised evaluation
require 'dpnn'
local function show(name, t) print(name, torch.type(t), t:contiguous():view(-1)) end

torch.manualSeed(7)
local unigrams = torch.Tensor{3, 1, 4, 1, 5, 9, 2, 6}
local nce = nn.NCEModule(4, 8, 3, unigrams:clone())
print(nce)
local crit = nn.NCECriterion()
local input, target = torch.randn(2, 4), torch.LongTensor{2, 6}
for _, batchnoise in ipairs{true, false} do
   nce.batchnoise = batchnoise
   nce:zeroGradParameters()
   local out = nce:forward({input, target})
   print('batchnoise', batchnoise, 'Z', nce.Z[1], 'samples', nce.sampleidx:view(-1))
   for i = 1, 4 do show('output' .. i, out[i]) end
   local loss = crit:forward(out)
   print(string.format('loss %.10f', loss))
   local gradOut = crit:backward(out)
   for i = 1, 4 do show('critGrad' .. i, gradOut[i]) end
   local gradIn = nce:backward({input, target}, gradOut)
   show('gradInput', gradIn[1])
   show('gradTarget', gradIn[2])
   show('gradWeight', nce.gradWeight)
   show('gradBias', nce.gradBias)
end

-- a given Z is used as is; no estimation message
local nce2 = nn.NCEModule(3, 5, 2, torch.Tensor{1, 1, 2, 2, 4}, 2.5)
local out = nce2:forward({torch.randn(3, 3), torch.LongTensor{1, 5, 3}})
show('Z=2.5 Pmt', out[1])
show('Z=2.5 Pns', out[4])

-- evaluation: normalised softmax over all classes
nce:evaluate()
nce.normalized = true
show('softmax', nce:forward({input, target}))
nce.logsoftmax = true
show('logsoftmax', nce:forward({input, target}))
