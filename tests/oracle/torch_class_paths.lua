-- torch.class('a.b.C') needs the enclosing modules to exist already: nothing is created on the
-- way, and the error names the first missing part (luaT_newmetatable)
require 'torch'
local function try(...)
   local ok, err = pcall(torch.class, ...)
   if ok then return 'ok' end
   return (err:gsub('^.-:%d+: ', ''))
end
print(try('zz.Y'))
print(type(rawget(_G, 'zz')))
zz = {}
print(try('zz.Y'), torch.type(zz.Y()))
print(try('a.b.C'), type(rawget(_G, 'a')))
zz.q = 3
print(try('zz.q.R'))
print(try('TopLevelClass'), torch.type(TopLevelClass()))
