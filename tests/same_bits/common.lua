-- Shared by the same-bits scripts: the tensor type from the command line ('double' or 'float';
-- a second argument, where a script reads one, is its number of training steps)
-- and one way of printing a number (to the last digit Torch7's printing of a loss shows).
require 'nn'
local kind = arg and arg[1] or 'double'
torch.setdefaulttensortype(kind == 'float' and 'torch.FloatTensor' or 'torch.DoubleTensor')
function show(label, v)
   io.write(string.format('%s %.14g', label, v), '\n')
end
return kind
