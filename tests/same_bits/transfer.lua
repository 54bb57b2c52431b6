-- Transfer modules forward and backward on 200 values: sums printed to the last digit (C
-- library's exp, log, tanh, pow where THNN and TH call them; THNN's mixed float/double maths).
dofile(paths.concat(paths.dirname(paths.thisfile()), 'common.lua'))
torch.manualSeed(7)
local x = torch.randn(200):mul(4)
local g = torch.randn(200)
local mods = {nn.ELU(), nn.SoftPlus(), nn.Exp(), nn.LogSigmoid(), nn.Tanh(), nn.Sigmoid(),
   nn.SoftMax(), nn.LogSoftMax(), nn.SoftMin(), nn.Power(2.5), nn.Power(3), nn.Square(),
   nn.Sqrt(), nn.Abs(), nn.HardTanh(), nn.LeakyReLU(0.1), nn.TanhShrink(), nn.SoftSign(), nn.Log()}
for _, m in ipairs(mods) do
   local inp = x
   local name = torch.type(m)
   if name == 'nn.Sqrt' or name == 'nn.Power' or name == 'nn.Log' then inp = x:clone():abs() end
   local o = m:forward(inp)
   local gi = m:backward(inp, g)
   show(name .. ' output', o:sum())
   show(name .. ' gradInput', gi:sum())
end
