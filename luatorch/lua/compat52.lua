-- pairs and ipairs honour a metatable's __pairs and __ipairs, as in Torch's LuaJIT (built with
-- Lua 5.2 compatibility); packages whose objects iterate that way (tds, csvigo's large mode)
-- require this. Installed once per state.
if not rawget(_G, '__luatorch_compat52') then
   local rawpairs, rawipairs = pairs, ipairs
   function pairs(t)
      local mt = getmetatable(t)
      local f = type(mt) == 'table' and rawget(mt, '__pairs')
      if f then return f(t) end
      return rawpairs(t)
   end
   function ipairs(t)
      local mt = getmetatable(t)
      local f = type(mt) == 'table' and rawget(mt, '__ipairs')
      if f then return f(t) end
      return rawipairs(t)
   end
   rawset(_G, '__luatorch_compat52', true)
end
return true
