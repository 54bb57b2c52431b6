-- The bytes torch.save / torch.serialize write (ascii and binary) for numbers, strings, tables
-- with array parts only (a hash part's order is random in both runtimes), tensors and storages of
-- every type, views, and the values THFile writes as C's printf does: -0 (a Lua number crossing
-- as an integer must keep its sign), NaN with its sign bit set ("-nan", as 0/0 is on x86), inf;
-- a numeric string given to writeDouble counts as its number. Read back, every value keeps its bits.
local TMP = os.tmpname()
local function esc(s) return (s:gsub('[^%g ]', function(c) return string.format('\\%03d', c:byte()) end)) end
local function fileBytes(path)
   local f = io.open(path, 'rb'); local s = f:read('*a'); f:close()
   return s
end
local function show(name, obj)
   torch.save(TMP, obj, 'ascii')
   local a = fileBytes(TMP)
   print(name .. ' ascii', #a, esc(a))
   torch.save(TMP, obj)
   local b = fileBytes(TMP)
   print(name .. ' bin', #b, esc(b))
   print(name .. ' ser', torch.serialize(obj) == b, torch.serialize(obj, 'ascii') == a)
   local back = torch.load(TMP)
   if torch.isTensor(back) and back:nElement() > 0 then
      local parts = {}
      for i = 1, back:nElement() do
         local v = back:contiguous():view(-1)[i]
         parts[i] = (v == 0 and 1 / v < 0) and '-0' or string.format('%.17g', v)
      end
      print(name .. ' back', torch.typename(back), table.concat(parts, ' '))
   end
end
show('int', 3)
show('float', 0.1)
show('big', 2^53 + 2)
show('neg0', -0.0)
show('inf', 1/0)
show('ninf', -1/0)
show('nan', 0/0)
show('posnan', -(0/0))
show('tiny', 5e-324)
show('str', 'hello\nworld\0x')
show('bools', {true, false})
show('arr', {1, 2, 'x', {3, -0.0}})
show('same twice', (function() local t = {1} return {t, t} end)())
show('double', torch.Tensor{1.5, -2, 1/3, -0.0, 0/0, -(0/0), 1/0, -1/0})
show('float', torch.FloatTensor{1.5, -2, 1/3, 0.1, -0.0, 0/0, 1e-40})
show('long', torch.LongTensor{1, -2, 2^40})
show('int', torch.IntTensor{1, -2, 7})
show('short', torch.ShortTensor{1, -2, 7})
show('char', torch.CharTensor{1, -2, 7})
show('byte', torch.ByteTensor{1, 2, 255})
show('empty', torch.Tensor())
show('2d', torch.Tensor{{1, 2, 3}, {4, 5, 6}})
show('transposed', torch.Tensor{{1, 2, 3}, {4, 5, 6}}:t())
show('narrowed', torch.range(1, 10):narrow(1, 3, 4))
show('expanded', torch.Tensor{5}:expand(3))
show('storage', torch.DoubleStorage{1, -0.0})
show('fstorage', torch.FloatStorage{1.25, 2})
show('bstorage', torch.ByteStorage{65, 66})
show('lstorage', torch.LongStorage{65, 66})
show('shared storage', (function() local s = torch.Tensor{1, 2, 3} return {s, s:narrow(1, 2, 2)} end)())
local gen = torch.Generator()
torch.manualSeed(gen, 5)
torch.uniform(gen)
show('generator', gen)
for _, mode in ipairs{'ascii', 'binary'} do
   local f = torch.MemoryFile('rw')
   if mode == 'binary' then f:binary() end
   f:writeDouble(-0.0); f:writeFloat(-0.0); f:writeDouble(0/0); f:writeFloat(0/0)
   f:writeDouble('2.5'); f:writeInt('0x10'); f:writeObject(-0.0)
   f:seek(1)
   local a, b, c, d, e, g, h = f:readDouble(), f:readFloat(), f:readDouble(), f:readFloat(),
      f:readDouble(), f:readInt(), f:readObject()
   print(mode, 1 / a, 1 / b, c, d, e, g, 1 / h)
   print(mode, pcall(f.writeDouble, f, 'x'))
   if mode == 'ascii' then print(esc(f:storage():string())) end
   f:close()
end
os.remove(TMP)
