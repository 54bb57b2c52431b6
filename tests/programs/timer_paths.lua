-- torch.Timer, os.time seeding, paths, sys, gnuplot calls made by typical scripts
require 'paths'
require 'sys'
require 'gnuplot'
local seed = os.time()
torch.manualSeed(seed)
print(type(torch.initialSeed()), torch.initialSeed() == seed)
math.randomseed(seed)
local timer = torch.Timer()
local s = 0
for i = 1, 1e5 do s = s + i end
local t = timer:time()
print(type(t.real), type(t.user), type(t.sys))
assert(t.real >= 0)
timer:stop()
local t1 = timer:time().real
timer:resume()
timer:reset()
assert(timer:time().real < 1)
print(sys.clock() > 0, type(sys.clock()))
sys.tic()
local e = sys.toc()
print(type(e))

print(paths.basename('/a/b/c.t7'), paths.dirname('/a/b/c.t7'), paths.extname('/a/b/c.t7'))
print(paths.basename('/a/b/c.t7', 't7'))
print(paths.concat('a', 'b', 'c.lua'))
print(paths.filep(paths.thisfile()), paths.dirp(paths.dirname(paths.thisfile())))
local dir = paths.tmpname()
os.remove(dir)
assert(paths.mkdir(dir))
for i = 1, 3 do
   local f = io.open(paths.concat(dir, 'file' .. i .. '.txt'), 'w')
   f:write('hello ' .. i .. '\n')
   f:close()
end
local names = {}
for f in paths.files(dir) do
   if f:match('%.txt$') then names[#names + 1] = f end
end
table.sort(names)
print(table.concat(names, ','))
local count = 0
for f in paths.iterfiles(dir) do count = count + 1 end
print(count)
assert(count == 3)
print(paths.home ~= nil, type(paths.cwd()))
paths.rmall(dir, 'yes')
print(paths.dirp(dir))

-- gnuplot: tutorials call these; they must not crash without a display
local x = torch.linspace(-3, 3, 50)
local ok, err = pcall(function()
   gnuplot.figure(1)
   gnuplot.plot({'sin', x, torch.sin(x), '-'}, {'cos', x, torch.cos(x), '+'})
   gnuplot.title('trig')
   gnuplot.xlabel('x')
   gnuplot.ylabel('y')
   gnuplot.grid(true)
   gnuplot.pngfigure(os.tmpname() .. '.png')
   gnuplot.plot(x, x:clone():pow(2))
   gnuplot.plotflush()
   gnuplot.close()
end)
print('gnuplot ok', ok, ok and '' or err)
