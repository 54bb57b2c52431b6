"""luatorch is th: the globals trepl sets (Penlight), trepl's require, package search through
LUA_PATH/LUA_CPATH/LUA_INIT, and CUDA packages that fail as in a Torch7 built without CUDA unless
the CPU emulation is asked for. Scripts run through the real ``luatorch`` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from luatorch.runtime import LuaError, Runtime, search_paths

CMD = [sys.executable, "-m", "luatorch"]


def luatorch(
    *args: str, cwd: str | Path | None = None, **env: str | None
) -> subprocess.CompletedProcess:
    environ = dict(os.environ, TREPL_HISTORY=os.devnull)
    for k in ("LUA_PATH", "LUA_CPATH", "LUA_INIT", "LUATORCH_EMULATE_CUDA"):
        environ.pop(k, None)
    for k, v in env.items():
        if v is not None:
            environ[k] = v
    return subprocess.run(
        CMD + list(args), capture_output=True, text=True, cwd=cwd, env=environ, timeout=120
    )


def th_runtime() -> tuple[Runtime, list[str]]:
    """A runtime with th's globals, as the command gives scripts."""
    from luatorch.repl import thenv

    out: list[str] = []
    rt = Runtime(write=out.append, emulate_cuda=False)
    thenv.install(rt)
    return rt, out


# ----------------------------------------------------------------------------- Penlight globals
def test_char_rnn_loader_uses_path_exists(tmp_path: Path) -> None:
    # CharSplitLMMinibatchLoader's pattern: global `path` without any require
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "input.txt").write_text("hello")
    script = tmp_path / "loader.lua"
    script.write_text(
        "local dir = arg[1]\n"
        "local input_file = path.join(dir, 'input.txt')\n"
        "local vocab_file = path.join(dir, 'vocab.t7')\n"
        "if not path.exists(vocab_file) then print('vocab.t7 does not exist') end\n"
        "print(path.exists(input_file) == input_file, path.isdir(dir), path.basename(input_file))\n"
        "print(lfs.attributes(input_file, 'size'))\n"
    )
    r = luatorch(str(script), str(tmp_path / "data"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "vocab.t7 does not exist\t\ntrue\ttrue\tinput.txt\t\n5\t\n"


def test_penlight_globals_as_trepl_sets_them() -> None:
    rt, _ = th_runtime()
    # utils and text are set at start-up; the other modules load on first use, as globals
    before = rt.execute(
        "return rawget(_G, 'utils') ~= nil, rawget(_G, 'text') ~= nil, rawget(_G, 'path'),"
        " rawget(_G, 'stringx'), rawget(_G, 'List')"
    )
    assert before == (True, True, None, None, None)
    after = rt.execute(
        "local p = path; return rawget(_G, 'path') == p, p == require 'pl.path',"
        " stringx == require 'pl.stringx', tablex.size{a = 1, b = 2}, type(List),"
        " rawget(_G, 'no_such_global')"
    )
    assert after == (True, True, True, 2, "table", None)
    # the % operator on strings, as trepl turns on through Penlight's text
    assert rt.eval("'%5.2f|%s|%d' % {3.14159, true, 7}") == " 3.14|true|7"
    assert rt.eval("'x=%s' % 'y'") == "x=y"
    assert rt.eval("'$a and ${b}' % {a = 1, b = 'two'}") == "1 and two"


def test_monitor_globals_loads_penlight_first() -> None:
    r = luatorch("-g", "-e", "print(type(rawget(_G, 'dir')), type(rawget(_G, 'stringx'))) y = 1")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("table\ttable\t\ncreated global variable: y")


def test_require_pl_and_modules() -> None:
    # the values real th (with Penlight installed) gives for the same calls
    rt, _ = th_runtime()
    res = rt.execute("""
      local pl = require 'pl'
      local List, class = require 'pl.List', require 'pl.class'
      local OrderedMap, seq = require 'pl.OrderedMap', require 'pl.seq'
      local pretty, utils = require 'pl.pretty', require 'pl.utils'
      local ls = List{3, 1, 2}:sort():append(4)
      local m = OrderedMap()
      m:set('z', 1); m:set('a', 2); m:set('m', 3); m:set('a', nil)
      class.Animal()
      function Animal:_init(name) self.name = name end
      class.Dog(Animal)
      function Dog:_init(name) self:super(name); self.kind = 'dog' end
      local d = Dog('rex')
      return tostring(ls), tostring(List{'a', 1}), tostring(m), d.name, d.kind,
             d:is_a(Animal), Animal:class_of(d), Dog:class_of(Animal('x')),
             tostring(seq{1, 2, 3, 4}:map('+', 1):filter(function(x) return x % 2 == 0 end):copy()),
             pretty.write({1, 2, a = 'x', b = {c = true}, ['my key'] = 3}),
             pretty.write({1, 'two', k = 3}, ''),
             pretty.read('{1, 2, a = 3}').a, select(2, pretty.read('{os.exit()}')),
             stringx.join(',', stringx.split('a b  c')), tostring(stringx.split('a,,b,', ',')),
             stringx.replace('aXbXc', 'X', '--', 1), select('#', stringx.partition('k=v=w', '=')),
             path.normpath('a//b/./c/../d'), path.relpath('/a/b/c', '/a/x'),
             tostring(tablex.range(1, 9, 3)), tablex.deepcompare({1, {2}}, {1, {2}}),
             utils.split('a b  c')[3], text.dedent('   a\\n    b\\n')""")
    assert res == (
        "{1,2,3,4}",
        "{a,1}",
        "{z=1,m=3}",
        "rex",
        "dog",
        True,
        True,
        False,
        "{2,4}",
        '{\n  1,\n  2,\n  a = "x",\n  b = {\n    c = true\n  },\n  ["my key"] = 3\n}',
        '{1,"two",k=3}',
        3,
        "[string \"tbl\"]:1: attempt to index global 'os' (a nil value)",
        "a,b,c",
        "{a,,b,}",
        "a--bXc",
        3,
        "a/b/d",
        "../b/c",
        "{1,4,7}",
        True,
        "c",
        "a\n b\n",
    )


def test_pl_dir_and_file(tmp_path: Path) -> None:
    rt, _ = th_runtime()
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.lua").write_text("x")
    (tmp_path / "b.txt").write_text("y")
    (tmp_path / "sub" / "c.lua").write_text("z")
    d = str(tmp_path)
    res = rt.execute(f"""
      local file = require 'pl.file'
      local files = dir.getfiles({d!r}, '*.lua')
      local all = dir.getallfiles({d!r}, '*.lua')
      table.sort(all)
      dir.makepath({d!r} .. '/p/q/r')
      file.write({d!r} .. '/p/q/r/f.txt', 'data')
      local ok = dir.rmtree({d!r} .. '/p')
      return #files, path.basename(files[1]), #all, path.basename(all[2]),
             #dir.getdirectories({d!r}), file.read({d!r} .. '/b.txt'), ok,
             path.exists({d!r} .. '/p'), dir.fnmatch('data1.csv', 'data?.[ct]sv')""")
    assert res == (1, "a.lua", 2, "c.lua", 1, "y", True, False, True)


# -------------------------------------------------------------------------- trepl's require
def test_relative_require_and_missing_module(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "util.lua").write_text("return {answer = 42}\n")
    (tmp_path / "lib" / "pkg").mkdir()
    (tmp_path / "lib" / "pkg" / "init.lua").write_text("return 'pkg init'\n")
    (tmp_path / "lib" / "cfg.json").write_text('{"a": [1, 2], "b": "x"}')
    main = tmp_path / "lib" / "main.lua"
    main.write_text(
        "print(require('./util').answer, require('./pkg'))\n"
        "print(require('./cfg.json').a[2], require('./cfg').b)\n"
        "local ok, err = pcall(require, 'no_such_module')\n"
        "print(ok, err:match(\"module 'no_such_module' not found:\") ~= nil)\n"
    )
    r = luatorch(str(main), cwd=tmp_path)  # relative to the file, not to the working directory
    assert r.returncode == 0, r.stderr
    assert r.stdout == "42\tpkg init\t\n2\tx\t\nfalse\ttrue\t\n"


# ---------------------------------------------------------------------------- package search
def test_pure_lua_library_through_lua_path(tmp_path: Path) -> None:
    lib = tmp_path / "mylibs"
    (lib / "mathx").mkdir(parents=True)
    (lib / "greet.lua").write_text("return {hello = function(n) return 'hello ' .. n end}\n")
    (lib / "mathx" / "init.lua").write_text("return {double = function(x) return 2 * x end}\n")
    # a LUA_PATH into a real Torch install must not shadow our torch and nn
    fake = tmp_path / "torch-install"
    (fake / "nn").mkdir(parents=True)
    (fake / "nn" / "init.lua").write_text("error('the wrong nn')\n")
    lua_path = f"{fake}/?.lua;{fake}/?/init.lua;{lib}/?.lua;{lib}/?/init.lua;;"
    script = tmp_path / "use.lua"
    script.write_text(
        "require 'nn'\n"
        "print(require('greet').hello('th'), require('mathx').double(21))\n"
        "print(nn.Linear(2, 3).weight:size(1))\n"
        "print(package.path:find('./?.lua', 1, true) ~= nil)\n"
    )
    r = luatorch(str(script), cwd=tmp_path, LUA_PATH=lua_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "hello th\t42\t\n3\t\ntrue\t\n"
    # without LUA_PATH the library is not found
    r = luatorch(str(script), cwd=tmp_path)
    assert r.returncode == 1 and "module 'greet' not found" in r.stderr


def test_luarocks_tree_is_searched(tmp_path: Path) -> None:
    tree = tmp_path / ".luarocks" / "share" / "lua" / "5.1"
    tree.mkdir(parents=True)
    (tree / "rockmod.lua").write_text("return 'from the rocks tree'\n")
    r = luatorch("-e", "print(require 'rockmod')", cwd=tmp_path, HOME=str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "from the rocks tree\t\n"


def test_search_paths_expand_double_semicolon() -> None:
    env = {"LUA_PATH": "/x/?.lua;;", "LUA_CPATH": "/y/?.so", "HOME": "/home/u"}
    path, cpath = search_paths(None, False, env)
    parts = path.split(";")
    assert parts[0].endswith("lua/?.lua") and parts[2] == "/x/?.lua"
    assert "./?.lua" in parts and "/home/u/.luarocks/share/lua/5.1/?.lua" in parts
    assert not any("cuda_emulation" in p for p in parts)
    assert cpath == "/y/?.so"
    # LUA_PATH without ';;' replaces the default places; ours (and the emulation's) stay first
    path, _ = search_paths(None, True, {"LUA_PATH": "/only/?.lua"})
    parts = path.split(";")
    assert len(parts) == 5 and "cuda_emulation" in parts[2] and parts[4] == "/only/?.lua"


def test_lua_init(tmp_path: Path) -> None:
    r = luatorch("-e", "print(from_init)", LUA_INIT="from_init = 'set by LUA_INIT'")
    assert r.stdout == "set by LUA_INIT\t\n"
    init = tmp_path / "init.lua"
    init.write_text("from_file = 7\n")
    r = luatorch("-e", "print(from_file)", LUA_INIT="@" + str(init))
    assert r.stdout == "7\t\n"
    r = luatorch("-e", "print(1)", LUA_INIT="error('boom')")
    assert r.returncode == 1 and "LUA_INIT:1: boom" in r.stderr and r.stdout == ""


# --------------------------------------------------------------------------------------- CUDA
CHAR_RNN_GPU_CHECK = """
require 'nn'
local gpuid = tonumber(arg[1])
if gpuid >= 0 then
    local ok, cunn = pcall(require, 'cunn')
    local ok2, cutorch = pcall(require, 'cutorch')
    if not ok then print('package cunn not found!') end
    if not ok2 then print('package cutorch not found!') end
    if ok and ok2 then
        print('using CUDA on GPU ' .. gpuid .. '...')
        cutorch.setDevice(gpuid + 1)
        cutorch.manualSeed(123)
    else
        print('Falling back on CPU mode')
        gpuid = -1
    end
end
torch.manualSeed(123)
local model = nn.Sequential():add(nn.Linear(4, 3)):add(nn.LogSoftMax())
if gpuid >= 0 then model:cuda() end
local x = torch.zeros(2, 4):double()
if gpuid >= 0 then x = x:cuda() end
local y = model:forward(x)
print(torch.type(y), y:size(1), y:size(2))
"""


def test_pcall_require_cunn_falls_back_on_cpu(tmp_path: Path) -> None:
    script = tmp_path / "gpu_check.lua"
    script.write_text(CHAR_RNN_GPU_CHECK)
    r = luatorch(str(script), "0")
    assert r.returncode == 0, r.stderr
    assert r.stdout == (
        "package cunn not found!\t\npackage cutorch not found!\t\nFalling back on CPU mode\t\n"
        "torch.DoubleTensor\t2\t3\t\n"
    )
    assert r.stderr == ""
    # the emulation, asked for by flag or environment: the GPU path runs on the CPU
    expected = "using CUDA on GPU 0...\t\ntorch.CudaTensor\t2\t3\t\n"
    r = luatorch("--emulate-cuda", str(script), "0")
    assert (r.returncode, r.stdout) == (0, expected), r.stderr
    r = luatorch(str(script), "0", LUATORCH_EMULATE_CUDA="1")
    assert (r.returncode, r.stdout) == (0, expected), r.stderr


def test_require_cuda_packages_fail_without_emulation() -> None:
    rt, _ = th_runtime()
    for name in ("cutorch", "cunn", "cudnn"):
        with pytest.raises(LuaError) as e:
            rt.execute(f"require '{name}'")
        assert f"module '{name}' not found:" in e.value.message
        assert f"no field package.preload['{name}']" in e.value.message
    assert rt.eval("torch.CudaTensor") is None


def test_cuda_without_cutorch_says_how_to_enable() -> None:
    rt, _ = th_runtime()
    with pytest.raises(LuaError) as e:
        rt.execute("require 'nn' nn.Linear(2, 2):cuda()")
    msg = e.value.message
    assert "cutorch is not loaded" in msg and "--emulate-cuda" in msg
    assert "LUATORCH_EMULATE_CUDA=1" in msg
    with pytest.raises(LuaError, match="cutorch is not loaded"):
        rt.execute("nn.MSECriterion():cuda()")


# ------------------------------------------------------------------------------ Logger:plot
LOGGER_LOOP = """
require 'optim'
logger = optim.Logger(%r)
logger:setNames{'train loss', 'test loss'}
logger:style{'-', '+-'}
for i = 1, 1000 do
   logger:add{1 / i, 2 / i}
   logger:plot()
end
"""


def test_logger_plot_every_iteration_draws_only_the_latest(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("matplotlib")
    import luatorch.packages.gnuplot_backend as backend

    drawn: list[tuple[str, int]] = []
    real_render = backend._render

    def counting_render(fig, path, fmt):
        drawn.append((path.rsplit("/", 1)[-1], len(fig.items[0][3])))
        real_render(fig, path, fmt)

    monkeypatch.setattr(backend, "_render", counting_render)
    monkeypatch.setattr(backend, "THROTTLE", 1e9)  # no mid-loop picture: the count is exact
    out: list[str] = []
    rt = Runtime(write=out.append)
    rt.execute(LOGGER_LOOP % str(tmp_path / "train.log"))
    # 1000 plot() calls: one picture per file, of all 1000 values, drawn when the chunk ended
    assert sorted(drawn) == [("train.log.eps", 1000), ("train.log.png", 1000)]
    assert (tmp_path / "train.log.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "train.log.eps").read_bytes().startswith(b"%!PS-Adobe")
    assert "".join(out) == ""
    assert len((tmp_path / "train.log").read_text().splitlines()) == 1001


def test_logger_plot_goes_through_xlua_require_gnuplot(tmp_path: Path) -> None:
    # as in Torch: without gnuplot, xlua.require prints why, and Logger warns once
    rt, out = th_runtime()
    rt.execute(
        "package.preload.gnuplot = function() error('no gnuplot here') end "
        "package.loaded.gnuplot = nil; gnuplot = nil "
        f"require 'optim' local l = optim.Logger({str(tmp_path / 'a.log')!r}) "
        "l:add{1}; l:add{2}; l:plot(); l:plot()"
    )
    text = "".join(out)
    assert text.count("warning: <gnuplot> could not be loaded (is it installed?)") == 2
    assert text.count("<Logger> warning: cannot plot with this version of Torch\t\n") == 1
    assert not (tmp_path / "a.log.eps").exists()


def test_penlight_matches_real_th() -> None:
    # penlight.out is real th's output for the same script (trepl, Penlight 1.13)
    here = Path(__file__).resolve().parents[1] / "th_env"
    r = luatorch(str(here / "penlight.lua"))
    assert r.returncode == 0, r.stderr
    assert r.stdout == (here / "penlight.out").read_text()


# ------------------------------------------------------------------------------------ nngraph
def test_nngraph_table_minus_and_labels() -> None:
    rt, _ = th_runtime()
    res = rt.execute(
        """
        require 'nngraph'
        local x = nn.Identity()()
        local h1 = nn.Linear(3, 4)(x)
        local h2 = nn.Tanh()(h1)
        local s = {h1, h2} - nn.CAddTable()
        local g = nn.gModule({x}, {s})
        torch.manualSeed(1)
        g:reset()
        local input = torch.randn(3)
        local out = g:forward(input)
        local lin = g:get(2)
        local ref = lin:forward(input):clone()
        ref:add(torch.tanh(ref))
        local labels = {}
        for i, node in ipairs(g.forwardnodes) do labels[i] = node.data.annotations._debugLabel end
        local chain = - nn.Identity() - nn.Tanh()
        return torch.type(s), torch.type(s.data.module), (out - ref):abs():max(),
               table.concat(labels, ' '), g.forwardnodes[2]:label(),
               chain.data.annotations._debugLabel""",
        name="@net.lua",
    )
    # as real nngraph: dummy nodes and nodes made by an operator say [[C]]:-1_
    assert res == (
        "nngraph.Node",
        "nn.CAddTable",
        0.0,
        "[[C]]:-1_ [net.lua]:3_ [net.lua]:4_ [net.lua]:5_ [[C]]:-1_ [[C]]:-1_",
        "input = {Tensor[3]}\\lmodule = nn.Identity\\lreverseMap = {}",
        "[[C]]:-1_",
    )


# ------------------------------------------------------------------------------------ globals
# `for k in pairs(_G)` in real th (trepl with Penlight installed), sorted; rawlen, which the
# oracle's luajit lacks, is there in Torch's own LuaJIT (5.2 compatibility: lib_base.c)
TH_GLOBALS = """_G _LAST _RESULTS _VERSION _preloaded_ arg assert bit browse collectgarbage
coroutine debug dofile dok error gcinfo getfenv getmetatable help import include io ipairs jit
load loadfile
loadstring math module monitor_G newproxy next noColors os package pairs paths pcall print
print_new print_old rawequal rawget rawlen rawset repl require select setfenv setmetatable
setprintlevel
string sys table text tonumber torch torchtest_chunk torchtest_expand torchtest_isSameSizeAs
torchtest_isSetTo torchtest_isSize torchtest_isStorage torchtest_isTensor torchtest_permute
torchtest_repeatTensor torchtest_split torchtest_totable torchtest_view tostring type unpack utils
warn who xerror xlua xpcall xprint xrequire""".split()
# what luatorch does not have: the dok package (dok, browse), and the torchtest_* helpers
# Torch7's torch package leaks from its test file
NOT_HERE = {"dok", "browse"} | {g for g in TH_GLOBALS if g.startswith("torchtest_")}


def test_globals_are_ths() -> None:
    listing = "local t = {} for k in pairs(_G) do t[#t + 1] = k end print(table.concat(t, ' '))"
    r = luatorch("-e", listing)
    assert r.returncode == 0, r.stderr
    assert sorted(r.stdout.split()) == sorted(set(TH_GLOBALS) - NOT_HERE)


def test_include_runs_a_file_next_to_the_caller(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "y.lua").write_text("print('y loaded')\n")
    (tmp_path / "sub" / "x.lua").write_text("include('y.lua')\nprint('after')\n")
    (tmp_path / "main.lua").write_text(f"dofile({str(tmp_path / 'sub' / 'x.lua')!r})\n")
    r = luatorch(str(tmp_path / "main.lua"), cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, "y loaded\t\nafter\t\n"), r.stderr


def test_print_levels_as_trepl() -> None:
    r = luatorch(
        "-e",
        "setprintlevel(1) print({a = {b = 1}}) setprintlevel(0) print(1, nil, 'x')"
        " setprintlevel(5) print({a = {b = 1}}) print(pcall(setprintlevel, -1))",
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout == (
        "{\n  a : {...}\n}\n1\tnil\tx\n{\n  a : \n    {\n      b : 1\n    }\n}\n"
        "false\t[th]:" + r.stdout.split("[th]:")[1].split(":")[0] + ": expected number [0,+)\t\n"
    )


def test_pl_lapp_matches_real_th(tmp_path: Path) -> None:
    # lapp.out is real th's output for the same script (parsing, types, ranges, choices, errors)
    here = Path(__file__).resolve().parents[1] / "th_env"
    r = luatorch(str(here / "lapp.lua"))
    assert r.returncode == 0, r.stderr
    assert r.stdout == (here / "lapp.out").read_text()
    # a bad flag: arg[0]'s name (th's, here luatorch's), the message and the usage on stderr,
    # exit status 1
    script = tmp_path / "tool.lua"
    script.write_text(
        "local args = require 'pl.lapp' [[\nTest tool\n  -n,--count (default 1) how many\n]]\n"
        "print(args.count)\n"
    )
    r = luatorch(str(script), "--bogus")
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == (
        "luatorch: unrecognized parameter: bogus\n\nTest tool\n  -n,--count (default 1) how many\n"
    )
    assert luatorch(str(script), "-n", "5").stdout == "5\t\n"
