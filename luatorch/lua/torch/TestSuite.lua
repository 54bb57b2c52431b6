-- torch.TestSuite: a table of test functions that refuses a name defined twice.
-- The tests live in `__tests`; `__isTestSuite` lets torch.Tester (and the pytest plugin) know it.

local suiteMeta = {}

function suiteMeta.__index(self, key)
   return rawget(self, '__tests')[key]
end

function suiteMeta.__newindex(self, key, value)
   local tests = rawget(self, '__tests')
   if tests[key] ~= nil then
      error('Test ' .. tostring(key) .. ' is already defined.', 2)
   end
   if type(value) ~= 'function' then
      if type(value) == 'table' then
         error('Nested tables of tests are not supported', 2)
      end
      error('Only functions are supported as members of a TestSuite', 2)
   end
   tests[key] = value
end

function torch.TestSuite()
   return setmetatable({__tests = {}, __isTestSuite = true}, suiteMeta)
end

return torch.TestSuite
