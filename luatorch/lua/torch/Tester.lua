-- torch.Tester: Torch7's unit-test runner (asserts record failures, run() prints a report).
--
-- Behaviour and printed format follow torch7's Tester.lua. Two class-level hooks let the pytest
-- plugin drive it (both nil in normal use):
--   torch.Tester._collect(tester, tests)  when set, run() hands its tests over instead of running
--   torch.Tester._listener(tester, message, traceback)  called on every assertion failure
-- and tester:_runTest(name) runs one test without printing (errors propagate to the caller).

local Tester = torch.class('torch.Tester')

local NCOLS = 80
local check = {}   -- comparison helpers, defined below

function Tester:__init()
   self.errors = {}
   self.tests = {}
   self.warnings = {}
   self._warningCount = {}
   self.disabledTests = {}
   self._currentTestName = ''
   -- Torch keeps assertTensorEq lenient about dimensions ({{1}} equals {1}) for old code;
   -- it warns when that leniency decides the outcome.
   self._assertTensorEqIgnoresDims = true
end

function Tester:setEarlyAbort(earlyAbort)
   self.earlyAbort = earlyAbort
end

function Tester:setRethrowErrors(rethrow)
   self.rethrow = rethrow
end

function Tester:setSummaryOnly(summaryOnly)
   self.summaryOnly = summaryOnly
end

---------------------------------------------------------------------------------------------
-- bookkeeping
---------------------------------------------------------------------------------------------
-- counters exist from run(); asserts called outside run() (pytest, scripts) still count
local function counter(self, field, name)
   local t = self[field]
   if t == nil then
      t = {}
      self[field] = t
   end
   t[name] = (t[name] or 0) + 1
end

function Tester:_success()
   counter(self, 'assertionPass', self._currentTestName)
   return true
end

-- The two traceback lines just above the test runner's xpcall: where the assert was called.
function Tester:_addDebugInfo(message)
   local tb = debug.traceback('tester', 3) or ''
   local where = tb:match('.-\n([^\n]+\n[^\n]+)\n[^\n]+xpcall') or ''
   local name = self._currentTestName
   local head = name ~= '' and (name .. '\n') or ''
   return head .. message .. '\n' .. where
end

function Tester:_failure(message)
   if self.rethrow then error(message, 2) end
   counter(self, 'assertionFail', self._currentTestName)
   self.errors[#self.errors + 1] = self:_addDebugInfo(message)
   local listener = Tester._listener
   if listener then
      -- level 2: asserts reach here through tail calls, so this is usually the test itself
      listener(self, message, debug.traceback('', 2))
   end
   return false
end

function Tester:_warning(message)
   local name = self._currentTestName
   self._warningCount[name] = (self._warningCount[name] or 0) + 1
   self.warnings[#self.warnings + 1] = self:_addDebugInfo(message)
end

function Tester:_assert_sub(condition, message)
   if condition then
      return self:_success()
   end
   return self:_failure(message)
end

-- the optional message argument, with a newline so the violation goes on its own line
local function messageOf(message, ...)
   assert(next({...}) == nil, 'Unexpected arguments passed to test function')
   if message ~= nil then
      assert(type(message) == 'string', 'message parameter must be a string')
      if message ~= '' then return message .. '\n' end
   end
   return ''
end

-- tolerance and message may come in either order (old Tester API took only a message)
local function toleranceAndMessage(defaultTolerance, ...)
   local tolerance, message
   for i = 1, select('#', ...) do
      local a = select(i, ...)
      if type(a) == 'string' then
         if message then error('Unexpected string argument; already have message', 3) end
         message = a .. '\n'
      elseif type(a) == 'number' then
         if tolerance then error('Unexpected number argument; already have tolerance', 3) end
         assert(a >= 0, 'tolerance cannot be negative')
         tolerance = a
      elseif a ~= nil then
         error('Unrecognized argument; should be a tolerance or message', 3)
      end
   end
   return tolerance or defaultTolerance, message or ''
end

---------------------------------------------------------------------------------------------
-- asserts
---------------------------------------------------------------------------------------------
function Tester:assert(condition, ...)
   local message = messageOf(...)
   if type(condition) ~= 'boolean' then
      self:_warning(' :assert should only be used for boolean conditions. '
                    .. 'To check for non-nil variables, do this explicitly: '
                    .. 'Tester:assert(var ~= nil).')
   end
   return self:_assert_sub(condition,
      string.format('%sBOOL violation condition=%s', message, tostring(condition)))
end

function Tester:_eqOrNeq(got, expected, negate, ...)
   local tolerance, message = toleranceAndMessage(0, ...)
   local ok, why = check.areEq(got, expected, tolerance, negate)
   return self:_assert_sub(ok, message .. (why or ''))
end

function Tester:assertGeneralEq(got, expected, ...)
   return self:_eqOrNeq(got, expected, false, ...)
end

function Tester:assertGeneralNe(got, unexpected, ...)
   return self:_eqOrNeq(got, unexpected, true, ...)
end

function Tester:eq(got, expected, ...)
   return self:assertGeneralEq(got, expected, ...)
end

function Tester:ne(got, unexpected, ...)
   return self:assertGeneralNe(got, unexpected, ...)
end

local function comparison(op, label, failWord, test)
   Tester[op] = function(self, a, b, ...)
      local message = messageOf(...)
      return self:_assert_sub(test(a, b),
         string.format('%s%s failed: %s %s %s', message, label, tostring(a), failWord,
                       tostring(b)))
   end
end
comparison('assertlt', 'LT', '>=', function(a, b) return a < b end)
comparison('assertgt', 'GT', '<=', function(a, b) return a > b end)
comparison('assertle', 'LE', '>', function(a, b) return a <= b end)
comparison('assertge', 'GE', '<', function(a, b) return a >= b end)
comparison('asserteq', 'EQ', '~=', function(a, b) return a == b end)

function Tester:assertne(a, b, ...)
   local message = messageOf(...)
   if type(a) == type(b) and type(a) == 'table' or type(a) == 'userdata' then
      self:_warning(' :assertne should only be used to compare basic lua '
                    .. 'objects (numbers, booleans, etc). Consider using '
                    .. 'either :assertGeneralNe or :assert(a ~= b).')
   end
   return self:_assert_sub(a ~= b,
      string.format('%sNE failed: %s == %s', message, tostring(a), tostring(b)))
end

function Tester:assertalmosteq(a, b, ...)
   local tolerance, message = toleranceAndMessage(1e-16, ...)
   local diff = math.abs(a - b)
   return self:_assert_sub(diff <= tolerance,
      string.format('%sALMOST_EQ failed: %s ~= %s with tolerance=%s', message, tostring(a),
                    tostring(b), tostring(tolerance)))
end

function Tester:_assertTensorEqOrNeq(ta, tb, negate, ...)
   assert(torch.isTensor(ta), 'First argument should be a Tensor')
   assert(torch.isTensor(tb), 'Second argument should be a Tensor')
   local tolerance, message = toleranceAndMessage(0, ...)
   local lenient = self._assertTensorEqIgnoresDims
   local ok, why = check.areTensorsEq(ta, tb, tolerance, negate, lenient)
   if lenient and not negate and ok and not check.isSameSize(ta, tb) then
      self:_warning('Tensors have the same content but different dimensions. '
                    .. 'For backwards compatibility, they are considered equal, '
                    .. 'but this may change in the future. Consider using :eq '
                    .. 'to check for equality instead.')
   end
   return self:_assert_sub(ok, message .. (why or ''))
end

function Tester:assertTensorEq(ta, tb, ...)
   return self:_assertTensorEqOrNeq(ta, tb, false, ...)
end

function Tester:assertTensorNe(ta, tb, ...)
   return self:_assertTensorEqOrNeq(ta, tb, true, ...)
end

function Tester:_assertTableEqOrNeq(ta, tb, negate, ...)
   assert(type(ta) == 'table', 'First argument should be a Table')
   assert(type(tb) == 'table', 'Second argument should be a Table')
   return self:_eqOrNeq(ta, tb, negate, ...)
end

function Tester:assertTableEq(ta, tb, ...)
   return self:_assertTableEqOrNeq(ta, tb, false, ...)
end

function Tester:assertTableNe(ta, tb, ...)
   return self:_assertTableEqOrNeq(ta, tb, true, ...)
end

function Tester:assertErrorObj(f, errcomp, ...)
   local message = messageOf(...)
   local ok, err = pcall(f)
   return self:_assert_sub(not ok and errcomp(err),
      string.format('%sERROR violation: err=%s', message, tostring(err)))
end

function Tester:assertError(f, ...)
   return self:assertErrorObj(f, function() return true end, ...)
end

function Tester:assertErrorMsg(f, errmsg, ...)
   return self:assertErrorObj(f, function(err) return err == errmsg end, ...)
end

function Tester:assertErrorPattern(f, errPattern, ...)
   return self:assertErrorObj(f, function(err)
      return string.find(err, errPattern) ~= nil
   end, ...)
end

function Tester:assertNoError(f, ...)
   local message = messageOf(...)
   local ok, err = pcall(f)
   return self:_assert_sub(ok,
      string.format('%sERROR violation: err=%s', message, tostring(err)))
end

---------------------------------------------------------------------------------------------
-- registering and running tests
---------------------------------------------------------------------------------------------
function Tester:add(f, name)
   if type(f) == 'table' then
      assert(name == nil, 'Name parameter is forbidden for a table of tests, '
                          .. 'since its use is ambiguous')
      if rawget(f, '__isTestSuite') then
         f = rawget(f, '__tests')
      else
         self:_warning('Should use TestSuite rather than plain lua table')
      end
      for k, v in pairs(f) do
         -- a nested table would make run('name') and _setUp/_tearDown ambiguous
         assert(type(v) ~= 'table', 'Nested sets of tests are not supported')
         self:add(v, k)
      end
      return self
   end
   assert(type(f) == 'function', 'Only tables of functions and functions supported')
   if name == '_setUp' then
      assert(not self._setUp, 'Only one set-up function allowed')
      self._setUp = f
   elseif name == '_tearDown' then
      assert(not self._tearDown, 'Only one tear-down function allowed')
      self._tearDown = f
   else
      name = name or 'unknown'
      if self.tests[name] ~= nil then
         error('Test with name ' .. name .. ' already exists!')
      end
      self.tests[name] = f
   end
   return self
end

function Tester:disable(testNames)
   if type(testNames) == 'string' then testNames = {testNames} end
   assert(type(testNames) == 'table', 'Expecting name or list for disable')
   for _, name in ipairs(testNames) do
      assert(self.tests[name], "Unrecognized test '" .. name .. "'")
      self.disabledTests[name] = true
   end
   return self
end

-- tests whose names match (string.match) any of the given patterns; all tests for nil
function Tester:_getTests(testNames)
   if testNames == nil then return self.tests end
   if type(testNames) == 'string' then testNames = {testNames} end
   assert(type(testNames) == 'table',
          'Only accept a name or table of test names (or nil for all tests)')
   local selected = {}
   for _, pattern in ipairs(testNames) do
      local found = false
      for name, fn in pairs(self.tests) do
         if string.match(name, pattern) then
            selected[name] = fn
            found = true
         end
      end
      assert(found, "Couldn't find test '" .. pattern .. "'")
   end
   return selected
end

function Tester:_resetCounters(tests)
   self.assertionPass = {}
   self.assertionFail = {}
   self.testError = {}
   for name in pairs(tests) do
      self.assertionPass[name] = 0
      self.assertionFail[name] = 0
      self.testError[name] = 0
      self._warningCount[name] = 0
   end
end

function Tester:run(testNames)
   local tests = self:_getTests(testNames)
   local collect = Tester._collect
   if collect then
      -- under pytest every test becomes an item of its own
      collect(self, tests)
      return 0
   end
   self:_resetCounters(tests)
   self:_run(tests)
   self:_report(tests)
   -- a failing run is an error, so that a test script exits with a non-zero status
   for name in pairs(tests) do
      assert(self.assertionFail[name] == 0, 'An error was found while running tests!')
      assert(self.testError[name] == 0, 'An error was found while running tests!')
   end
   return 0
end

local function plural(n, word)
   local s = n .. ' ' .. word
   if n ~= 1 then s = s .. 's' end
   return s
end

-- colours only when run from the command line with the sys package installed, as Torch. Torch
-- decides when this file loads, under th always after arg is set; luatorch loads torch before
-- it sets arg, so the choice is made when a Tester first runs
local colours, paint
local function chooseColours()
   if paint then return end
   local ok, c = pcall(require, 'sys.colors')
   if rawget(_G, 'arg') and ok and type(c) == 'table' then
      colours = c
      paint = function(s, colour) return colour .. s .. c.none end
   else
      colours = {}
      paint = function(s) return s end
   end
end

function Tester:_pcall(f)
   local nerr = #self.errors
   local ok, result = xpcall(f, debug.traceback)
   if not ok then
      self.errors[#self.errors + 1] =
         self._currentTestName .. '\n Function call failed\n' .. tostring(result) .. '\n'
   end
   return ok, result, ok and nerr == #self.errors
end

function Tester:_run(tests)
   chooseColours()
   local ntests = 0
   for _ in pairs(tests) do ntests = ntests + 1 end
   local width = #tostring(ntests)
   local counterFormat = '%' .. width .. 'u/' .. ntests .. ' '
   local counterLen = width * 2 + 2
   local function bracket(s) return '[' .. s .. ']' end

   io.write('Running ' .. plural(ntests, 'test') .. '\n')
   local i = 1
   for name, fn in pairs(tests) do
      self._currentTestName = name
      local dots = NCOLS - 6 - 2 - counterLen - #name
      local head = paint(string.format(counterFormat, i), colours.cyan) .. name .. ' '
                   .. string.rep('.', dots) .. ' '
      io.write(head .. bracket(paint('WAIT', colours.cyan)))
      io.flush()

      local ok, pass, skip, _ = true, true, false, nil
      if self.disabledTests[name] then
         skip = true
      else
         if self._setUp then self._setUp(name) end
         if self.rethrow then
            local nerr = #self.errors
            fn()
            pass = nerr == #self.errors
         else
            ok, _, pass = self:_pcall(fn)
         end
         if self._tearDown then self._tearDown(name) end
      end

      io.write('\r')
      io.write(head)
      if skip then
         io.write(bracket(paint('SKIP', colours.yellow)))
      elseif not ok then
         self.testError[name] = 1
         io.write(bracket(paint('ERROR', colours.magenta)))
      elseif not pass then
         io.write(bracket(paint('FAIL', colours.red)))
      else
         io.write(bracket(paint('PASS', colours.green)))
         if self._warningCount[name] > 0 then
            io.write('\n' .. string.rep(' ', NCOLS - 10))
            io.write(bracket(paint('+warning', colours.yellow)))
         end
      end
      io.write('\n')
      io.flush()

      if self.earlyAbort and i < ntests and (not ok or not pass) and not skip then
         io.write('Aborting on first error, not all tests have been executed\n')
         break
      end
      i = i + 1
      collectgarbage()
   end
end

function Tester:_report(tests)
   chooseColours()
   local ntests, nfailures, nerrors, nskipped, nwarnings = 0, 0, 0, 0, 0
   self.countasserts = 0
   for name in pairs(tests) do
      ntests = ntests + 1
      self.countasserts = self.countasserts + self.assertionFail[name] + self.assertionPass[name]
      if self.assertionFail[name] > 0 then nfailures = nfailures + 1 end
      if self.testError[name] > 0 then nerrors = nerrors + 1 end
      if self._warningCount[name] > 0 then nwarnings = nwarnings + 1 end
      if self.disabledTests[name] then nskipped = nskipped + 1 end
   end
   -- warnings raised outside any test (add() of a plain table)
   if self._warningCount[''] then nwarnings = nwarnings + self._warningCount[''] end

   io.write('Completed ' .. plural(self.countasserts, 'assert'))
   io.write(' in ' .. plural(ntests, 'test') .. ' with ')
   io.write(paint(plural(nfailures, 'failure'), nfailures == 0 and colours.green or colours.red))
   io.write(' and ')
   io.write(paint(plural(nerrors, 'error'), nerrors == 0 and colours.green or colours.magenta))
   if nwarnings > 0 then
      io.write(' and ')
      io.write(paint(plural(nwarnings, 'warning'), colours.yellow))
   end
   if nskipped > 0 then
      io.write(' and ')
      io.write(paint(nskipped .. ' disabled', colours.yellow))
   end
   io.write('\n')

   if self.summaryOnly then return end
   local dashes = string.rep('-', NCOLS) .. '\n'
   local first = true
   local function section(text)
      if first then
         io.write(dashes)
         first = false
      end
      io.write(text .. '\n')
      io.write(dashes)
   end
   for _, v in ipairs(self.errors) do section(v) end
   for _, v in ipairs(self.warnings) do section(v) end
end

-- One test for the pytest plugin: set-up, test, tear-down, no printing. The test runs under
-- xpcall(fn, handler) when a handler is given (else errors propagate). Returns 'skip', or
-- 'error' and the handler's value, or 'pass'/'fail' and the failure reports of this test.
function Tester:_runTest(name, fn, handler)
   fn = fn or self.tests[name]
   assert(fn, "Couldn't find test '" .. tostring(name) .. "'")
   if self.disabledTests[name] then return 'skip', {} end
   self:_resetCounters({[name] = fn})
   self._currentTestName = name
   local nerr = #self.errors
   if self._setUp then self._setUp(name) end
   local ok, err = true, nil
   if handler then
      ok, err = xpcall(fn, handler)
   else
      fn()
   end
   if self._tearDown then self._tearDown(name) end
   if not ok then
      self.testError[name] = 1
      return 'error', err
   end
   local failures = {}
   for i = nerr + 1, #self.errors do failures[#failures + 1] = self.errors[i] end
   return #failures == 0 and 'pass' or 'fail', failures
end

---------------------------------------------------------------------------------------------
-- comparisons (success, message-on-failure)
---------------------------------------------------------------------------------------------
local noAbs = {['torch.ByteTensor'] = true, ['torch.CharTensor'] = true,
               ['torch.ShortTensor'] = true}

-- ta:clone():add(-1, tb):abs():max() in one call for the types that define it (nil otherwise)
local maxAbsDiff = torch._bind(torch._py.tester_maxAbsDiff)

-- The same for small Double and Float tensors, read from their headers without leaving Lua:
-- test files asserting element by element (nn's PixelShuffle test makes some 250k
-- assertTensorEq calls on 1-element views) would otherwise spend their time handing each view
-- to Python. Both tensors are walked in their own row-major order, as TH's add walks them.
local ffi = require 'ffi'
local smallDiff = {
   ['torch.DoubleTensor'] = {ptr = ffi.typeof('double *')},
   ['torch.FloatTensor'] = {ptr = ffi.typeof('float *'), round = ffi.new('float[1]')},
}
local SMALL_DIFF = 64

-- the storage index of element k (0-based, row-major) of header h
local function elementIndex(h, k)
   local index = h.offset
   for d = h.dim - 1, 0, -1 do
      local size = h.size[d]
      index = index + (k % size) * h.stride[d]
      k = (k - k % size) / size
   end
   return index
end

-- pointer to h's storage when all h's elements lie inside it
local function elementsOf(t, h, header, ptrType)
   if h == nil or h.dim < 1 or h.offset < 0 then return nil end
   local last = h.offset
   for d = 0, h.dim - 1 do
      if h.stride[d] < 0 then return nil end
      last = last + (h.size[d] - 1) * h.stride[d]
   end
   local p, len = header.storageData(t, h, ptrType)
   if p == nil or last >= len then return nil end
   return p
end

local function smallMaxAbsDiff(ta, tb)
   local header = torch._header
   local kind = smallDiff[torch.type(ta)]
   if header == nil or kind == nil or torch.type(tb) ~= torch.type(ta) then return nil end
   local H = torch._H
   local ha, hb = H[ta], H[tb]
   if ha == nil or hb == nil then return nil end
   local n = header.nElement(ha)
   if n == 0 or n > SMALL_DIFF or header.nElement(hb) ~= n then return nil end
   local pa = elementsOf(ta, ha, header, kind.ptr)
   local pb = pa and elementsOf(tb, hb, header, kind.ptr)
   if pb == nil then return nil end
   local round = kind.round
   local maxDiff
   for k = 0, n - 1 do
      local a, b = pa[elementIndex(ha, k)], pb[elementIndex(hb, k)]
      local d = a - b
      if round then
         -- floats: TH subtracts in float. Rounding the double difference to float gives the
         -- same bits: double's 53 bits are more than twice float's 24 plus two, which makes
         -- the double rounding of +, -, *, / harmless (Figueroa's theorem)
         round[0] = d
         d = round[0]
      end
      if d < 0 then d = -d end
      if maxDiff == nil or not (d <= maxDiff) then
         maxDiff = d
         if d ~= d then break end  -- TH's max stops at a NaN
      end
   end
   return maxDiff
end

function check.areSameFormatTensorsEq(ta, tb, tolerance, negate, storage)
   -- TH has no abs for Byte, Char and Short tensors: compare those as doubles
   if noAbs[torch.type(ta)] then ta = ta:double() end
   if noAbs[torch.type(tb)] then tb = tb:double() end
   local maxDiff = smallMaxAbsDiff(ta, tb)
   if maxDiff == nil then maxDiff = maxAbsDiff(ta, tb) end
   if maxDiff == nil then maxDiff = ta:clone():add(-1, tb):abs():max() end
   local ok = maxDiff <= tolerance
   if negate then ok = not ok end
   if ok then return true end
   return false, string.format('%s%s violation: max diff=%s, tolerance=%s',
                               storage and 'Storage' or 'Tensor',
                               negate and 'NE(==)' or 'EQ(==)',
                               tostring(maxDiff), tostring(tolerance))
end

-- ta:isSameSizeAs(tb), answered from Lua (the method hands both tensors to Python)
function check.isSameSize(ta, tb)
   if ta:dim() ~= tb:dim() then return false end
   for d = 1, ta:dim() do
      if ta:size(d) ~= tb:size(d) then return false end
   end
   return true
end

function check.areTensorsEq(ta, tb, tolerance, negate, ignoreDims)
   if not ignoreDims and ta:dim() ~= tb:dim() then
      return negate, 'The tensors have different dimensions'
   end
   -- torch.type answers from Lua where :type() would hand the tensor to Python
   if torch.type(ta) ~= torch.type(tb) then
      return negate, 'The tensors have different types'
   end
   if ta:dim() == 0 and tb:dim() == 0 then
      return not negate, 'Both tensors are empty'
   end
   local sameSize
   if ignoreDims then
      sameSize = ta:nElement() == tb:nElement()
   else
      sameSize = check.isSameSize(ta, tb)
   end
   if not sameSize then
      return negate, 'The tensors have different sizes'
   end
   return check.areSameFormatTensorsEq(ta, tb, tolerance, negate, false)
end

function check.areStoragesEq(sa, sb, tolerance, negate)
   if sa:size() ~= sb:size() then
      return negate, 'The storages have different sizes'
   end
   local typeA, typeB = torch.type(sa), torch.type(sb)
   if typeA ~= typeB then
      return negate, 'The storages have different types'
   end
   local tensorType = torch[typeA:match('^torch%.(%a+)Storage$') .. 'Tensor']
   if sa:size() == 0 then return not negate, 'Both storages are empty' end
   return check.areSameFormatTensorsEq(tensorType(sa), tensorType(sb), tolerance, negate, true)
end

function check.areEq(got, expected, tolerance, negate)
   local tg, te = type(got), type(expected)
   if tg ~= te then
      if negate then return true end
      return false, 'EQ failed: values have different types (first: ' .. tg
                    .. ', second: ' .. te .. ')'
   end
   if tg == 'number' then
      local ok = math.abs(got - expected) <= tolerance
      if negate then ok = not ok end
      if ok then return true end
      local why
      if negate then
         why = string.format('NE failed: %s == %s', tostring(got), tostring(expected))
      else
         why = string.format('EQ failed: %s ~= %s', tostring(got), tostring(expected))
      end
      if tolerance > 0 then why = why .. ' with tolerance=' .. tostring(tolerance) end
      return false, why
   elseif te == 'table' then
      return check.areTablesEq(got, expected, tolerance, negate)
   elseif torch.isTensor(got) then
      return check.areTensorsEq(got, expected, tolerance, negate)
   elseif torch.isStorage(got) then
      return check.areStoragesEq(got, expected, tolerance, negate)
   end
   local ok = got == expected
   if negate then ok = not ok end
   if ok then return true end
   local fmt = negate and 'NE failed: %s (%s) == %s (%s)' or 'EQ failed: %s (%s) ~= %s (%s)'
   return false, string.format(fmt, tostring(got), tg, tostring(expected), te)
end

-- Breadth first, so that the reported difference is the shallowest one (deep module trees).
function check.areTablesEq(t1, t2, tolerance, negate)
   local queue = {{t1, t2, nil}}
   local head = 1
   while queue[head] do
      local a, b, location = unpack(queue[head])
      head = head + 1
      local function where(key)
         local k = tostring(key)
         return location and (location .. '.' .. k) or k
      end
      for key, va in pairs(a) do
         local vb = b[key]
         if vb == nil then
            return negate, string.format('Entry %s missing in second table (is %s in first)',
                                         where(key), tostring(va))
         end
         if type(va) == 'table' and type(vb) == 'table' then
            queue[#queue + 1] = {va, vb, where(key)}
         else
            local ok, why = check.areEq(va, vb, tolerance, false)
            if not ok then
               return negate, 'At table location ' .. where(key) .. ': ' .. why
            end
         end
      end
      for key, vb in pairs(b) do
         if a[key] == nil then
            return negate, string.format('Entry %s missing in first table (is %s in second)',
                                         where(key), tostring(vb))
         end
      end
   end
   return not negate, 'The tables are equal'
end

Tester._check = check

return Tester
