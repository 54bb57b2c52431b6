-- csvigo's large mode (records parsed when indexed, read-only) and argument errors.
require 'csvigo'
local tester = torch.Tester()

function test_large_mode()
   local p = os.tmpname()
   local f = io.open(p, 'w')
   for i = 1, 40 do f:write(i, ',"x,', i, '"\n') end
   f:close()
   local m = csvigo.load{path = p, mode = 'large', verbose = false}
   tester:eq(#m, 40)
   tester:eq(m[7], {'7', 'x,7'})
   local n = 0
   for i, rec in ipairs(m) do n = n + 1; assert(rec[1] == tostring(i)) end
   tester:eq(n, 40)
   tester:assertErrorPattern(function() m[1] = 3 end, 'read%-only')
   tester:assertErrorPattern(function() return m[41] end, 'index out of bounds: 41')
   local lines = {}
   for l in tostring(m):gmatch('[^\n]+') do lines[#lines + 1] = l end
   tester:eq(#lines, 31)      -- first 10, 10 ellipsis lines, last 11
   tester:eq(lines[11], '.. .. .. .. .. .. .. .. .. ')
   os.remove(p)
end

function test_positional_arguments_and_errors()
   local p = os.tmpname()
   csvigo.save(p, {{1, 2}, {3, 4}}, ';', 'raw', true, false)
   tester:eq(io.open(p):read('*a'), '1;2\n3;4\n')
   local t = csvigo.load{path = p, separator = ';', verbose = false, header = false}
   tester:eq(t.var_2, {'2', '4'})
   tester:assertErrorPattern(function() csvigo.load{mode = 'raw'} end, 'missing argument path')
   tester:assertErrorPattern(function() csvigo.load{path = p, mode = 'x', verbose = false} end,
      'unknown mode')
   tester:assertErrorPattern(function() csvigo.load{path = p .. '.none', verbose = false} end,
      'No such file')
   os.remove(p)
end
