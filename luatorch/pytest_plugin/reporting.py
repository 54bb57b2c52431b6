"""Failure reports: the Lua message, the source lines around the failing line, the Lua stack
without the runtime's own machinery, and the one-line summary pytest prints."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..runtime import LUA_DIR

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
