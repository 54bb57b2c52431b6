"""REPL evaluation without a terminal: chunk completeness, th's auto-print rule, timing, Ctrl-C.

Everything here is plain functions and one ``Session`` class so tests can drive it directly;
the front ends in ``loop.py`` only read lines and hand them over.
"""

from __future__ import annotations

import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any

from ..packages import gnuplot_backend
from . import printing

# How many VM instructions run between two checks for a pending Ctrl-C (DESIGN.md §4).
HOOK_COUNT = 10000

_LUA_RUNNER = r"""
local pending, pyerror, hookCount = ...
local xpcall, traceback, sethook, gethook = xpcall, debug.traceback, debug.sethook, debug.gethook
local getinfo, unpack, insert = debug.getinfo, unpack, table.insert

local onerror
local function interruptCheck()
   -- The flag stays set while a Ctrl-C raised in Python (a KeyboardInterrupt) is reported, and
   -- the count may run out on onerror's first instructions, before it turns the hook off: an
   -- error raised there would replace the report with "error in error handling".
   if pending() and getinfo(2, 'f').func ~= onerror then error('interrupted!', 2) end
end

function onerror(e)
   sethook()  -- no interrupt checks while the error is being reported
   if type(e) ~= 'string' and type(e) ~= 'number' then
      -- a Python exception raised in a plain Python callable (Ctrl-C inside Python code)
      local msg = pyerror(e)
      if not msg then return e end
      e = msg
   end
   return traceback(e, 2)
end

-- th's auto-print: print _RESULT's values and keep the first in _RESULTS
local function showResult()
   local res = rawget(_G, '_RESULT') or {}
   if type(rawget(_G, '_RESULTS')) ~= 'table' then _RESULTS = {} end
   local pok, perr = xpcall(function() print(unpack(res)) end, onerror)
   insert(_RESULTS, res[1])
   return pok, perr
end

-- run one compiled chunk as th does: errors print their traceback, auto-print prints _RESULT.
-- quiet (the notebook kernel): print neither; return false and the error, and let the caller
-- call showResult itself.
local function run(chunk, autoprint, quiet)
   jit.off(chunk, true)  -- compiled traces never look at hooks: keep typed code interpretable
   local hook, mask, count = gethook()
   sethook(interruptCheck, '', hookCount)
   local ok, err = xpcall(chunk, onerror)
   if hook then sethook(hook, mask, count) else sethook() end
   if not ok then
      if quiet then return false, err end
      print(err)
      return false
   end
   if autoprint and not quiet then
      local pok, perr = showResult()
      if not pok then print(perr) end
   end
   return true
end

local function setLast()
   if type(rawget(_G, '_RESULTS')) == 'table' then _LAST = _RESULTS[#_RESULTS] end
end

local function addResult(s)
   if type(rawget(_G, '_RESULTS')) ~= 'table' then _RESULTS = {} end
   insert(_RESULTS, s)
end

return run, setLast, addResult, showResult
"""

_SEMI_END = re.compile(r";\s*$")
_PRINT_START = re.compile(r"^\s*print")


def _python_error(e: Any) -> str | None:
    """Lua's view of a Python exception object: 'interrupted!' for Ctrl-C, else None."""
    if isinstance(e, KeyboardInterrupt):
        return "interrupted!"
    return None


_PENDING_CODES = (threading.Event.is_set.__code__,)


def load(rt: Any, code: str) -> tuple[Any, str | None]:
    """Lua's loadstring(code): (function, None) or (None, error message)."""
    res = rt.lua.globals().loadstring(code)
    if isinstance(res, tuple):
        if res[0] is not None:
            return res[0], None
        return None, str(res[1])
    return res, None


def is_complete(rt: Any, code: str) -> bool:
    """False while ``code`` is an unfinished chunk (Lua's error ends with ``'<eof>'``)."""
    if load(rt, "return " + code)[0] is not None:
        return True
    fn, err = load(rt, code)
    if fn is not None:
        return True
    return not (err or "").endswith("'<eof>'")


def wants_autoprint(rt: Any, line: str) -> bool:
    """th's rule: no trailing ``;``, no leading ``print``, and ``return <line>`` compiles."""
    if _SEMI_END.search(line) or _PRINT_START.search(line):
        return False
    return load(rt, "local f = function() return " + line + " end")[0] is not None


def is_expression(rt: Any, code: str) -> bool:
    """``code`` is an expression list th would auto-print (and no ``print`` line)."""
    if not code.strip() or _PRINT_START.search(code):
        return False
    return load(rt, "local f = function() return " + code + " end")[0] is not None


def split_tail(rt: Any, code: str) -> tuple[str, str] | None:
    """Split a chunk into (statements, last expression), or None when it does not end in one.

    The last expression starts at a line boundary; the shortest such tail wins. When the whole
    chunk already compiles as statements, the tail must be a statement by itself (a call), so
    that splitting cannot change how Lua reads the chunk (``x = 1`` then ``- 2`` stays one
    statement)."""
    lines = code.rstrip().split("\n")
    whole_ok = load(rt, code)[0] is not None
    for k in range(len(lines) - 1, -1, -1):
        head, tail = "\n".join(lines[:k]), "\n".join(lines[k:])
        if not is_expression(rt, tail):
            continue
        if whole_ok and load(rt, tail)[0] is None:
            continue
        if head.strip() and load(rt, head)[0] is None:
            continue
        return head, tail
    return None


class Session:
    """One REPL session on a runtime: evaluates th lines, prints results and timings.

    ``display_last`` (the notebook kernel) shows the value of a multi-statement cell's last
    expression, as IPython does; th's REPL runs such a chunk without printing."""

    display_last = False
    hook_count = HOOK_COUNT  # VM instructions between two looks at the Ctrl-C flag

    def __init__(
        self,
        rt: Any,
        timing: bool = True,
        color: bool = False,
        write: Callable[[str], Any] | None = None,
    ) -> None:
        self.rt = rt
        self.timing = timing
        self.color = color
        self.write = write or rt.write
        self.interrupt = threading.Event()
        self.pasted: list[str] = []  # lines of a terminal paste still to run (repl.keys)
        self._run, self._set_last, self._add_result, self._show_result = rt.compile(
            _LUA_RUNNER, "=[repl]"
        )(self._pending, _python_error, self.hook_count)
        if rt.lua.globals()._RESULTS is None:  # a bare Runtime: add th's globals first
            from . import thenv

            thenv.install(rt)

    def _print(self, *values: Any) -> None:
        # the current global print, as th uses (the user may have replaced it)
        self.rt.lua.globals().print(*values)

    # ------------------------------------------------------------------ one line
    def run(self, line: str) -> None:
        """Evaluate one complete line (or multi-line chunk) as th does."""
        stripped = line.lstrip()
        if stripped.startswith("$"):
            self.shell(stripped[1:])
            self._set_last()
            return
        if stripped.startswith("="):
            line = stripped[1:]  # Lua 5.1's `= expr` still works
            stripped = line.lstrip()
        if stripped.startswith("?"):
            what = stripped[1:].strip()
            if not what:
                self.write(printing.selfhelp(self.color))
                self._set_last()
                return
            line = "help(" + what + ")"
        start = time.perf_counter()
        try:
            self.evaluate(line)
        except KeyboardInterrupt:
            self.report_error("interrupted!")
        step = time.perf_counter() - start
        if self.timing:
            self.write(printing.timing_line(step, self.color))
        self._set_last()

    def evaluate(self, line: str) -> bool:
        """Compile and run ``line`` with auto-print; Ctrl-C interrupts it. True on success."""
        autoprint = wants_autoprint(self.rt, line)
        if autoprint:
            fn, err = load(self.rt, "_RESULT={" + line + "}")
        else:
            chunk, autoprint = self._chunk(line)
            fn, err = load(self.rt, chunk)
        if fn is None:
            self.report_error("syntax error: " + str(err))
            return False
        self.interrupt.clear()
        previous = signal.getsignal(signal.SIGINT)
        in_main = threading.current_thread() is threading.main_thread()
        if in_main:
            signal.signal(signal.SIGINT, self._on_sigint)
        try:
            return self.execute(fn, autoprint)
        finally:
            if in_main:
                signal.signal(signal.SIGINT, previous)
            self.interrupt.clear()
            if gnuplot_backend.pending_figures:  # figures the line changed get drawn (lazily)
                gnuplot_backend.flush_pending()

    def _chunk(self, line: str) -> tuple[str, bool]:
        """The code to run for a line th would not auto-print, and whether to print _RESULT.

        Two additions to th: an expression ending in ``;`` (``x;``) is evaluated silently
        instead of being a syntax error, and with ``display_last`` a chunk ending in an
        expression shows that expression's value."""
        hidden = _SEMI_END.search(line)
        body = _SEMI_END.sub("", line) if hidden else line
        if hidden and load(self.rt, line)[0] is None:
            split = split_tail(self.rt, body)
            if split:
                return split[0] + "\nlocal _ = {" + split[1] + "}", False
        elif not hidden and self.display_last and "\n" in line.strip():
            split = split_tail(self.rt, line)
            if split and split[0].strip():
                return split[0] + "\n_RESULT={" + split[1] + "}", True
        return line, False

    def execute(self, fn: Any, autoprint: bool) -> bool:
        """Run a compiled chunk under the Ctrl-C hook (front ends may override how results
        and errors show: the notebook kernel does)."""
        return bool(self._run(fn, autoprint))

    def report_error(self, message: Any) -> None:
        """Show an error th's way: printed, and the session goes on."""
        self._print(message)

    def _pending(self) -> bool:
        """Asked by the Lua count hook: has Ctrl-C been pressed?"""
        return self.interrupt.is_set()

    def _on_sigint(self, signum: int, frame: Any) -> None:
        # Python runs this handler only between Python bytecodes. When the Lua hook is asking
        # (_pending), the hook raises 'interrupted!' itself. Anywhere else we are inside Python
        # code called from Lua (a tensor binding, a sleep...): stop it now, or a Lua loop that
        # spends its time in Python would run thousands of iterations before the next check.
        self.interrupt.set()
        if frame is not None and frame.f_code in _PENDING_CODES:
            return
        raise KeyboardInterrupt

    # ------------------------------------------------------------------ extras
    def shell(self, command: str) -> None:
        """``$ cmd``: run a shell command, print its output, keep it in _RESULTS."""
        # the line the user typed after `$` is a shell command line by design (pipes, globs)
        try:
            out = subprocess.run(command, shell=True, capture_output=True, check=False)
            text = (out.stdout + out.stderr).decode("utf-8", "replace")
        except KeyboardInterrupt:
            text = "interrupted!\n"
        self.write(text)
        self._add_result(text)

    def globals_value(self, expr: str) -> Any:
        """Value of a Lua expression, or None if it fails (for the toolbar)."""
        fn, _ = load(self.rt, "return " + expr)
        if fn is None:
            return None
        ok_res = self.rt.lua.globals().pcall(fn)
        if isinstance(ok_res, tuple) and ok_res and ok_res[0]:
            return ok_res[1] if len(ok_res) > 1 else None
        return None

    def toolbar_text(self) -> str:
        """Default tensor type, BLAS threads and timing state, for the bottom toolbar."""
        ttype = self.globals_value("torch.getdefaulttensortype()") or "?"
        threads = self.globals_value("torch.getnumthreads()")
        timing = "on" if self.timing else "off"
        return f" {ttype}  |  threads: {threads}  |  timing: {timing} [F2]  |  ? for help "


_PENDING_CODES = (*_PENDING_CODES, Session._pending.__code__)
