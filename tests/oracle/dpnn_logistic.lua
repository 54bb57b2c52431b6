-- BinaryLogisticRegression (N x 1 against N and the reverse: gradInput takes the input's shape)
-- and SpatialBinaryLogisticRegression (gradInput the target's shape)
require 'dpnn'
local c = nn.BinaryLogisticRegression()
local x, t = torch.Tensor{{0.3}, {-1.2}, {2}}, torch.Tensor{1, -1, -1}
print(c:forward(x, t), c:backward(x, t))
print(c:forward(x:view(3), t:view(3, 1)), c:backward(x:view(3), t:view(3, 1)))
local s = nn.SpatialBinaryLogisticRegression()
print(s:forward(torch.Tensor(1, 2, 2):fill(0.5), torch.Tensor{{{1, -1}, {-1, 1}}}), s:backward(torch.Tensor(1, 2, 2):fill(0.5), torch.Tensor{{{1, -1}, {-1, 1}}}))
