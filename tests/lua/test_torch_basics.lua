-- Global test_* functions: one pytest item each. Plain Lua assert and torch.Tester both work.

local tester = torch.Tester()

function test_views_share_storage()
   local x = torch.zeros(2, 3)
   local row = x:select(1, 2)
   row:fill(7)
   tester:eq(x:sum(), 21)
   tester:eq(x[1]:sum(), 0)
   assert(x:storage() == row:storage() or torch.pointer(x:storage()) == torch.pointer(row:storage()))
end

function test_size_and_type()
   local t = torch.LongTensor(4, 5)
   tester:eq(t:dim(), 2)
   tester:eq(t:size(2), 5)
   tester:eq(torch.type(t), 'torch.LongTensor')
   tester:eq(t:nElement(), 20)
end

function test_manual_seed_is_torch_mt19937()
   -- RNG.md: manualSeed(s) is MT19937 init_genrand(s); uniform uses one 32-bit word per double
   torch.manualSeed(1)
   local a = torch.rand(5)
   torch.manualSeed(1)
   local b = torch.rand(5)
   tester:eq(a, b)
   torch.manualSeed(1)
   tester:eq(torch.random(), 1791095845)
end

function test_error_messages_are_torchs()
   local ok, err = pcall(function() return torch.Tensor(2):add(torch.Tensor(3)) end)
   tester:assert(not ok)
   tester:assert(err:find('inconsistent tensor size') ~= nil, err)
end
