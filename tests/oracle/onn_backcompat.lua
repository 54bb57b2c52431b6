-- Modules as older nn saved them (fields missing or in their old form) run as Torch7 runs them:
-- SpatialConvolution with one `padding` and matrix weights, SpatialConvolutionMM with
-- `padding`, Threshold/ReLU without `inplace`, SpatialMaxPooling without ceil_mode/padding,
-- SpatialFullConvolution without adj, Dropout without v2; the fields they hold afterwards,
-- and the same through a file.
dofile 'lib/dump.lua'
require 'nn'
torch.manualSeed(5)
local function keys(m)
   local ks = {}
   for k, v in pairs(m) do ks[#ks + 1] = k .. (torch.isTensor(v) and '(' .. table.concat(v:size():totable(), 'x') .. ')' or '') end
   table.sort(ks)
   return table.concat(ks, ' ')
end
local x = torch.randn(2, 2, 5, 5)
local conv = nn.SpatialConvolution(2, 3, 3, 3, 1, 1, 1, 1)
conv.padding = 1; conv.padW = nil; conv.padH = nil
conv.weight = conv.weight:view(3, 18); conv.gradWeight = conv.gradWeight:view(3, 18)
local mm = nn.SpatialConvolutionMM(2, 3, 3, 3)
mm.padding = 2; mm.finput = nil; mm.fgradInput = nil
local relu = nn.ReLU(); relu.inplace = nil
local thr = nn.Threshold(0.1, -1); thr.inplace = nil
local mp = nn.SpatialMaxPooling(2, 2); mp.ceil_mode = nil; mp.padW = nil; mp.padH = nil
local full = nn.SpatialFullConvolution(2, 2, 3, 3, 2, 2); full.adjW = nil; full.adjH = nil
local drop = nn.Dropout(0.5); drop.v2 = nil
for _, case in ipairs({{'conv', conv, x}, {'mm', mm, x}, {'relu', relu, x}, {'thr', thr, x},
      {'maxpool', mp, x}, {'full', full, x}, {'drop', drop, x}}) do
   local name, m, input = case[1], case[2], case[3]
   torch.manualSeed(1)
   local o = m:forward(input)
   dump(name .. ' out', o:sum())
   local gi = m:backward(input, o:clone():fill(1))
   dump(name .. ' gi', gi:sum())
   -- (the full convolution's column buffers are kept in another shape here)
   if name ~= 'full' then print(name, keys(m)) end
   m:evaluate()
   dump(name .. ' eval', m:forward(input):sum())
end
local TMP = os.tmpname()
local c2 = nn.SpatialConvolution(2, 3, 3, 3)
c2.padding = 1; c2.padW = nil; c2.padH = nil
torch.save(TMP, c2)
local c3 = torch.load(TMP)
os.remove(TMP)
print(c3)
dump('loaded out', c3:forward(x):sum())
print('loaded', keys(c3))
