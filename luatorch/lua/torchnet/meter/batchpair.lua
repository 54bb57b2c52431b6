-- (output, target) of a multi-label meter as two batch x classes matrices of the same size:
-- a vector is one sample; anything else than 1-D or 2-D is an error in torchnet's words
return function(output, target)
   output = output:squeeze()
   if output:nDimension() == 1 then
      output = output:view(1, output:size(1))
   else
      assert(output:nDimension() == 2, 'wrong output size (1D or 2D expected)')
   end
   if target:nDimension() == 1 then
      target = target:view(1, target:size(1))
   else
      assert(target:nDimension() == 2, 'wrong target size (1D or 2D expected)')
   end
   for s = 1, #output:size() do
      assert(output:size(s) == target:size(s),
             string.format('target and output do not match on dim %d', s))
   end
   return output, target
end
