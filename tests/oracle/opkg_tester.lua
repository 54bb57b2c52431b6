-- torch.Tester's report from a script: coloured (sys.colors loads and arg is set), one test at a
-- time (the order of several follows pairs())
local tester = torch.Tester()
tester:add(function() tester:eq(1, 2, 'one is not two') tester:assertTensorEq(torch.ones(2), torch.zeros(2), 1e-5, 'tensors') end, 'fails')
local ok, err = pcall(function() tester:run() end)
print(ok, (tostring(err):gsub('^.-:%d+: ', '')))
local t2 = torch.Tester()
t2:add(function() t2:assert(true) t2:ne(1, 2) end, 'passes')
t2:run()
