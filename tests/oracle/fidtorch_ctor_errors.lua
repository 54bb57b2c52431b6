-- torch.Tensor(...) constructor errors as Torch7's (its C constructor: '?' and no line), nested tables
-- of numbers (sizes follow the first elements; invalid tensor sizes/definition/element), cross and
-- range errors
local function clean(e) return (tostring(e):gsub(' at /[^)]*%.c:%d+', '')) end
print(clean(select(2, pcall(torch.Tensor, 'a'))))
print(clean(select(2, pcall(torch.Tensor, true))))
print(clean(select(2, pcall(torch.LongTensor, 'a'))))
print(clean(select(2, pcall(torch.Tensor, torch.LongTensor(2)))))
print(clean(select(2, pcall(torch.Tensor, torch.FloatStorage(2)))))
print(clean(select(2, pcall(torch.Tensor, 2, 'a'))))
print(clean(select(2, pcall(torch.Tensor, torch.LongStorage{2}, 'x'))))
print(clean(select(2, pcall(function() local t = torch.Tensor('a') return t end))))
print(clean(select(2, pcall(function() local t = torch.FloatTensor(2, {}) return t end))))
for _, t in ipairs{ {{1, 2}, {3}}, {1, {2}}, {{1}, 2}, {{1, 2}, {3, 'x'}}, {{1, 2}, {3, '4'}}, {{{1}}, {{2}}}, {{{1}}, {2}}, {{}, {}} } do
  local ok, r = pcall(torch.Tensor, t)
  print(ok and r:size():totable() and table.concat(r:size():totable(), 'x') or clean(r), ok and r:sum() or '')
end
print(clean(select(2, pcall(function() local y = torch.cross(torch.Tensor(2), torch.Tensor(2)) return y end))))
print(clean(select(2, pcall(function() local y = torch.range(1, 3, -1) return y end))))
