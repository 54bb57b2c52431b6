"""Golden transcripts: a script run as ``th NAME.lua`` from its folder must print exactly the
bytes of ``NAME.out``; a mismatch says where and shows a readable diff."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ..runtime import LuaError, Runtime
from .reporting import LuaFailureRepr, _clean_stack, _Crash


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
