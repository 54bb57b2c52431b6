-- Shared by the same-bits scripts: the tensor type from the command line ('double' or 'float';
-- a second argument, where a script reads one, is its number of training steps)
-- and two ways of printing results: a number (to the last digit Torch7's printing of a loss
-- shows) and a long tensor as a hash of its bits (showBits).
require 'nn'
local kind = arg and arg[1] or 'double'
torch.setdefaulttensortype(kind == 'float' and 'torch.FloatTensor' or 'torch.DoubleTensor')
function show(label, v)
   io.write(string.format('%s %.14g', label, v), '\n')
end

-- a tensor as its length, first element and a hash of every bit of every element (the low
-- and high words of each double hashed apart), for results too long to print whole
local bits = require('ffi').new('union { double d; uint32_t u[2]; }')
function showBits(label, t)
   local f = t:contiguous():view(t:nElement())
   local h1, h2 = 0, 0
   for i = 1, f:size(1) do
      bits.d = f[i]
      h1 = (h1 * 31 + bits.u[0]) % 4294967296
      h2 = (h2 * 37 + bits.u[1]) % 4294967296
   end
   io.write(string.format('%s n=%d first=%a hash=%d/%d', label, f:size(1), f[1], h1, h2), '\n')
end
return kind
