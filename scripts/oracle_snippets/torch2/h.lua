-- the helpers tests/oracle's files use (the snippets run from nn/ or torch/)
dofile '../../../tests/oracle/lib/dump.lua'
local dump0 = dump
function dump(name, t)
   if torch.isTensor(t) and t:nElement() == 0 then print(name, torch.typename(t), 'empty') return end
   if type(t) == 'table' then
      for i, v in ipairs(t) do dump(name .. '[' .. i .. ']', v) end
      return
   end
   return dump0(name, t)
end
