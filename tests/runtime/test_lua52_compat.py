"""Torch's LuaJIT is built with Lua 5.2 compatibility (LUAJIT_ENABLE_LUA52COMPAT in
torch/luajit-rocks); ours is not, so luatorch provides it (compat52.lua). The oracle's Debian
luajit lacks it too: the expected values here follow LuaJIT's LJ_52 code paths (lj_meta.c's
length of a table, lib_base.c's pairs/ipairs/coroutine.running/rawlen, lib_io.c's write)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from luatorch.repl.session import Session
from luatorch.runtime import LuaError, Runtime

# nn.Sequential defines __len: a real program (neural-style) loops `for i = 1, #cnn do`
THREE = "nn.Sequential():add(nn.Linear(2, 3)):add(nn.ReLU()):add(nn.Linear(3, 1))"


@pytest.fixture(scope="module")
def rt() -> Runtime:
    out: list[str] = []
    r = Runtime(write=out.append)
    r.out = out  # type: ignore[attr-defined]
    r.execute("require 'nn'")
    return r


def printed(rt: Runtime, code: str) -> str:
    rt.out.clear()  # type: ignore[attr-defined]
    rt.execute(code)
    return "".join(rt.out)  # type: ignore[attr-defined]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, TREPL_HISTORY=os.devnull)
    for k in ("LUA_PATH", "LUA_CPATH", "LUA_INIT"):
        env.pop(k, None)
    return subprocess.run(
        [sys.executable, "-m", "luatorch", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


# ------------------------------------------------------------------------ # honours __len
def test_length_of_sequential_in_a_script_a_module_and_loaded_chunks(tmp_path: Path) -> None:
    (tmp_path / "mymodel.lua").write_text(
        f"require 'nn'\nlocal M = {{}}\nfunction M.count() return #{THREE} end\nreturn M\n"
    )
    (tmp_path / "other.lua").write_text(f"return #{THREE}\n")
    (tmp_path / "main.lua").write_text(
        f"""require 'nn'
local cnn = {THREE}
local seen = 0
for i = 1, #cnn do seen = seen + 1 end
print('script', #cnn, seen)
print('module', require('mymodel').count())
print('loadstring', loadstring('return #{THREE}')())
print('load', load('return #{THREE}')())
local parts = {{'return #', '{THREE}'}}
print('reader', load(function() return table.remove(parts, 1) end)())
print('loadfile', loadfile('other.lua')())
print('dofile', dofile('other.lua'))
"""
    )
    r = run_cli("main.lua", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n") == [
        "script\t3\t3\t",
        "module\t3\t",
        "loadstring\t3\t",
        "load\t3\t",
        "reader\t3\t",
        "loadfile\t3\t",
        "dofile\t3\t",
        "",
    ]


def test_length_in_e_statements(tmp_path: Path) -> None:
    r = run_cli("-e", f"require 'nn' print(#{THREE})", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "3\t\n"


def test_length_at_the_repl(rt: Runtime) -> None:
    out: list[str] = []
    rt.write = out.append
    try:
        s = Session(rt, timing=False)
        s.run(f"cnn = {THREE}")
        s.run("#cnn")
        s.run("n = 0 for i = 1, #cnn do n = n + 1 end print(n)")
    finally:
        rt.write = rt.out.append  # type: ignore[attr-defined]
    assert "".join(out).split() == ["3", "3"]


def test_length_in_pytest_lua_snippets(lua) -> None:  # type: ignore[no-untyped-def]
    lua.run("require 'nn'")
    assert lua.eval(f"#{THREE}") == 3


def test_length_in_lua_test_files(pytester: pytest.Pytester) -> None:
    (pytester.path / "test_len.lua").write_text(
        "require 'nn'\nlocal tester = torch.Tester()\n"
        f"function test_len() tester:eq(#{THREE}, 3) end\n"
    )
    result = pytester.runpytest("-p", "no:hypothesispytest", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_length_of_other_values_is_unchanged(rt: Runtime) -> None:
    res = rt.execute("""
      local t = {1, 2, 3}
      local plain = setmetatable({1, 2}, {__index = {}})
      local hidden = setmetatable({1}, {__len = function() return 7 end, __metatable = false})
      local x = torch.Tensor(4, 5)
      return #t, #'abc', #plain, #hidden, (#x)[2], #x:size(), rawlen(hidden)
    """)
    # __len found through the real metatable, whatever __metatable hides; a tensor's # is its
    # size (a userdata's __len, as in 5.1)
    assert res == (3, 3, 2, 7, 5, 2, 1)


def test_length_errors_name_the_variable_as_luajit_does(rt: Runtime) -> None:
    with pytest.raises(LuaError, match=r"^x:1: attempt to get length of global 'nothing' "):
        rt.execute("return #nothing", "=x")
    with pytest.raises(LuaError, match=r":2: attempt to get length of a number value"):
        rt.execute("local t = {n = 1}\nreturn #t.n")


# -------------------------------------------------------------------- the rewrite itself
def rewritten_value(rt: Runtime, src: str) -> object:
    """src run as a chunk after the rewrite, with t = a table whose __len says 10."""
    return rt.execute(
        "local src = ... "
        "local f = assert(loadstring(src)) "
        "setfenv(f, setmetatable({t = setmetatable({1, 2}, {__len = function() return 10 end}),"
        " package = package}, {__index = _G})) "
        "return f()",
        "=test",
        src,
    )[0]


@pytest.mark.parametrize(
    "src,expected",
    [
        ("return #t", 10),
        ("return #t + 1", 11),
        ("return -#t", -10),
        ("return - #t * 2", -20),
        ("return #'str#' .. #t", "410"),
        ('return "#" .. #t', "#10"),
        ("return [==[#]]#]==] .. #t", "#]]#10"),
        ("return #[[#t]]", 2),
        ("--[[ #t ]] return #t -- #t", 10),
        ("--[==[ ]] #t ]==] return #t", 10),
        ("return #{1, 2, #t}", 3),
        ("return #(t)", 10),
        ("local a = {b = {t}} return #a.b[1]", 10),
        ("local o = {get = function(self, k) return {f = t} end} return #o:get(1).f", 10),
        ("local m = setmetatable({}, {__len = function() return {1, 5} end}) return (#m)[2]", 5),
        ("local u = {t} return #u[#u]", 10),
        ("return 2^#t", 1024),
        ("return #t == 10 and #t > 9", True),
        ("local s = 'a\\'#' return #s", 3),
        ("return ((#t))", 10),
    ],
)
def test_operands_and_tokens(rt: Runtime, src: str, expected: object) -> None:
    assert rewritten_value(rt, src) == expected


def test_power_binds_tighter_than_length(rt: Runtime) -> None:
    # #t^2 is #(t^2): Lua's grammar, here shown by the text the rewrite produces
    out = rt.execute("return (require 'compat52.len').rewrite('return #t^2 + #u')")[0]
    assert out.endswith("return  (__torch_len(t^2, true)) +  (__torch_len(u) or #u)")


def test_nested_length_operators(rt: Runtime) -> None:
    src = "local m = setmetatable({}, {__len = function() return {1, 2, 3, 4} end}) return ##m"
    assert rewritten_value(rt, src) == 4


def test_untouched_sources(rt: Runtime) -> None:
    rewrite = rt.eval("(require 'compat52.len').rewrite")
    for src in [
        "return 1",  # no #
        "return '#' .. [[#]] -- #",  # no # operator: strings and comments only
        "\x1bLJ # bytecode",
        "for i = 1, #t do",  # not valid Lua (yet: the REPL waits for more)
        "x = #",
    ]:
        assert rewrite(src) == src


def test_line_numbers_are_kept(rt: Runtime) -> None:
    src = "local t = {}\nlocal n = #t + #{\n1,\n2}\n--[[\n#\n]]\nlocal s = [[\n#]]\nerror('here')\n"
    assert rt.execute(
        "local src = ... local out = (require 'compat52.len').rewrite(src) "
        "return select(2, out:gsub('\\n', '')) == select(2, src:gsub('\\n', '')), out ~= src",
        "=test",
        src,
    ) == (True, True)
    with pytest.raises(LuaError) as e:
        rt.execute(src, "@script.lua")
    assert e.value.message == "script.lua:10: here"
    assert "script.lua:10: in main chunk" in e.value.traceback


def test_shebang_line_stays_first(tmp_path: Path) -> None:
    (tmp_path / "s.lua").write_text(
        "#!/usr/bin/env th\nrequire 'nn'\nprint(#" + THREE + ")\nerror('line 4')\n"
    )
    r = run_cli("s.lua", cwd=tmp_path)
    assert r.stdout == "3\t\n"
    assert "s.lua:4: line 4" in r.stderr


def test_own_library_is_loaded_unchanged(rt: Runtime) -> None:
    # luatorch's Lua files are written for plain 5.1 and skip the rewrite; through them,
    # users' objects still count right (a Container's #self.modules has no __len)
    res = rt.execute("""
      local path = package.searchpath('nn.Sequential', package.path)
      local f = io.open(path) local src = f:read('*a') f:close()
      local s = nn.Sequential():add(nn.Tanh()):add(nn.Tanh())
      return src:find('__torch_len') == nil, #s, s:size(), #s.modules
    """)
    assert res == (True, 2, 2, 2)


# --------------------------------------------------------------------- library functions
def test_pairs_and_ipairs_honour_metamethods(rt: Runtime) -> None:
    out = printed(
        rt,
        """
      local o = setmetatable({}, {
         __pairs = function(self) return next, {a = 1} end,
         __ipairs = function(self) return ipairs({'x', 'y'}) end})
      for k, v in pairs(o) do print(k, v) end
      for i, v in ipairs(o) do print(i, v) end
      for k, v in pairs({b = 2}) do print(k, v) end
      local tds = require 'tds'
      local h = tds.Hash() h.k = 5
      for k, v in pairs(h) do print(k, v) end
    """,
    )
    assert out == "a\t1\t\n1\tx\t\n2\ty\t\nb\t2\t\nk\t5\t\n"


def test_write_returns_the_file(rt: Runtime, tmp_path: Path) -> None:
    assert printed(rt, "io.write('a'):write('b') io.write('c', 1, '\\n')") == "abc1\n"
    path = str(tmp_path / "f.txt").replace("\\", "/")
    res = rt.execute(
        f"local f = io.open('{path}', 'w') local same = f:write('x') == f "
        "f:write('y'):write('z') f:close() "
        f"local g = io.open('{path}') local s = g:read('*a') g:close() return same, s"
    )
    assert res == (True, "xyz")


def test_coroutine_running_and_rawlen(rt: Runtime) -> None:
    res = rt.execute("""
      local co = coroutine.create(function() return coroutine.running() end)
      local _, inner, ismain = coroutine.resume(co)
      local main, mainflag = coroutine.running()
      return inner == co, ismain, mainflag, select('#', coroutine.running()),
             rawlen(setmetatable({1, 2}, {__len = function() return 0 end})), rawlen('abc')
    """)
    assert res == (True, False, True, 2, 2, 3)
    with pytest.raises(LuaError, match="bad argument #1 to 'rawlen' \\(table or string expected"):
        rt.execute("return rawlen(5)")


# ------------------------------------------------------------------ parse-level differences
def test_empty_statements_and_break_inside_a_block(rt: Runtime) -> None:
    # lj_parse.c in 5.2 mode: `;` is a statement, `break` need not be last in its block
    out = printed(
        rt,
        """;
      local n = 0;;
      for i = 1, 5 do ; n = n + i;;
         if i == 3 then break; print('not reached') end
      end
      local function f() ; return n end
      repeat ; until true
      print(f())
    """,
    )
    assert out == "6\t\n"


def test_syntax_errors_are_reported_as_before(rt: Runtime) -> None:
    # as our LuaJIT reports them without the rewrite
    with pytest.raises(LuaError, match=r"^x:2: '=' expected near '<eof>'$"):
        rt.execute("local t = {}\nx = #t y", "=x")
    with pytest.raises(LuaError, match=r"^x:3: unexpected symbol near '<eof>'$"):
        rt.execute("local t = {}\nx = #t +\n", "=x")
    assert rt.execute("return loadstring('x = #')")[1] == (
        "[string \"x = #\"]:1: unexpected symbol near '<eof>'"
    )


def test_os_execute_package_and_debug(rt: Runtime) -> None:
    res = rt.execute("""
      local a = {os.execute('exit 3')}
      local b = {os.execute('true')}
      local u = newproxy(true)
      debug.setuservalue(u, {k = 1})
      local t = {}
      return a[1], a[2], a[3], b[1], b[2], b[3], os.execute(),
             package.searchers == package.loaders, debug.setmetatable(t, nil) == t,
             debug.getuservalue(u).k, debug.getuservalue(t)
    """)
    assert res == (None, "exit", 3, True, "exit", 0, True, True, True, 1, None)


def test_len_metamethod_gets_the_object_twice(rt: Runtime) -> None:
    # lj_meta_len in 5.2 mode calls __len(t, t)
    src = "local o = setmetatable({}, {__len = function(a, b) return a == b end}) return #o"
    assert rt.execute(src) == (True,)
