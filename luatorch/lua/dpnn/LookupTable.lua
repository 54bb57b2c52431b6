-- LookupTable's weight is nIndex x nOutput (the transpose of Linear's), so maxParamNorm
-- renormalises its columns for the output norm and its rows for the input norm
local LookupTable = nn.LookupTable

function LookupTable:maxParamNorm(maxOutNorm, maxInNorm)
   maxOutNorm = self.maxOutNorm or maxOutNorm or self.maxInNorm or maxInNorm
   if not (maxOutNorm or maxInNorm) then return end
   if maxOutNorm and maxOutNorm > 0 then self.weight:renorm(2, 2, maxOutNorm) end
   if maxInNorm and maxInNorm > 0 then self.weight:renorm(2, 1, maxInNorm) end
end
