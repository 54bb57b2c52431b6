"""Hostile input: .t7 files that try to run code, data that tries to reach a shell, storages
resized under live tensors. Each test is the attack itself."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from luatorch.runtime import LuaError, Runtime


def quiet_runtime() -> Runtime:
    return Runtime(write=lambda s: None)


# ------------------------------------------------------------------ .t7 files that run code
# optim.Logger.plot writes a PNG to self.pngfile: a file that can install it as a method of an
# object it builds overwrites a file of its choosing. Written by a separate runtime (the
# attacker's), loaded by a fresh one (the victim's).
LOGGER_FIELDS = """
   local path, victim = ...
   require 'nn'; require 'optim'
   -- Logger.plot's bytecode, without its upvalues (Python bindings cannot be written)
   local plot = loadstring(string.dump(optim.Logger.plot))
   local function loggerFields(t, victim)
      t.idx = {[-2] = 'x'}
      t.symbols = {x = {1, 2, 3}}
      t.styles = {x = {'-'}}
      t.names = {x = 'pwned'}
      t.name = 'x'
      t.pngfile = victim
      return t
   end
"""

# a version-1 BatchNormalization: its read() calls self.running_std:pow(-2) while loading
BN_GADGET = (
    LOGGER_FIELDS
    + """
   local bn = nn.BatchNormalization(3)
   bn.running_std = loggerFields({pow = plot}, victim)
   bn.running_var = nil
   local mt = getmetatable(bn)
   local version = rawget(mt, '__version')
   mt.__version = 1
   torch.save(path, bn)
   mt.__version = version
"""
)

# print(model) calls the __tostring__ the file put in the model
TOSTRING_GADGET = (
    LOGGER_FIELDS
    + """
   local m = nn.Sequential():add(nn.Linear(2, 2))
   m.__tostring__ = plot
   loggerFields(m, victim)
   torch.save(path, m)
"""
)


@pytest.fixture
def gadgets(tmp_path: Path) -> tuple[Path, Path, Path]:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    bn, ts = tmp_path / "bn.t7", tmp_path / "tostring.t7"
    attacker = quiet_runtime()
    attacker.execute(BN_GADGET, "=bn", str(bn), str(victim))
    attacker.execute(TOSTRING_GADGET, "=ts", str(ts), str(victim))
    return bn, ts, victim


def test_gadget_files_cannot_run_code_on_load(gadgets: tuple[Path, Path, Path]) -> None:
    bn, ts, victim = gadgets
    rt = quiet_runtime()
    rt.execute("require 'nn'; require 'optim'")
    with pytest.raises(LuaError, match=r"field pow\).*allowFunctions = true"):
        rt.execute("return torch.load(...)", "=t", str(bn))
    with pytest.raises(LuaError, match=r"field __tostring__\).*allowFunctions = true"):
        rt.execute("print(torch.load(...))", "=t", str(ts))
    assert victim.read_text() == "precious\n"


def test_gadget_files_are_real_attacks(gadgets: tuple[Path, Path, Path]) -> None:
    """With the opt-in, torch.load and print run Logger.plot's code up to its last step, the
    PNG writer, which only the file's missing upvalue stops (recognizing the bytecode as the
    loaded method, as this runtime once did, supplied it)."""
    bn, ts, victim = gadgets
    rt = quiet_runtime()
    rt.execute("require 'nn'; require 'optim'")
    with pytest.raises(LuaError, match="upvalue 'plotPNG'"):
        rt.execute("torch.load(..., 'binary', {allowFunctions = true})", "=t", str(bn))
    with pytest.raises(LuaError, match="upvalue 'plotPNG'"):
        rt.execute("print(torch.load(..., 'binary', {allowFunctions = true}))", "=t", str(ts))
    assert victim.read_text() == "precious\n"


def test_functions_this_runtime_wrote_come_back() -> None:
    rt = quiet_runtime()
    res = rt.execute("""
      require 'nn'
      local k = 10
      local function add(x) return x + k end
      local a = torch.deserialize(torch.serialize(add))
      local f = torch.MemoryFile():binary()
      f:writeObject({g = add})
      f:seek(1)
      local b = f:readObject().g
      local lin = nn.Linear(3, 2)
      local net = nn.Sequential():add(lin):add(lin:clone('weight', 'bias'))
      local c = net:clone()
      c.modules[1].weight:fill(5)
      return a(1), b(2), c.modules[2].weight[1][1], type(c.modules[2].accUpdateGradParameters)
    """)
    assert res == (11, 12, 5, "function")


def test_functions_from_elsewhere_need_the_opt_in(tmp_path: Path) -> None:
    """A network with shared parameters saved by another process (as a file from real Torch7)
    holds nn's sharedAccUpdateGradParameters: the error says what to do."""
    path = tmp_path / "shared.t7"
    quiet_runtime().execute(
        """
      require 'nn'
      local a = nn.Linear(3, 2)
      torch.save(..., nn.ParallelTable():add(a):add(a:clone('weight', 'bias')))
    """,
        "=t",
        str(path),
    )
    rt = quiet_runtime()
    rt.execute("require 'nn'")
    with pytest.raises(LuaError) as err:
        rt.execute("return torch.load(...)", "=t", str(path))
    msg = str(err.value)
    assert "field accUpdateGradParameters" in msg and "shared parameters" in msg
    assert "{allowFunctions = true}" in msg
    res = rt.execute(
        """
      local l = torch.load(..., 'binary', {allowFunctions = true})
      l.modules[1].weight:fill(3)
      return l.modules[2].weight[1][1]
    """,
        "=t",
        str(path),
    )
    assert res == (3,)


def test_known_methods_under_other_names_are_refused(tmp_path: Path) -> None:
    """The bytecode of a method of a loaded class is no pass: not under its own name, nor
    under another one."""
    path = tmp_path / "m.t7"
    quiet_runtime().execute(
        """
      require 'nn'
      local function bare(f) return loadstring(string.dump(f)) end
      torch.save(..., {forward = bare(nn.Linear.updateOutput),
                       __tostring__ = bare(nn.Sequential.__tostring__),
                       accUpdateGradParameters = nn.Module.sharedAccUpdateGradParameters})
    """,
        "=t",
        str(path),
    )
    rt = quiet_runtime()
    rt.execute("require 'nn'")
    with pytest.raises(LuaError, match="holds a Lua function"):
        rt.execute("return torch.load(...)", "=t", str(path))


# ------------------------------------------------------------------ no data reaches a shell
FAKE_DOT = """#!/bin/sh
# records its arguments one per line, writes the -o file
printf '%s\\n' "$@" >> dot_args.log
while [ $# -gt 0 ]; do
   if [ "$1" = "-o" ]; then echo '<svg/>' > "$2"; fi
   shift
done
"""

# the old command lines quoted names with '...': these names closed the quotes
HOSTILE_NAMES = ["a'; touch pwned; echo 'b", "c$(touch pwned)`touch pwned`"]


@pytest.fixture
def fake_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    dot = bin_dir / "dot"
    dot.write_text(FAKE_DOT)
    dot.chmod(dot.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_failing_gmodule_name_never_reaches_a_shell(fake_dot: Path, name: str) -> None:
    """nngraph.setDebug(true): a failing gModule's name (a loaded file sets it) names the
    .dot/.svg files handed to graphviz."""
    rt = Runtime(write=lambda s: None)
    msg = rt.execute(
        """
      require 'nngraph'
      nngraph.setDebug(true)
      local x = nn.Identity()()
      local net = nn.gModule({x}, {nn.Linear(10, 10)(x)})
      net = torch.deserialize(torch.serialize(net))
      net.name = ...
      local ok, err = pcall(function() net:updateOutput(torch.rand(11)) end)
      nngraph.setDebug(false)
      return err
    """,
        "=t",
        name,
    )[0]
    assert "size mismatch" in msg
    assert not (fake_dot / "pwned").exists()
    args = (fake_dot / "dot_args.log").read_text().splitlines()
    assert args == ["-Tsvg", "-o", name + ".svg", name + ".dot"]
    assert (fake_dot / (name + ".svg")).read_text() == "<svg/>\n"


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_graphviz_file_names_never_reach_a_shell(fake_dot: Path, name: str) -> None:
    rt = Runtime(write=lambda s: None)
    rt.execute(
        """
      require 'nngraph'
      local x = nn.Identity()()
      local net = nn.gModule({x}, {nn.Tanh()(x)})
      graph.graphvizFile(net.fg, 'dot', ... .. '.svg')
      graph.dot(net.fg, 'title', ...)
    """,
        "=t",
        name,
    )
    assert not (fake_dot / "pwned").exists()
    args = (fake_dot / "dot_args.log").read_text().splitlines()
    assert args[:3] == ["-Kdot", "-Tsvg", "-o"] and args[3] == name + ".svg"
    outputs = [args[i + 1] for i, a in enumerate(args) if a == "-o"]
    assert len(outputs) > 1 and all(o.startswith(name + ".") for o in outputs)
