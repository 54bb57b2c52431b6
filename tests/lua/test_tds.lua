-- tds (torch/tds's documented API): Hash, Vec, AtomicCounter, printing, serialization.
local tds = require 'tds'
local tester = torch.Tester()

function test_hash_basics()
   local h = tds.Hash()
   tester:eq(#h, 0)
   h.a = 1
   h[2] = 'two'
   h[true] = false
   h[1] = 'one'       -- 1 and true are different keys
   tester:eq(#h, 4)
   tester:eq(h.a, 1); tester:eq(h[2], 'two'); tester:eq(h[true], false); tester:eq(h[1], 'one')
   tester:eq(h.missing, nil)
   h.a = nil
   tester:eq(#h, 3)
   local n = 0
   for k, v in pairs(h) do n = n + 1; tester:assert(h[k] == v) end
   tester:eq(n, 3)
   tester:assertErrorPattern(function() h.x = {} end, 'unsupported key/value type <table>')
   tester:assertErrorPattern(function() h[{}] = 1 end, 'unsupported key/value type <table>')
   tester:assertErrorPattern(function() return h[nil] end, 'hash index is nil')
   tester:eq(torch.type(h), 'tds.Hash')
end

function test_hash_from_table_nests()
   local h = tds.Hash({a = {1, 2, 3}, b = {x = 'y'}, c = 4})
   tester:eq(torch.type(h.a), 'tds.Vec')
   tester:eq(torch.type(h.b), 'tds.Hash')
   tester:eq(h.a[3], 3); tester:eq(h.b.x, 'y'); tester:eq(h.c, 4)
   tester:assertErrorPattern(function() tds.Hash(1, 2) end, 'lua table or nothing expected')
end

function test_tensors_are_held_by_reference()
   local t = torch.zeros(3)
   local h, v = tds.Hash(), tds.Vec()
   h.t = t
   v[1] = t
   t:fill(2)
   tester:eq(h.t:sum(), 6)
   tester:eq(v[1]:sum(), 6)
   tester:eq(torch.pointer(h.t:storage()), torch.pointer(t:storage()))
end

function test_vec_basics()
   local v = tds.Vec(4, 5, 'x')
   tester:eq(#v, 3)
   v[6] = 6           -- grows, with nils in between (counted in the size)
   tester:eq(#v, 6)
   tester:eq(v[5], nil)
   v:insert(1, 'first')
   tester:eq(v[1], 'first'); tester:eq(v[2], 4); tester:eq(#v, 7)
   v:insert('last')
   tester:eq(v[8], 'last')
   v:remove(1)
   tester:eq(v[1], 4)
   v:remove()
   tester:eq(#v, 6)
   v:resize(2)
   tester:eq(#v, 2)
   v:resize(4)
   tester:eq(#v, 4); tester:eq(v[4], nil)
   local idx = {}
   for i, x in ipairs(v) do idx[#idx + 1] = i end
   tester:eq(idx, {1, 2, 3, 4})
   tester:assertErrorPattern(function() v[0] = 1 end, 'positive number expected as key')
   tester:assertErrorPattern(function() return v.nosuch end, 'invalid key')
   tester:assertErrorPattern(function() tds.Vec({a = 1}) end, 'number keys expected')
end

function test_vec_sort_and_concat()
   local v = tds.Vec({5, 3, 9, 1})
   v:sort(function(a, b) return a < b end)
   tester:eq(v:concat(','), '1,3,5,9')
   v:sort(function(a, b) return a > b end)
   tester:eq(v:concat(), '9531')
   tester:eq(v:concat('-', 2, 3), '5-3')
   tester:eq(v:concatstorage(','):string(), '9,5,3,1')
end

function test_atomic_counter()
   local c = tds.AtomicCounter()
   tester:eq(c:get(), 0)
   tester:eq(c:inc(), 0)       -- the value before the increment
   tester:eq(c:inc(), 1)
   c:set(10)
   tester:eq(c:get(), 10)
   tester:eq(tostring(c), 'tds.AtomicCounter=10')
   tester:assertErrorPattern(function() return c.nosuch end, 'no such method')
end

function test_vec_printing_as_documented()
   -- the example of tds's README, output included
   local d = tds.Vec(4, 5, torch.Tensor{0.1665, 0.8750, 0.7525}, nil, 'hello world')
   tester:eq(tostring(d), table.concat({
      'tds.Vec[5]{',
      '    1 : 4',
      '    2 : 5',
      '    3 :  0.1665',
      '         0.8750',
      '         0.7525',
      '        [torch.DoubleTensor of size 3]',
      '',
      '    4 : nil',
      '    5 : hello world',
      '}'}, '\n'))
end

function test_hash_printing_aligns_keys()
   local h = tds.Hash()
   tester:eq(tostring(h), 'tds.Hash[0]{\n}')
   h.key = 1
   tester:eq(tostring(h), 'tds.Hash[1]{\nkey : 1\n}')
   local big = tds.Vec()
   for i = 1, 25 do big[i] = i end
   local lines = {}
   for l in tostring(big):gmatch('[^\n]+') do lines[#lines + 1] = l end
   tester:eq(#lines, 23)        -- header, 20 elements, '...', '}'
   tester:eq(lines[22], '...')
end

function test_serialization_round_trip()
   local h = tds.Hash({a = 1, v = {1, 'two', 3}})
   h.t = torch.range(1, 4)
   local back = torch.deserialize(torch.serialize(h))
   tester:eq(torch.type(back), 'tds.Hash')
   tester:eq(#back, 3)
   tester:eq(back.a, 1)
   tester:eq(back.v[2], 'two')
   tester:eq(back.t, torch.range(1, 4))
   local c = tds.AtomicCounter(); c:set(7)
   tester:eq(torch.deserialize(torch.serialize(c)):get(), 7)
   local f = os.tmpname()
   torch.save(f, tds.Vec(1, 2, 3))
   tester:eq(torch.load(f):concat(' '), '1 2 3')
   os.remove(f)
end
