-- torch.Tester and torch.TestSuite as Torch's own test files use them (collected by our plugin:
-- the suite returned at the end gives one pytest item per test).

local tester = torch.Tester()
local tests = torch.TestSuite()

function tests.eqComparesTensorsWithinTolerance()
   local a = torch.Tensor{1, 2, 3}
   tester:eq(a, a:clone())
   tester:eq(a, a + 1e-9, 1e-6)
   tester:ne(a, a + 1, 0.5)
   tester:assertTensorEq(a, torch.Tensor{1, 2, 3}, 0)
   tester:assertTensorNe(a, torch.Tensor{1, 2, 4}, 0.5)
end

function tests.eqComparesTablesDeeply()
   tester:eq({1, {x = 'y', t = torch.LongTensor{4}}}, {1, {x = 'y', t = torch.LongTensor{4}}})
   tester:assertTableEq({1, 2}, {1, 2.001}, 0.01)
   tester:assertTableNe({1, 2}, {1, 3})
end

function tests.assertsReturnTheirOutcome()
   -- a Tester whose failures we inspect instead of letting them fail this test
   local inner = torch.Tester()
   tester:asserteq(inner:assertlt(1, 2), true)
   tester:asserteq(#inner.errors, 0)
end

function tests.errorAsserts()
   tester:assertError(function() error('x') end)
   tester:assertErrorMsg(function() error('exact', 0) end, 'exact')
   tester:assertErrorPattern(function() torch.Tensor(2):add(torch.Tensor(3)) end,
                             'inconsistent tensor size')
   tester:assertNoError(function() return torch.zeros(2):sum() end)
end

function tests.numberComparisons()
   tester:assertlt(1, 2)
   tester:assertgt(2, 1)
   tester:assertle(2, 2)
   tester:assertge(2, 2)
   tester:assertalmosteq(0.1 + 0.2, 0.3, 1e-12)
end

function tests.testSuiteRefusesDuplicates()
   local s = torch.TestSuite()
   function s.one() end
   tester:assertErrorPattern(function() s.one = function() end end, 'Test one is already defined')
   tester:assertErrorPattern(function() s.two = 2 end, 'Only functions are supported')
end

return tests
