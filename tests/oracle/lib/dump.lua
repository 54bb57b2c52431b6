-- Helpers shared by tests/oracle/fidnn_*.lua and scripts/oracle_snippets (dofile'd from the
-- running script's folder): dump prints a tensor, a table of them or a number to 17 digits;
-- perr runs f under pcall and prints its error without positions, TH's C file and traceback.
function dump(name, t)
   if type(t) == 'table' then
      for i, v in ipairs(t) do dump(name .. '[' .. i .. ']', v) end
      return
   end
   if type(t) == 'number' then print(name, string.format('%.17g', t)) return end
   local f = t:double():contiguous():view(-1)
   local parts = {}
   for i = 1, f:nElement() do parts[#parts+1] = string.format('%.17g', f[i]) end
   print(name, torch.typename(t), table.concat(t:size():totable(), 'x'), table.concat(parts, ' '))
end
function clean(e)
   e = tostring(e)
   e = e:gsub('\nstack traceback:.*', '')
   e = e:gsub(' at /[^\n]*%.c:%d+', '')
   local lines = {}
   for l in (e .. '\n'):gmatch('(.-)\n') do
      lines[#lines+1] = l:gsub('^[^ :]*%.lua:%d+: ', '')
   end
   return table.concat(lines, '\n')
end
function perr(name, f, ...)
   local ok, e = pcall(f, ...)
   if ok then print(name, 'ok') else print(name, clean(e)) end
end
