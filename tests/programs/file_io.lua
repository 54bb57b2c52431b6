-- torch.DiskFile / MemoryFile primitives, ascii and binary, as data-loading code uses them
torch.manualSeed(1)
local fname = os.tmpname()
local f = torch.DiskFile(fname, 'w')
f:writeInt(42)
f:writeDouble(3.25)
f:writeString('hello\n')
f:writeObject({a = 1, t = torch.range(1, 3)})
f:close()
local g = torch.DiskFile(fname, 'r')
print(g:readInt(), g:readDouble())
print(g:readString('*l'))
local obj = g:readObject()
print(obj.a, obj.t)
g:close()

local b = torch.DiskFile(fname, 'w'):binary()
b:writeFloat(torch.FloatStorage({1.5, 2.5}))
b:writeLong(7)
b:close()
local rb = torch.DiskFile(fname, 'r'):binary()
local fs = rb:readFloat(2)
print(fs[1], fs[2], rb:readLong())
rb:close()

-- a text data file read line by line, parsed into a tensor
local tf = io.open(fname, 'w')
for i = 1, 5 do tf:write(string.format('%d,%.2f,%.2f\n', i, i * 0.5, i * i)) end
tf:close()
local rows = {}
for line in io.lines(fname) do
   local r = {}
   for v in line:gmatch('[^,]+') do r[#r + 1] = tonumber(v) end
   rows[#rows + 1] = r
end
local data = torch.Tensor(rows)
print(data)
assert(data:size(1) == 5 and data[5][3] == 25)
os.remove(fname)

local mf = torch.MemoryFile('rw')
mf:writeObject(torch.randn(2, 2))
mf:seek(1)
local back = mf:readObject()
print(torch.type(back), back:size(1))
local s = mf:storage()
print(torch.type(s), s:size() > 0)
mf:close()
local t7 = os.tmpname()
torch.save(t7, torch.IntTensor{1, 2, 3})
print(torch.load(t7))
os.remove(t7)
