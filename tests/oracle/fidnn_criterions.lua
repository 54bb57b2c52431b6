-- Criterions with class weights, sizeAverage off (constructor or field), ignored classes (all rows
-- ignored: a +0 loss), repeated targets, margins: every loss and gradient to 17 digits.
dofile 'lib/dump.lua'
require 'nn'
torch.manualSeed(13)
local function c(name, crit, input, target)
   dump(name .. ' loss', crit:forward(input, target))
   dump(name .. ' grad', crit:backward(input, target))
end
local x = torch.randn(4, 3)
local t = torch.Tensor{1, 3, 2, 3}
c('MultiMargin w', nn.MultiMarginCriterion(1, torch.Tensor{1, 2, 0.5}), x, t)
c('MultiMargin w margin', nn.MultiMarginCriterion(1, torch.Tensor{1, 2, 0.5}, 0.3), x, t)
c('MLSM w', nn.MultiLabelSoftMarginCriterion(torch.Tensor{1, 2, 0.5}), x, torch.rand(4, 3):gt(0.5):double())
c('BCE batch w', nn.BCECriterion(torch.Tensor{1, 2, 0.5}), torch.rand(4, 3), torch.rand(4, 3):gt(0.5):double())
local ce = nn.CrossEntropyCriterion(torch.Tensor{1, 2, 0.5}); ce.nll.sizeAverage = false
c('CE w nosa', ce, x, t)
c('CE nosa ctor', nn.CrossEntropyCriterion(nil, false), x, t)
local nll = nn.ClassNLLCriterion(nil, true, 2)
c('NLL ignoreIndex ctor', nll, nn.LogSoftMax():forward(x):clone(), t)
local allign = nn.ClassNLLCriterion(nil, true, 3)
c('NLL all ignored?', allign, nn.LogSoftMax():forward(x):clone(), torch.Tensor{3, 3, 3, 3})
c('SpatialNLL w', nn.SpatialClassNLLCriterion(torch.Tensor{1, 2, 0.5}), nn.LogSoftMax():forward(torch.randn(2, 3, 2, 2)):clone(), torch.Tensor(2, 2, 2):random(1, 3))
c('Parallel repeat', nn.ParallelCriterion(true):add(nn.MSECriterion()):add(nn.AbsCriterion(), 0.3), {x, x:clone():mul(2)}, torch.randn(4, 3))
c('Smooth nosa', nn.SmoothL1Criterion(false), x, torch.randn(4, 3))
local h = nn.HingeEmbeddingCriterion(1); h.sizeAverage = false
c('Hinge nosa', h, torch.randn(4), torch.Tensor{1, -1, -1, 1})
c('CosEmb batch margin', nn.CosineEmbeddingCriterion(0.5), {torch.randn(4, 3), torch.randn(4, 3)}, torch.Tensor{1, -1, -1, 1})
local mr = nn.MarginRankingCriterion(0.5); mr.sizeAverage = false
c('MarginRank nosa', mr, {torch.randn(4), torch.randn(4)}, torch.Tensor{1, -1, -1, 1})
c('MarginRank scalar', nn.MarginRankingCriterion(0.5), {torch.randn(1), torch.randn(1)}, 1)
c('KLDiv nosa field', (function() local k = nn.DistKLDivCriterion(); k.sizeAverage = false; return k end)(), nn.LogSoftMax():forward(x):clone(), torch.rand(4, 3))
c('L1HingeEmb', nn.L1HingeEmbeddingCriterion(0.5), {torch.randn(3), torch.randn(3)}, -1)
c('MultiLabelMargin 1d', nn.MultiLabelMarginCriterion(), torch.randn(4), torch.LongTensor{3, 1, 0, 0})
c('ClassSimplex', nn.ClassSimplexCriterion(3), torch.randn(4, 3), t)
c('DistanceRatio', nn.DistanceRatioCriterion(), {torch.randn(4), torch.randn(4)}, nil)
