local function clean(e) return (tostring(e):gsub(' at /[^)]*%.c:%d+', '')) end
local function try(label, f) local ok, e = pcall(f) print(label, ok and 'OK' or clean(e)) end
try('conv2 1d', function() local y = torch.conv2(torch.Tensor(3), torch.Tensor(2)) return y end)
try('conv2 big kernel', function() local y = torch.conv2(torch.Tensor(2, 2), torch.Tensor(3, 3)) return y end)
try('conv2 mode', function() local y = torch.conv2(torch.Tensor(3, 3), torch.Tensor(2, 2), 'X') return y end)
try('xcorr2 1d', function() local y = torch.xcorr2(torch.Tensor(3), torch.Tensor(2, 2)) return y end)
try('conv3 2d', function() local y = torch.conv3(torch.Tensor(3, 3), torch.Tensor(2, 2)) return y end)
try('conv2 3d/2d', function() local y = torch.conv2(torch.ones(2, 3, 3), torch.ones(2, 2)) return y:size() end)
try('conv2 3d/3d', function() local y = torch.conv2(torch.ones(2, 3, 3), torch.ones(2, 2, 2)) return y:size() end)
try('conv2 3d/4d', function() local y = torch.conv2(torch.ones(2, 3, 3), torch.ones(4, 2, 2, 2)) return y end)
try('scatter src', function() local y = torch.Tensor(2, 2):scatter(1, torch.LongTensor{{1, 2}}, torch.Tensor(1, 1)) return y end)
try('randperm 0', function() local y = torch.randperm(0) return y end)
try('randperm -1', function() local y = torch.randperm(-1) return y end)
