-- pl.lapp as th gives it: lapp.out is real th's output for this script (Penlight 1.13)
arg[0] = 'myscript.lua'  -- lapp names the script in its errors
local lapp = require 'pl.lapp'
local pretty = require 'pl.pretty'
lapp.show_usage_error = 'throw'
local spec = [[
Scales a number
  -o,--offset (default 0.0)  added after scaling
  -s,--scale  (number)       scaling factor
  -v,--verbose               print more
  -n (1..10 default 3)       a count
  -m,--mode (fast|slow default fast) the mode
  --name-with-dash (default abc) a name
  -q (optional string) maybe
  <number>    (number)       the number to scale
  <rest...> (optional string) the rest
]]
local cases = {
  {'-s', '2', '5'}, {'--scale=3', '-v', '7', 'a', 'b'}, {'-s2', '-vo', '1.5', '8'},
  {'-s', '2', '-n', '11', '1'}, {'-s', '2', '-m', 'medium', '1'}, {'1'}, {'-s', 'x', '1'},
  {'-s', '2', '--bogus', '1'}, {'-s', '2', '--', '-5'}, {'-s', '2', '-m', 'slow', '--name-with-dash', 'zz', '-q', 'hi', '3'},
  {'-s:4', '9'}, {'-s', '2'},
}
for i, c in ipairs(cases) do
  local ok, res = pcall(lapp, spec, c)
  if ok then print(i, pretty.write(res, '')) else print(i, 'error', (tostring(res):gsub('^.-:%d+: ', ''))) end
end
local ok, res = pcall(lapp, "  -f,--file (default stdin) input\n  -x (file-out default stdout) out\n", {})
print(ok, io.type(res.file), res.x == io.stdout, res.file_name, res.x_name)
lapp.add_type('integer', 'number', function(x) lapp.assert(math.floor(x) == x, 'not an integer') end)
print(pcall(lapp, "  -k (integer) count\n", {'-k', '4'}))
print((select(2, pcall(lapp, "  -k (integer) count\n", {'-k', '4.5'})):gsub('^.-:%d+: ', '')))
print(pretty.write(lapp("  <files...> (string) files\n  -z flag\n", {'a', '-z', 'b'}), ''))
