-- string.format and tostring of numbers, as Torch7's LuaJIT (2.1.0-beta3) gives them: exact
-- binary ties round away from zero (0.0625 at %.3f is 0.063), tiny numbers print as zeros.
-- Plain Lua: no torch needed (the golden output comes from that LuaJIT itself).
local fmts = {'%.0f', '%.1f', '%.2f', '%.3f', '%.4f', '%.6f', '%f', '%.10f', '%.0e', '%.1e',
   '%.2e', '%.4e', '%e', '%.1g', '%.2g', '%.3g', '%.6g', '%g', '%.10g', '%.14g', '%.15g',
   '%.17g', '%10.3f', '%-12.4e|', '%+.3g', '%#.3g', '%#.0f', '%.3G', '%.2E', '%08.3f', '% .2f'}
local fixed = {0, 1 / 0, -1 / 0, 0.0625, 0.125, 0.5, 1.5, 2.5, -2.5, 0.25, 1e-5, 123.456, 1 / 3,
   146.403564453125, 1e300, 1e-300, -1e-300, 5e-324, 2^53, 2^63, 0.1, 1234.5, 9.5, 99.5, 0.95,
   123456789.125, 2050, 1e21, -1e-7}
local seed = 12345
local function rnd()
   seed = (seed * 1103515245 + 12345) % 2147483648
   return seed
end
local vals = {}
for _, v in ipairs(fixed) do vals[#vals + 1] = v end
for _ = 1, 150 do
   vals[#vals + 1] = (rnd() % 100000 - 50000) / 2^(rnd() % 40)
   vals[#vals + 1] = (rnd() % 1000) * 10^(rnd() % 30 - 15)
   vals[#vals + 1] = (rnd() / 2147483648) * 2^(rnd() % 60 - 30)
   vals[#vals + 1] = (rnd() % 20000) * 5^(rnd() % 10) * 2^(rnd() % 12)
end
for _, v in ipairs(vals) do
   local line = {}
   for _, f in ipairs(fmts) do line[#line + 1] = string.format(f, v) end
   line[#line + 1] = tostring(v)
   io.write(table.concat(line, ' '), '\n')
end
io.write(string.format('%s|%5.1f|%d|%x|%-6s|%q|%%|%.2f%%', 'a', 0.25, 42, 255, 'b', 'c', 0.125), '\n')
io.write(string.format('%.3f', '0.0625'), ' ', ('%.1f'):format(0.25), '\n')
