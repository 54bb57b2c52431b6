"""The pytest plugin (luatorch.pytest_plugin): the ``lua`` fixture, Lua test files, golden items,
and torch.Tester / torch.TestSuite as Torch7 defines them."""

from __future__ import annotations

import re

import numpy as np
import pytest

from luatorch.pytest_plugin import LuaFixture, LuaRunError, run_golden
from luatorch.runtime import LuaError

# ------------------------------------------------------------------------------ lua fixture


def test_fixture_run_converts_results(lua: LuaFixture) -> None:
    res = lua.run("return 1, 2.5, 'x', true, nil")
    assert res == (1, 2.5, "x", True, None)
    a, b = lua.run("return torch.Tensor({{1, 2}, {3, 4}}), torch.LongTensor({5, 6})")
    assert isinstance(a, np.ndarray) and a.dtype == np.float64
    np.testing.assert_array_equal(a, [[1, 2], [3, 4]])
    assert b.dtype == np.int64 and b.tolist() == [5, 6]


def test_fixture_tensor_results_are_copies(lua: LuaFixture) -> None:
    (a,) = lua.run("x = torch.zeros(3); return x")
    a[0] = 7
    assert lua.eval("x[1]") == 0


def test_fixture_tables(lua: LuaFixture) -> None:
    assert lua.eval("{1, 2, {3, 4}}") == [1, 2, [3, 4]]
    assert lua.eval("{a = 1, b = {c = 'd'}}") == {"a": 1, "b": {"c": "d"}}
    assert lua.eval("{[2] = 'two', [3] = 'three'}") == {2: "two", 3: "three"}
    t = lua.eval("{t = torch.ones(2)}")
    np.testing.assert_array_equal(t["t"], [1, 1])
    cyc = lua.eval("(function() local t = {1}; t[2] = t; return t end)()")
    assert cyc[0] == 1 and cyc[1] is cyc
    assert lua.eval("#torch.zeros(2, 3)").tolist() == [2, 3]  # a LongStorage


def test_fixture_class_instances_stay_lua_objects(lua: LuaFixture) -> None:
    timer = lua.eval("torch.Timer()")
    assert not isinstance(timer, dict)
    assert lua.globals.torch.typename(timer) == "torch.Timer"


def test_fixture_passes_numpy_arrays(lua: LuaFixture) -> None:
    assert lua.run("return (...):sum()", np.array([1.0, 2.0, 3.5])) == (6.5,)
    assert lua.eval("torch.type(...)", np.arange(3)) == "torch.LongTensor"
    assert lua.eval("(...):size(2)", np.zeros((2, 5), dtype=np.float32)) == 5
    assert lua.eval("#...", [1, 2, 3]) == 3


def test_fixture_output(lua: LuaFixture) -> None:
    lua.run("print(1, 'a'); io.write('x', 2)")
    assert lua.output == "1\ta\t\nx2"
    assert lua.take_output() == "1\ta\t\nx2"
    assert lua.output == ""
    lua.run("print(torch.Tensor({1.5}))")
    assert lua.output == " 1.5000\n[torch.DoubleTensor of size 1]\n\n"


def test_fixture_raises(lua: LuaFixture) -> None:
    err = lua.raises("error('boom')", match=r"^stdin:1: boom$")
    assert isinstance(err, LuaError)
    lua.raises("torch.Tensor(2):add(torch.Tensor(3))", match="inconsistent tensor size")
    with pytest.raises(pytest.fail.Exception, match="DID NOT RAISE"):
        lua.raises("local x = 1")
    with pytest.raises(pytest.fail.Exception, match="does not match"):
        lua.raises("error('boom')", match="bang")


def test_fixture_run_error_shows_lua_stack(lua: LuaFixture) -> None:
    code = "local function f()\n   error('deep')\nend\nf()\n"
    with pytest.raises(LuaRunError) as info:
        lua.run(code, name="@chunk.lua")
    text = str(info.value)
    assert text.startswith("chunk.lua:2: deep\nLua stack:")
    assert "chunk.lua:2: in function 'f'" in text
    assert "chunk.lua:4: in main chunk" in text


def test_fixture_runtimes_are_fresh(lua: LuaFixture) -> None:
    assert lua.eval("LEAK") is None
    lua.run("LEAK = 1")


def test_fixture_runtimes_are_fresh_again(lua: LuaFixture) -> None:
    assert lua.eval("LEAK") is None
    lua.run("LEAK = 1")


# ------------------------------------------------------------------- torch.TestSuite


def test_testsuite_refuses_duplicates(lua: LuaFixture) -> None:
    lua.raises(
        "local s = torch.TestSuite()\nfunction s.a() end\nfunction s.a() end",
        match=r"^stdin:3: Test a is already defined\.$",
    )
    lua.raises(
        "local s = torch.TestSuite(); s.x = 1",
        match="Only functions are supported as members of a TestSuite",
    )
    lua.raises(
        "local s = torch.TestSuite(); s.x = {}", match="Nested tables of tests are not supported"
    )
    assert lua.run("local s = torch.TestSuite(); function s.a() return 3 end; return s.a()") == (3,)


# ----------------------------------------------------------------------- torch.Tester


def _tester_line(i: int, n: int, name: str, status: str) -> str:
    counter = f"{i:>{len(str(n))}}/{n} "
    dots = "." * (80 - 6 - 2 - (len(str(n)) * 2 + 2) - len(name))
    head = f"{counter}{name} {dots} "
    return f"{head}[WAIT]\r{head}[{status}]\n"


def test_tester_report_format(lua: LuaFixture) -> None:
    code = (
        "local tests = torch.TestSuite()\n"
        "local tester = torch.Tester()\n"
        "function tests.testA()\n"
        "   tester:eq(torch.Tensor{1, 2, 3}, torch.Tensor{1, 2, 4}, 'a and b should be equal')\n"
        "end\n"
        "tester:add(tests)\n"
        "tester:run()\n"
    )
    err = lua.raises(
        code, name="@test.lua", match=r"Tester\.lua:\d+: An error was found while running tests!$"
    )
    assert err
    dashes = "-" * 80 + "\n"
    expected = (
        "Running 1 test\n"
        + _tester_line(1, 1, "testA", "FAIL")
        + "Completed 1 assert in 1 test with 1 failure and 0 errors\n"
        + dashes
        + "testA\na and b should be equal\nTensorEQ(==) violation: max diff=1, tolerance=0\n"
        + "stack traceback:\n\ttest.lua:4: in function <test.lua:3>\n"
        + dashes
    )
    assert lua.output == expected


def test_tester_passing_run(lua: LuaFixture) -> None:
    code = (
        "local t = torch.Tester()\n"
        "t:add(function() t:assert(true); t:asserteq(2, 2); t:eq({1, {2}}, {1, {2}}) end, 'ok')\n"
        "return t:run()\n"
    )
    assert lua.run(code) == (0,)
    assert lua.output == (
        "Running 1 test\n"
        + _tester_line(1, 1, "ok", "PASS")
        + "Completed 3 asserts in 1 test with 0 failures and 0 errors\n"
    )


def test_tester_error_disabled_and_summary_only(lua: LuaFixture) -> None:
    code = (
        "local t = torch.Tester()\n"
        "t:setSummaryOnly(true)\n"
        "t:add(function() error('kaput') end, 'bad')\n"
        "t:add(function() end, 'off')\n"
        "t:disable('off')\n"
        "local ok, err = pcall(t.run, t, 'bad')\n"
        "return ok, t.testError.bad, #t.errors, t.errors[1]\n"
    )
    ok, nerr, count, first = lua.run(code)
    assert ok is False and nerr == 1 and count == 1
    assert first.startswith("bad\n Function call failed\nstdin:3: kaput\nstack traceback:")
    assert lua.output == (
        "Running 1 test\n"
        + _tester_line(1, 1, "bad", "ERROR")
        + "Completed 0 asserts in 1 test with 0 failures and 1 error\n"
    )


def test_tester_disable_prints_skip(lua: LuaFixture) -> None:
    lua.run(
        "local t = torch.Tester(); t:add(function() end, 'brokenTest'):disable('brokenTest'):run()"
    )
    assert lua.output == (
        "Running 1 test\n"
        + _tester_line(1, 1, "brokenTest", "SKIP")
        + "Completed 0 asserts in 1 test with 0 failures and 0 errors and 1 disabled\n"
    )


def test_tester_rethrow_and_early_abort(lua: LuaFixture) -> None:
    lua.raises(
        "local t = torch.Tester(); t:setRethrowErrors(true)\n"
        "t:add(function() t:asserteq(1, 2, 'one is two') end, 'x'); t:run()",
        match=r"one is two\nEQ failed: 1 ~= 2",
    )
    lua.take_output()
    code = (
        "local t = torch.Tester(); t:setEarlyAbort(true); t:setSummaryOnly(true)\n"
        "t:add(function() t:assert(false) end, 'a'); t:add(function() t:assert(false) end, 'b')\n"
        "pcall(t.run, t)\n"
    )
    lua.run(code)
    out = lua.output
    assert "Aborting on first error, not all tests have been executed\n" in out
    assert "Completed 1 assert in 2 tests with 1 failure and 0 errors\n" in out


ASSERT_CASES = [
    # (call, expected failure message or None when it passes)
    ("t:assert(false, 'msg')", "msg\nBOOL violation condition=false"),
    ("t:assertlt(3, 2)", "LT failed: 3 >= 2"),
    ("t:assertgt(2, 3)", "GT failed: 2 <= 3"),
    ("t:assertle(3, 2)", "LE failed: 3 > 2"),
    ("t:assertge(2, 3)", "GE failed: 2 < 3"),
    ("t:asserteq(1, 2)", "EQ failed: 1 ~= 2"),
    ("t:assertne(1, 1)", "NE failed: 1 == 1"),
    ("t:assertalmosteq(1, 1.5, 0.1)", "ALMOST_EQ failed: 1 ~= 1.5 with tolerance=0.1"),
    ("t:assertalmosteq(1, 1.05, 0.1)", None),
    ("t:eq(1, 1.5, 0.1)", "EQ failed: 1 ~= 1.5 with tolerance=0.1"),
    ("t:eq('a', 1)", "EQ failed: values have different types (first: string, second: number)"),
    ("t:eq('a', 'b')", "EQ failed: a (string) ~= b (string)"),
    ("t:ne('a', 'a')", "NE failed: a (string) == a (string)"),
    ("t:eq({a = {b = 1}}, {a = {b = 2}})", "At table location a.b: EQ failed: 1 ~= 2"),
    ("t:eq({1}, {1, 2})", "Entry 2 missing in first table (is 2 in second)"),
    ("t:eq({1, 2}, {1})", "Entry 2 missing in second table (is 2 in first)"),
    ("t:eq({1, torch.Tensor{1, 2}}, {1, torch.Tensor{1, 2.01}}, 0.1)", None),
    ("t:eq(torch.Tensor{1, 2}, torch.Tensor{1, 2, 3})", "The tensors have different sizes"),
    ("t:eq(torch.Tensor{1}, torch.LongTensor{1})", "The tensors have different types"),
    (
        "t:eq(torch.Tensor(2, 1):zero(), torch.Tensor(2):zero())",
        "The tensors have different dimensions",
    ),
    ("t:assertTensorEq(torch.Tensor(2, 1):zero(), torch.Tensor(2):zero())", None),
    (
        "t:assertTensorEq(torch.Tensor{1, 2}, torch.Tensor{1, 2.5}, 0.1)",
        "TensorEQ(==) violation: max diff=0.5, tolerance=0.1",
    ),
    (
        "t:assertTensorNe(torch.Tensor{1}, torch.Tensor{1})",
        "TensorNE(==) violation: max diff=0, tolerance=0",
    ),
    (
        "t:eq(torch.ByteTensor{1, 200}, torch.ByteTensor{1, 100})",
        "TensorEQ(==) violation: max diff=100, tolerance=0",
    ),
    (
        "t:eq(torch.LongStorage{1, 2}, torch.LongStorage{1, 3})",
        "StorageEQ(==) violation: max diff=1, tolerance=0",
    ),
    ("t:assertTableEq({1, 2}, {1, 3}, 'tables')", "tables\nAt table location 2: EQ failed: 2 ~= 3"),
    ("t:assertTableNe({1, 2}, {1, 2})", "The tables are equal"),
    ("t:assertError(function() end)", "ERROR violation: err=nil"),
    ("t:assertError(function() error('x') end)", None),
    ("t:assertErrorMsg(function() error('x', 0) end, 'x')", None),
    ("t:assertErrorMsg(function() error('y', 0) end, 'x')", "ERROR violation: err=y"),
    ("t:assertErrorPattern(function() error('abc') end, 'b.$')", None),
    ("t:assertNoError(function() error('bad', 0) end, 'oops')", "oops\nERROR violation: err=bad"),
]


@pytest.mark.parametrize("call,expected", ASSERT_CASES, ids=[c[0] for c in ASSERT_CASES])
def test_tester_asserts(lua: LuaFixture, call: str, expected: str | None) -> None:
    code = (
        "local t = torch.Tester()\nlocal ok = "
        + call
        + "\n"
        + "return ok, t.errors[1], (t.assertionPass or {})[''], (t.assertionFail or {})['']\n"
    )
    ok, err, npass, nfail = lua.run(code, name="@a.lua")
    if expected is None:
        assert ok is True and err is None and npass == 1 and nfail is None
    else:
        assert ok is False and nfail == 1 and npass is None
        # a failure records the message and the caller's line (asserts outside run())
        assert err.startswith(expected + "\n"), err


def test_tester_argument_checks(lua: LuaFixture) -> None:
    lua.raises(
        "torch.Tester():asserteq(1, 1, 'm', 'extra')",
        match="Unexpected arguments passed to test function",
    )
    lua.raises(
        "torch.Tester():eq(1, 1, 0.1, 0.2)",
        match="Unexpected number argument; already have tolerance",
    )
    lua.raises(
        "torch.Tester():assertTensorEq({}, torch.Tensor(1))",
        match="First argument should be a Tensor",
    )
    lua.raises(
        "local t = torch.Tester(); t:add(function() end, 'a'); t:add(function() end, 'a')",
        match="Test with name a already exists!",
    )
    lua.raises("torch.Tester():add({x = {}})", match="Nested sets of tests are not supported")
    lua.raises(
        "torch.Tester():add(function() end, 'a'):run('zzz')", match="Couldn't find test 'zzz'"
    )


# ------------------------------------------------------------- Lua test files (pytester)

PASSING = """
local tester = torch.Tester()

function test_sum()
   tester:eq(torch.range(1, 4):sum(), 10)
end

function test_plain_assert()
   assert(torch.ones(3):sum() == 3)
end

function helper() end   -- not a test: no test_ prefix
"""

FAILING = """
local tester = torch.Tester()

function test_ok()
end

function test_tester_failure()
   local a = torch.Tensor{1, 2, 3}
   tester:eq(a, torch.Tensor{1, 2, 4}, 'a and b should be equal')
end

function test_lua_error()
   local t = nil
   return t.field
end
"""


def _write(pytester: pytest.Pytester, **files: str) -> None:
    """Write Lua files byte for byte (pytester.makefile would strip the leading newline)."""
    for name, text in files.items():
        (pytester.path / f"{name}.lua").write_text(text)


def _pytest(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    # hypothesis's plugin adds half a second to every in-process session
    return pytester.runpytest("-p", "no:hypothesispytest", "-p", "no:cacheprovider", *args)


def _no_python_plumbing(text: str) -> None:
    assert "Traceback" not in text
    assert "luatorch/pytest_plugin/" not in text
    assert "luatorch/runtime/" not in text


def test_lua_file_passing(pytester: pytest.Pytester) -> None:
    _write(pytester, test_pass=PASSING)
    result = _pytest(pytester, "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["*test_pass.lua::test_sum PASSED*", "*test_pass.lua::test_plain_assert PASSED*"]
    )


def test_lua_file_failing(pytester: pytest.Pytester) -> None:
    _write(pytester, test_fail=FAILING)
    result = _pytest(pytester)
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*_ test_tester_failure (Lua) _*",
            "torch.Tester assertion failed in test_tester_failure",
            "a and b should be equal",
            "TensorEQ(==) violation: max diff=1, tolerance=0",
            "test_fail.lua:9:",
            "   8     local a = torch.Tensor{1, 2, 3}",
            ">  9     tester:eq(a, torch.Tensor{1, 2, 4}, 'a and b should be equal')",
            "  10  end",
            "Lua stack:",
            "    test_fail.lua:9: in function <test_fail.lua:7>",
            "*_ test_lua_error (Lua) _*",
            "test_fail.lua:14: attempt to index local 't' (a nil value)",
            "> 14     return t.field",
            "Lua stack:",
            "    test_fail.lua:14: in function <test_fail.lua:12>",
            "FAILED test_fail.lua::test_tester_failure - a and b should be equal*",
            "FAILED test_fail.lua::test_lua_error - test_fail.lua:14: attempt to index*",
        ]
    )
    _no_python_plumbing(result.stdout.str())


def test_lua_file_kernel_error(pytester: pytest.Pytester) -> None:
    """An error raised by a Python kernel is reported at the Lua line that called it."""
    _write(
        pytester,
        test_kernel="""
function test_add_sizes()
   local a = torch.Tensor(2)
   a:add(torch.Tensor(3))
end
""",
    )
    result = _pytest(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "test_kernel.lua:4: inconsistent tensor size*",
            "> 4     a:add(torch.Tensor(3))",
            "Lua stack:",
            "    test_kernel.lua:4: in function <test_kernel.lua:2>",
        ]
    )
    _no_python_plumbing(result.stdout.str())
    assert "init.lua" not in result.stdout.str()


def test_lua_file_testsuite(pytester: pytest.Pytester) -> None:
    _write(
        pytester,
        test_suite="""
local tests = torch.TestSuite()
local tester = torch.Tester()

function tests.testGood()
   tester:assertlt(1, 2)
end

function tests.testBad()
   tester:assertgt(1, 2, 'one is not above two')
   tester:asserteq(3, 4)
end

function tests.testKernel()
   torch.Tensor(2):add(torch.Tensor(3))
end

return tests
""",
    )
    result = _pytest(pytester, "-v")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*test_suite.lua::testGood PASSED*",
            "*test_suite.lua::testBad FAILED*",
            "*test_suite.lua::testKernel FAILED*",
            "torch.Tester assertion 1 of 2 failed in testBad",
            "one is not above two",
            "GT failed: 1 <= 2",
            "torch.Tester assertion 2 of 2 failed in testBad",
            "EQ failed: 3 ~= 4",
            "> 11     tester:asserteq(3, 4)",
            "test_suite.lua:15: inconsistent tensor size*",
        ]
    )


def test_lua_file_tester_run_is_collected(pytester: pytest.Pytester) -> None:
    """A script that ends in tester:run() gives one item per test; nothing runs twice."""
    _write(
        pytester,
        test_runner="""
local tests = torch.TestSuite()
local tester = torch.Tester()
function tests._setUp(name) CURRENT = name end
function tests._tearDown(name) CURRENT = nil end
function tests.testSetUp() tester:eq(CURRENT, 'testSetUp') end
function tests.testBroken() error('must not run') end
function tests.testNe() tester:ne(1, 1) end
tester:add(tests):disable('testBroken')
tester:run()
""",
    )
    result = _pytest(pytester, "-v", "-rs")
    result.assert_outcomes(passed=1, failed=1, skipped=1)
    result.stdout.fnmatch_lines(
        ["*testBroken SKIPPED (disabled in torch.Tester)*", "NE failed: 1 == 1"]
    )
    assert "Running 3 tests" not in result.stdout.str()


def test_lua_file_syntax_error(pytester: pytest.Pytester) -> None:
    _write(
        pytester,
        test_syntax="""
function test_x()
   local x = = 1
end
""",
    )
    result = _pytest(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR collecting test_syntax.lua*",
            "test_syntax.lua:3: unexpected symbol near '='",
            "> 3     local x = = 1",
            "ERROR test_syntax.lua - test_syntax.lua:3: unexpected symbol near '='",
        ]
    )
    _no_python_plumbing(result.stdout.str())


def test_lua_file_top_level_error(pytester: pytest.Pytester) -> None:
    _write(pytester, test_top="function test_a() end\nlocal n = nil + 1\n")
    result = _pytest(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["test_top.lua:2: attempt to perform arithmetic*", "    test_top.lua:2: in main chunk"]
    )


def test_lua_file_keyword_selection(pytester: pytest.Pytester) -> None:
    _write(pytester, test_k=PASSING)
    result = _pytest(pytester, "-k", "plain")
    result.assert_outcomes(passed=1, deselected=1)


def test_lua_file_isolation_and_per_module(pytester: pytest.Pytester) -> None:
    _write(
        pytester,
        test_state="""
COUNT = (COUNT or 0)
function test_1() COUNT = COUNT + 1; assert(COUNT == 1, 'count ' .. COUNT) end
function test_2() COUNT = COUNT + 1; assert(COUNT == 1, 'count ' .. COUNT) end
""",
    )
    _pytest(pytester).assert_outcomes(passed=2)
    result = _pytest(pytester, "--lua-runtime-per-module")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["test_state.lua:4: count 2"])


def test_lua_file_output_is_captured(pytester: pytest.Pytester) -> None:
    _write(pytester, test_out="function test_p() print('hello from lua'); error('x') end")
    result = _pytest(pytester)
    result.stdout.fnmatch_lines(["*Captured stdout call*", "hello from lua*"])


def test_lua_item_location(pytester: pytest.Pytester) -> None:
    _write(pytester, test_loc="\n\nfunction test_here()\nend\n")
    items, _ = pytester.inline_genitems("-p", "no:hypothesispytest", "test_loc.lua")
    assert [i.name for i in items] == ["test_here"]
    path, line, domain = items[0].location
    assert path == "test_loc.lua" and line == 2 and "test_here" in domain


def test_lua_files_ini_patterns(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nlua_files = check_*.lua\n")
    _write(pytester, check_me="function test_a() end", test_other="function test_b() end")
    result = _pytest(pytester, "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*check_me.lua::test_a PASSED*"])


# ------------------------------------------------------------------ golden items (pytester)


def test_golden_items(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nlua_golden_dirs = golden\n")
    golden = pytester.mkdir("golden")
    (golden / "good.lua").write_text("print(torch.Tensor({1, 2}))\nprint('x', 3)\n")
    (golden / "good.out").write_bytes(b" 1\n 2\n[torch.DoubleTensor of size 2]\n\nx\t3\t\n")
    (golden / "bad.lua").write_text("print('alpha')\nprint('beta', 2)\nprint('gamma')\n")
    (golden / "bad.out").write_bytes(b"alpha\t\nbeta\t1\t\ngamma\t\n")
    (golden / "noout.lua").write_text("error('not collected: no .out')\n")
    result = _pytest(pytester, "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*golden/bad.lua::output FAILED*",
            "*golden/good.lua::output PASSED*",
            "output differs from byte 12 (line 2, column 6)*",
            "--- expected (bad.out)",
            "+++ actual",
            "-beta\\t1\\t",
            "+beta\\t2\\t",
            "FAILED golden/bad.lua::output - output differs from byte 12*",
        ]
    )
    _no_python_plumbing(result.stdout.str())


def test_golden_error_and_whitespace(tmp_path: pytest.TempPathFactory) -> None:
    script = tmp_path / "s.lua"
    script.write_text("io.write('a  \\n')\nlocal x = nil .. 'y'\n")
    (tmp_path / "s.out").write_bytes(b"a\n")
    result = run_golden(script)
    assert not result.ok
    report = result.report()
    assert report.startswith("s.lua raised a Lua error: s.lua:2: attempt to concatenate")
    assert "-a\n+a\u00b7\u00b7" in report
    (tmp_path / "s.out").write_bytes(b"a  \n")
    script.write_text("io.write('a  \\n')\n")
    assert run_golden(script).ok


def test_golden_script_sees_arg_and_its_folder(tmp_path: pytest.TempPathFactory) -> None:
    (tmp_path / "helper.lua").write_text("return {value = 42}\n")
    script = tmp_path / "main.lua"
    script.write_text("print(arg[0], require('helper').value)\n")
    (tmp_path / "main.out").write_text("main.lua\t42\t\n")
    assert run_golden(script).ok


def test_report_has_no_python_frames_for_lua_errors() -> None:
    """LuaRunError is a LuaError (pytest.raises(LuaError) works) whose text is Lua's."""
    fx = LuaFixture()
    with pytest.raises(LuaError, match=re.escape("stdin:1: nope")):
        fx.run("error('nope')")


def test_lua_file_same_name_twice(pytester: pytest.Pytester) -> None:
    """A global test_x and a suite's test_x are two items: test_x and test_x[1]."""
    _write(
        pytester,
        test_twice="""
function test_x() end
local s = torch.TestSuite()
function s.test_x() error('the suite one') end
return s
""",
    )
    result = _pytest(pytester, "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*test_twice.lua::test_x PASSED*",
            "*test_twice.lua::test_x[[]1[]] FAILED*",
            "test_twice.lua:4: the suite one",
        ]
    )
