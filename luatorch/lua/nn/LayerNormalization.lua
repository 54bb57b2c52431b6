-- Layer normalization (Ba, Kiros and Hinton, https://arxiv.org/abs/1607.06450, section 3) as
-- Torch7's nn builds it: a Sequential of existing modules over (batch x nOutput) inputs,
-- subtracting each row's mean, dividing by its L2 norm (eps added) and scaling by
-- sqrt(nOutput), then an optional gain (CMul, 1) and bias (Add, `bias` or 0). The modules, their
-- order and the draws their constructors make are Torch7's, so printing, parameters() and the
-- random stream after construction agree.
local LayerNormalization, parent = torch.class('nn.LayerNormalization', 'nn.Sequential')

function LayerNormalization:__init(nOutput, bias, eps, affine)
   parent.__init(self)
   eps = eps or 1e-10
   if affine == nil then affine = true end
   bias = bias or 0

   local rowMean = nn.Sequential():add(nn.Mean(1, 1)):add(nn.Replicate(nOutput, 1, 1))
   self:add(nn.ConcatTable():add(nn.Identity()):add(rowMean))
   self:add(nn.CSubTable())
   self:add(nn.Normalize(2, eps))
   self:add(nn.MulConstant(torch.sqrt(nOutput)))

   if affine then
      -- built bias first, gain second (their resets draw in this order), added gain first
      local shift = nn.Add(nOutput, false)
      shift.bias:fill(bias)
      local gain = nn.CMul(nOutput)
      gain.weight:fill(1)
      self:add(gain)
      self:add(shift)
   end
end
