-- storages: printing, indexing and its errors (Torch7's C __index: '?', no line), the view
-- constructor's bounds, copies between types, element sizes, strings, tensors on storages
local function clean(e) return (tostring(e):gsub(' at /[^)]*%.c:%d+', '')) end
local function try(label, f) local ok, e = pcall(f) print(label, ok and 'OK' or clean(e)) end
local s = torch.DoubleStorage(3):fill(1.5)
print(s, s:size(), #s, s[1])
try('s[4]', function() local y = s[4] return y end)
try('s[0]', function() local y = s[0] return y end)
try('s[4]=', function() s[4] = 1 end)
try('s[a]=', function() s[1] = 'a' end)
try('resize(-1)', function() local y = s:resize(-1) return y end)
try('Storage({a})', function() local y = torch.DoubleStorage({'a'}) return y end)
try('Storage(s, 5)', function() local y = torch.DoubleStorage(s, 5) return y end)
try('Storage(s, 2, 5)', function() local y = torch.DoubleStorage(s, 2, 5) return y end)
print(torch.ByteStorage(2):fill(300), torch.CharStorage(2):fill(-1), torch.LongStorage{1, 2}:totable()[2])
print(s:copy(torch.FloatStorage{1, 2, 3}), torch.IntStorage(3):copy(s))
print(torch.LongStorage(2):fill(7).string ~= nil)
print(torch.type(s), s:elementSize(), torch.LongStorage():elementSize(), torch.ByteStorage():elementSize())
local t = torch.Tensor(s) print(t) t[1] = 9 print(s[1])
print(torch.Tensor(s, 2), torch.Tensor(s, 2, 1))
print(torch.CharStorage():string('hello'):string(), torch.ByteStorage():string('AB'))
