"""pytest plugin: drive Lua from pytest, collect Lua tests, compare scripts with golden transcripts.

Registered through the ``pytest11`` entry point, so installing luatorch is enough:

* the ``lua`` fixture: a fresh :class:`~luatorch.runtime.Runtime` per test with helpers
  (``lua.run``, ``lua.eval``, ``lua.output``, ``lua.raises``);
* ``test_*.lua`` files (ini ``lua_files``): every global ``test_*`` function, every test of a
  returned ``torch.TestSuite`` (or plain table of functions, or ``torch.Tester``), and every test
  that a ``torch.Tester`` would ``run()`` is one item; ``torch.Tester`` assertion failures fail the
  item with their message; reports show the Lua message, the source around the failing line and
  the Lua stack;
* golden transcripts (ini ``lua_golden_dirs``): in those folders a ``NAME.lua`` next to
  ``NAME.out`` is one item that passes when the script prints exactly the bytes of ``NAME.out``.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ..runtime import LUA_DIR, LuaError, Runtime

GLUE_NAME = "=[luatorch pytest]"
DEFAULT_CHUNK = "=stdin"

# Lua half of the plugin: intercepting Tester:run, finding tests, running one test.
_GLUE = r"""
local M = {}
local collected = {}
local handler = debug.getregistry().__luatorch_traceback or function(e)
   return {msg = tostring(e), traceback = debug.traceback('', 2)}
end
local Tester = torch.Tester

function M.begin()
   collected = {}
   if Tester then
      Tester._collect = function(tester, tests) collected[#collected + 1] = {tester, tests} end
   end
end

function M.finish()
   if Tester then Tester._collect = nil end
end

function M.discover(...)
   local entries, seen = {}, {}
   local function add(key, fn, tester, kind)
      if type(fn) ~= 'function' or seen[fn] then return end
      if key == '_setUp' or key == '_tearDown' then return end
      seen[fn] = true
      local info = debug.getinfo(fn, 'S')
      entries[#entries + 1] = {key = key, name = tostring(key), fn = fn, tester = tester,
                               kind = kind, line = info.linedefined, source = info.source}
   end
   local function addTester(t, kind, tests)
      for k, f in pairs(tests or t.tests) do add(k, f, t, kind) end
   end
   for _, c in ipairs(collected) do addTester(c[1], 'tester', c[2]) end
   for i = 1, select('#', ...) do
      local r = select(i, ...)
      if Tester and torch.typename(r) == 'torch.Tester' then
         addTester(r, 'tester')
      elseif type(r) == 'table' and Tester then
         -- a fresh Tester gives the suite's _setUp/_tearDown their meaning
         local t = Tester()
         if rawget(r, '__isTestSuite') then
            t:add(r)
         else
            for k, f in pairs(r) do
               if type(f) == 'function' then t:add(f, k) end
            end
         end
         addTester(t, 'suite')
      end
   end
   for k, f in pairs(_G) do
      if type(k) == 'string' and k:match('^test_') then add(k, f, nil, 'global') end
   end
   table.sort(entries, function(a, b)
      if a.line ~= b.line then return a.line < b.line end
      return a.name < b.name
   end)
   return entries
end

function M.run(entry)
   local failures = {}
   local previous = Tester and Tester._listener
   if Tester then
      Tester._listener = function(tester, message, traceback)
         failures[#failures + 1] = {message = message, traceback = traceback}
      end
   end
   local ok, status, err
   if entry.tester then
      -- the test itself runs under xpcall so the stack names it <file:line> as Torch shows it
      ok, status, err = xpcall(entry.tester._runTest, handler, entry.tester, entry.key,
                               entry.fn, handler)
      if not ok then status, err = 'error', status end
   else
      ok, err = xpcall(entry.fn, handler)
      status = ok and 'pass' or 'error'
   end
   if Tester then Tester._listener = previous end
   return status, failures, err
end

local P = torch._P
function M.kind(v)
   if P[v] ~= nil then return 'object' end
   if type(v) == 'table' then
      if torch.typename(v) ~= nil then return 'class' end
      return 'table', string.format('%p', v)
   end
   return type(v)
end

return M
"""


# ------------------------------------------------------------------------------------ options
def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("luatorch", "Lua tests (luatorch)")
    group.addoption(
        "--lua-runtime-per-module",
        action="store_true",
        default=False,
        help="share one Lua runtime among the tests of a .lua file (faster, less isolated)",
    )
    parser.addini(
        "lua_files",
        type="args",
        default=["test_*.lua"],
        help="glob patterns of Lua test files (default: test_*.lua)",
    )
    parser.addini(
        "lua_golden_dirs",
        type="paths",
        default=[],
        help="folders where NAME.lua next to NAME.out is a golden-transcript test",
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix != ".lua":
        return None
    config = parent.config
    if file_path.with_suffix(".out").is_file() and _in_golden_dirs(config, file_path):
        return LuaGoldenFile.from_parent(parent, path=file_path)
    patterns = config.getini("lua_files")
    if any(fnmatch.fnmatch(file_path.name, p) for p in patterns):
        return LuaFile.from_parent(parent, path=file_path)
    return None


def _in_golden_dirs(config: pytest.Config, path: Path) -> bool:
    path = path.resolve()
    for d in config.getini("lua_golden_dirs"):
        d = Path(d).resolve()
        if path.parent == d or d in path.parents:
            return True
    return False


# ------------------------------------------------------------------------- the lua fixture
class LuaFixture:
    """A fresh runtime with helpers for tests written in Python.

    ``run(code, *args)`` returns the chunk's results converted to Python: tensors and storages
    become numpy copies, plain tables become lists (keys 1..n) or dicts, class instances (nn
    modules, ...) stay Lua objects. Everything Lua prints is kept in ``output`` (and also goes
    to sys.stdout, so pytest shows it for a failing test).
    """

    def __init__(self, script_dir: str | None = None, chunkname: str = DEFAULT_CHUNK) -> None:
        self._out: list[str] = []
        self.chunkname = chunkname
        self.runtime = Runtime(write=self._write, script_dir=script_dir)
        self._glue = self.runtime.execute(_GLUE, GLUE_NAME)[0]

    def _write(self, s: str) -> None:
        self._out.append(s)
        sys.stdout.write(s)

    # ------------------------------------------------------------------------ output
    @property
    def output(self) -> str:
        """Everything Lua printed since the start (or since the last ``take_output``)."""
        return "".join(self._out)

    def take_output(self) -> str:
        """Return the output so far and start afresh."""
        s = self.output
        self._out.clear()
        return s

    def clear_output(self) -> None:
        self._out.clear()

    # ------------------------------------------------------------------------ running
    @property
    def globals(self) -> Any:
        return self.runtime.globals

    def run(self, code: str, *args: Any, name: str | None = None) -> tuple:
        """Run a chunk (``...`` holds ``args``); return its results converted to Python."""
        __tracebackhide__ = True
        try:
            res = self.runtime.execute(
                code, name or self.chunkname, *[self.to_lua(a) for a in args]
            )
        except LuaError as e:
            raise LuaRunError(e.message, e.traceback) from None
        return tuple(self.to_python(r) for r in res)

    def eval(self, expr: str, *args: Any) -> Any:
        """The value of one Lua expression, converted to Python."""
        __tracebackhide__ = True
        res = self.run("return " + expr, *args)
        return res[0] if res else None

    def raises(
        self, code: str, *args: Any, match: str | None = None, name: str | None = None
    ) -> LuaError:
        """Assert that the chunk raises a Lua error (whose message ``re.search``-es ``match``)."""
        __tracebackhide__ = True
        try:
            self.runtime.execute(code, name or self.chunkname, *[self.to_lua(a) for a in args])
        except LuaError as e:
            if match is not None and not re.search(match, e.message):
                pytest.fail(
                    f"Lua error message does not match {match!r}:\n  {e.message}", pytrace=False
                )
            return e
        pytest.fail(f"DID NOT RAISE a Lua error:\n{code}", pytrace=False)

    # ---------------------------------------------------------------------- conversion
    def to_python(self, v: Any) -> Any:
        """A Lua value as Python: numpy copies of tensors, lists/dicts of plain tables."""
        return self._convert(v, {})

    def _convert(self, v: Any, memo: dict[str, Any]) -> Any:
        from lupa import luajit21

        if luajit21.lua_type(v) is None:
            return v
        kind = self._glue.kind(v)
        if isinstance(kind, tuple):
            kind, ident = kind
        else:
            ident = None
        if kind == "object":
            obj = self.runtime.globals.torch._P[v]
            return _numpy_of(obj)
        if kind != "table":
            return v
        if ident in memo:
            return memo[ident]
        items = list(v.items())
        n = len(items)
        if (
            n
            and all(isinstance(k, int) for k, _ in items)
            and sorted(k for k, _ in items) == list(range(1, n + 1))
        ):
            out_list: list[Any] = []
            memo[ident] = out_list
            by_key = dict(items)
            out_list.extend(self._convert(by_key[i], memo) for i in range(1, n + 1))
            return out_list
        out: dict[Any, Any] = {}
        memo[ident] = out
        for k, val in items:
            out[self._convert(k, memo)] = self._convert(val, memo)
        return out

    def to_lua(self, v: Any) -> Any:
        """numpy arrays become tensors (their dtype picks the type), lists/dicts tables."""
        if isinstance(v, np.ndarray):
            return v.item() if v.ndim == 0 else self.tensor(v)
        if isinstance(v, (list, tuple)):
            return self.runtime.lua.table_from([self.to_lua(x) for x in v])
        if isinstance(v, dict):
            return self.runtime.lua.table_from({k: self.to_lua(x) for k, x in v.items()})
        if isinstance(v, np.generic):
            return v.item()
        return v

    def tensor(self, a: np.ndarray) -> Any:
        """A Lua tensor holding a copy of ``a`` (float64 -> DoubleTensor, int64 -> Long, ...)."""
        from ..tensor.core import TYPE_OF_DTYPE, Storage, Tensor

        a = np.asarray(a)
        if a.dtype == np.bool_:
            a = a.astype(np.uint8)
        ttype = TYPE_OF_DTYPE.get(a.dtype)
        if ttype is None:
            raise TypeError(f"no torch tensor type for numpy dtype {a.dtype}")
        flat = np.ascontiguousarray(a).reshape(-1).copy()
        t = Tensor(ttype, Storage(ttype, data=flat), 0, a.shape if a.size else ())
        return self.runtime.bindings.wrap(t)


def _numpy_of(obj: Any) -> Any:
    from ..tensor.core import Storage, Tensor

    if isinstance(obj, Tensor):
        return obj.arr.copy()
    if isinstance(obj, Storage):
        return obj.data.copy()
    return obj


class LuaRunError(LuaError):
    """A Lua error from ``lua.run``: shows the Lua message and the Lua stack."""

    def __str__(self) -> str:
        stack = _clean_stack(self.traceback)
        if not stack:
            return self.message
        return self.message + "\nLua stack:\n" + "\n".join("    " + s for s in stack)


@pytest.fixture
def lua(request: pytest.FixtureRequest) -> Iterator[LuaFixture]:
    """A fresh luatorch runtime (``torch`` loaded) with run/eval/raises/output helpers."""
    yield LuaFixture(script_dir=str(request.path.parent))


# ------------------------------------------------------------------------- error reports
_FRAME = re.compile(r"^\s*(?P<path>.+?):(?P<line>\d+):")


def _clean_stack(traceback: str) -> list[str]:
    """Lua stack lines without the runtime's own machinery (raise helpers, xpcall, glue)."""
    lines = [ln.strip() for ln in traceback.splitlines()]
    lines = [ln for ln in lines if ln and ln != "stack traceback:"]
    # the torch package's own Lua (bindings' error raising, Tester internals)
    own = str(LUA_DIR / "torch") + os.sep

    def machinery(ln: str) -> bool:
        return ln.startswith(("[C]:", "(tail call)", own))

    while lines and machinery(lines[0]):
        lines.pop(0)
    for i, ln in enumerate(lines):
        if "[luatorch pytest]" in ln or ln.startswith("[builtin#"):
            lines = lines[:i]
            break
    while lines and (machinery(lines[-1]) and "main chunk" not in lines[-1]):
        lines.pop()
    return lines


def _same_chunk(path: str, chunk: str) -> bool:
    """Does a path in a Lua message (maybe cut to '...tail') name this chunk?"""
    if path == chunk:
        return True
    return path.startswith("...") and chunk.endswith(path[3:])


def _locate(texts: Sequence[str], chunk: str) -> int | None:
    """The first line number that the texts (messages, stack lines) give in the chunk."""
    for text in texts:
        for ln in text.splitlines():
            m = _FRAME.match(ln)
            if m and _same_chunk(m.group("path").strip(), chunk):
                return int(m.group("line"))
    return None


def _snippet(source: str, line: int, context: int = 2) -> list[str]:
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return []
    lo, hi = max(1, line - context), min(len(lines), line + context)
    width = len(str(hi))
    out = []
    for i in range(lo, hi + 1):
        mark = ">" if i == line else " "
        out.append(f"{mark} {i:>{width}}  {lines[i - 1]}")
    return out


@dataclass
class _Crash:
    """Where and why, for pytest's one-line summaries (``-rf``, ``--tb=line``, junitxml)."""

    path: str
    lineno: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.lineno}: {self.message}"


@dataclass
class LuaFailureRepr:
    """What pytest prints for a failing Lua item: message, source lines, Lua stack."""

    sections: list[tuple[str, list[str], list[str], list[str]]]  # (title, message, code, stack)
    reprcrash: _Crash
    extra: list[str] = field(default_factory=list)

    def toterminal(self, tw: Any) -> None:
        for i, (title, message, code, stack) in enumerate(self.sections):
            if i:
                tw.line("")
            if title:
                tw.line(title, bold=True)
            for ln in message:
                tw.line(ln, red=True, bold=True)
            if code:
                tw.line("")
                for ln in code:
                    tw.line(ln, bold=ln.startswith(">"))
            if stack:
                tw.line("")
                tw.line("Lua stack:")
                for ln in stack:
                    tw.line("    " + ln)
        for ln in self.extra:
            tw.line(ln)

    def __str__(self) -> str:
        out: list[str] = []
        for i, (title, message, code, stack) in enumerate(self.sections):
            if i:
                out.append("")
            if title:
                out.append(title)
            out += message
            if code:
                out += [""] + code
            if stack:
                out += ["", "Lua stack:"] + ["    " + s for s in stack]
        return "\n".join(out + self.extra)


class LuaTestFailure(Exception):
    """A Lua test failed: a Lua error (message, traceback) and/or Tester assertion failures."""

    def __init__(
        self, error: tuple[str, str] | None = None, failures: Sequence[tuple[str, str]] = ()
    ) -> None:
        self.error = error
        self.failures = list(failures)
        first = error[0] if error else (failures[0][0] if failures else "Lua test failed")
        super().__init__(first)


def _describe(
    exc: LuaTestFailure, chunk: str, source: str, path: Path, testname: str, tbstyle: str = "auto"
) -> LuaFailureRepr:
    full = _describe_full(exc, chunk, source, path, testname)
    if tbstyle == "line":
        # pytest prints the crash line itself after the report
        return LuaFailureRepr([], full.reprcrash)
    if tbstyle == "short":
        full.sections = [(t, m, c, []) for t, m, c, _ in full.sections]
    return full


def _describe_full(
    exc: LuaTestFailure, chunk: str, source: str, path: Path, testname: str
) -> LuaFailureRepr:
    sections = []
    crash_line = 0
    nf = len(exc.failures)
    for i, (message, tb) in enumerate(exc.failures):
        stack = _clean_stack(tb)
        line = _locate(stack, chunk)
        crash_line = crash_line or (line or 0)
        title = (
            f"torch.Tester assertion failed in {testname}"
            if nf == 1
            else f"torch.Tester assertion {i + 1} of {nf} failed in {testname}"
        )
        where = [f"{chunk}:{line}:"] if line else []
        code = where + _snippet(source, line) if line else []
        sections.append((title, message.splitlines(), code, stack))
    if exc.error:
        message, tb = exc.error
        stack = _clean_stack(tb)
        line = _locate([message, *stack], chunk)
        crash_line = crash_line or (line or 0)
        where = [f"{chunk}:{line}:"] if line else []
        code = where + _snippet(source, line) if line else []
        title = "Lua error" if exc.failures else ""
        sections.append((title, message.splitlines(), code, stack))
    first = (
        exc.error[0]
        if exc.error and not exc.failures
        else (exc.failures[0][0] if exc.failures else "Lua test failed")
    )
    crash = _Crash(chunk, crash_line, " | ".join(first.splitlines()))
    return LuaFailureRepr(sections, crash)


# ------------------------------------------------------------------------- Lua test files
def _chunkname(config: pytest.Config, path: Path) -> str:
    """The name Lua messages give the file: relative to the rootdir when inside it (as th)."""
    try:
        return str(path.relative_to(config.rootpath))
    except ValueError:
        return str(path)


@dataclass
class _Loaded:
    runtime: Runtime
    glue: Any
    entries: list[Any]
    output: list[str]


def _load(path: Path, chunk: str, source: str, write: Any = None) -> _Loaded:
    """A runtime that has run the file (Tester:run intercepted) and the tests it defines."""
    output: list[str] = []
    rt = Runtime(write=write or output.append, script_dir=str(path.parent))
    glue = rt.execute(_GLUE, GLUE_NAME)[0]
    fn = rt.compile(source, "@" + chunk)
    glue.begin()
    try:
        results = rt.call(fn)
    finally:
        glue.finish()
    found = glue.discover(*results)
    entries = [found[i] for i in range(1, len(found) + 1)]
    return _Loaded(rt, glue, entries, output)


class LuaFile(pytest.File):
    """A ``test_*.lua`` file: one item per test function it defines."""

    def _setup_names(self) -> None:
        self.source = self.path.read_text(encoding="utf-8", errors="surrogateescape")
        self.chunk = _chunkname(self.config, self.path)
        self._shared: _Loaded | LuaTestFailure | None = None

    def collect(self) -> Iterator[pytest.Item]:
        self._setup_names()
        try:
            loaded = _load(self.path, self.chunk, self.source)
        except LuaError as e:
            raise LuaTestFailure(error=(e.message, e.traceback)) from None
        used: dict[str, int] = {}
        for entry in loaded.entries:
            name = str(entry.name)
            key = (name, str(entry.kind))
            n = used.get(name, 0)
            used[name] = n + 1
            yield LuaItem.from_parent(
                self,
                name=name if n == 0 else f"{name}[{n}]",
                lua_key=key,
                lua_index=n,
                lua_line=int(entry.line or 0),
            )

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, LuaTestFailure):
            return _describe(
                excinfo.value,
                self.chunk,
                self.source,
                self.path,
                self.name,
                self.config.getoption("tbstyle", "auto"),
            )
        return super().repr_failure(excinfo, style)

    # shared runtime for --lua-runtime-per-module, built by the first item that runs
    def shared(self) -> _Loaded:
        if self._shared is None:
            try:
                self._shared = _load(self.path, self.chunk, self.source, _stdout_write)
            except LuaError as e:
                self._shared = LuaTestFailure(error=(e.message, e.traceback))
        if isinstance(self._shared, LuaTestFailure):
            raise self._shared
        return self._shared

    def teardown(self) -> None:
        self._shared = None


def _stdout_write(s: str) -> None:
    # looked up per call: pytest swaps sys.stdout while capturing each test
    sys.stdout.write(s)


class LuaItem(pytest.Item):
    """One Lua test function."""

    def __init__(
        self, *, lua_key: tuple[str, str], lua_index: int, lua_line: int, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.lua_key = lua_key
        self.lua_index = lua_index
        self.lua_line = lua_line

    @property
    def lua_file(self) -> LuaFile:
        assert isinstance(self.parent, LuaFile)
        return self.parent

    def runtest(self) -> None:
        parent = self.lua_file
        if self.config.getoption("lua_runtime_per_module"):
            loaded = parent.shared()
        else:
            try:
                loaded = _load(parent.path, parent.chunk, parent.source, _stdout_write)
            except LuaError as e:
                raise LuaTestFailure(error=(e.message, e.traceback)) from None
        entry = self._find(loaded.entries)
        res = loaded.glue.run(entry)
        status, lua_failures, err = res[0], res[1], res[2]
        failures = [
            (str(f.message), str(f.traceback or ""))
            for f in (lua_failures[i] for i in range(1, len(lua_failures) + 1))
        ]
        if status == "skip":
            pytest.skip("disabled in torch.Tester")
        if status == "error":
            from lupa import luajit21

            if luajit21.lua_type(err) == "table":
                error = (str(err["msg"]), str(err["traceback"] or ""))
            else:
                error = (str(err), "")
            raise LuaTestFailure(error=error, failures=failures)
        if failures:
            raise LuaTestFailure(failures=failures)

    def _find(self, entries: list[Any]) -> Any:
        # the n-th test of this name, as collection numbered them (name[1], name[2], ...)
        n = 0
        for entry in entries:
            if str(entry.name) == self.lua_key[0]:
                if n == self.lua_index:
                    if str(entry.kind) == self.lua_key[1]:
                        return entry
                    break
                n += 1
        raise LuaTestFailure(error=(f"test {self.name} is no longer defined by the file", ""))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, LuaTestFailure):
            p = self.lua_file
            return _describe(
                excinfo.value,
                p.chunk,
                p.source,
                p.path,
                self.name,
                self.config.getoption("tbstyle", "auto"),
            )
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, max(self.lua_line - 1, 0), f"{self.name} (Lua)"


# ---------------------------------------------------------------------- golden transcripts
@dataclass
class GoldenResult:
    """What a script printed, what it should have printed, and any Lua error."""

    script: Path
    expected: bytes
    actual: bytes
    error: LuaError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.actual == self.expected

    def report(self, max_lines: int = 120) -> str:
        """A readable account of the mismatch: where, a unified diff, and the Lua error."""
        out: list[str] = []
        name = self.script.name
        if self.error is not None:
            out.append(f"{name} raised a Lua error: {self.error.message}")
            stack = _clean_stack(self.error.traceback)
            if stack:
                out.append("Lua stack:")
                out += ["    " + s for s in stack]
            out.append("")
        if self.actual != self.expected:
            out.append(_first_difference(self.expected, self.actual))
            exp = self.expected.decode("utf-8", "replace").splitlines(keepends=True)
            act = self.actual.decode("utf-8", "replace").splitlines(keepends=True)
            diff = list(
                difflib.unified_diff(exp, act, f"expected ({self.script.stem}.out)", "actual", n=2)
            )
            out.append("(tabs shown as \\t, trailing spaces as ·)")
            shown = [_visible(d) for d in diff]
            if len(shown) > max_lines:
                shown = shown[:max_lines] + [f"... {len(shown) - max_lines} more diff lines"]
            out += shown
        return "\n".join(out)


def _visible(line: str) -> str:
    """A diff line with tabs, carriage returns and trailing spaces made visible."""
    if line.startswith(("---", "+++", "@@ ")):
        return line.rstrip("\n")
    body = line[:-1] if line.endswith("\n") else line
    stripped = body.rstrip(" ")
    body = stripped + "\u00b7" * (len(body) - len(stripped))
    body = body.replace("\t", "\\t").replace("\r", "\\r")
    if not line.endswith("\n"):
        body += "\n\\ No newline at end of file"
    return body


def _first_difference(expected: bytes, actual: bytes) -> str:
    n = min(len(expected), len(actual))
    i = next((k for k in range(n) if expected[k] != actual[k]), n)
    line = expected[:i].count(b"\n") + 1
    col = i - (expected.rfind(b"\n", 0, i) + 1) + 1
    return (
        f"output differs from byte {i} (line {line}, column {col}); "
        f"expected {len(expected)} bytes, got {len(actual)}"
    )


def run_script(script: Path | str, args: Sequence[str] = ()) -> tuple[bytes, LuaError | None]:
    """Run a script as ``th script.lua`` does from its folder; return its output and error."""
    script = Path(script).resolve()
    out: list[str] = []
    cwd = os.getcwd()
    error = None
    try:
        os.chdir(script.parent)
        rt = Runtime(write=out.append, script_dir=str(script.parent))
        argt = rt.lua.table_from({0: script.name, **{i + 1: a for i, a in enumerate(args)}})
        rt.globals["arg"] = argt
        source = script.read_text(encoding="utf-8", errors="surrogateescape")
        try:
            rt.execute(source, "@" + script.name, *args)
        except LuaError as e:
            error = e
    finally:
        os.chdir(cwd)
    return "".join(out).encode("utf-8", "surrogateescape"), error


def run_golden(script: Path | str, expected: Path | str | None = None) -> GoldenResult:
    """Run ``NAME.lua`` and compare with ``NAME.out`` (or ``expected``) byte for byte."""
    script = Path(script)
    expected_path = Path(expected) if expected else script.with_suffix(".out")
    actual, error = run_script(script)
    return GoldenResult(script, expected_path.read_bytes(), actual, error)


class GoldenMismatch(AssertionError):
    """A script's output differs from its golden transcript."""


def check_golden(script: Path | str, expected: Path | str | None = None) -> None:
    """Fail (``GoldenMismatch``) unless the script prints exactly its golden transcript."""
    __tracebackhide__ = True
    result = run_golden(script, expected)
    if not result.ok:
        raise GoldenMismatch(result.report())


class LuaGoldenFile(pytest.File):
    """``NAME.lua`` next to ``NAME.out`` in a ``lua_golden_dirs`` folder."""

    def collect(self) -> Iterator[pytest.Item]:
        yield LuaGoldenItem.from_parent(self, name="output")


class LuaGoldenItem(pytest.Item):
    """Passes when the script prints exactly the bytes of its ``.out`` file."""

    def runtest(self) -> None:
        result = run_golden(self.path)
        if not result.ok:
            raise GoldenMismatch(result.report())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, GoldenMismatch):
            text = str(excinfo.value)
            first = text.splitlines()[0] if text else "golden mismatch"
            return LuaFailureRepr([], _Crash(str(self.path), 0, first), extra=text.splitlines())
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"golden transcript {self.path.with_suffix('.out').name}"
