-- a module found through package.path set from the script's folder
local util = {}
function util.accuracy(out, y)
   local _, pred = out:max(2)
   return pred:view(-1):double():eq(y):double():mean()
end
return util
