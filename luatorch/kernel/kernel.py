"""The Torch Jupyter kernel: a wrapper kernel on ipykernel around one luatorch runtime.

Cells run with the th REPL's rules (``repl.session``): auto-print of a bare expression (shown as
``execute_result``, text = what th's print shows), a trailing ``;`` to suppress, ``?`` help,
``$`` shell lines, Ctrl-C through the REPL's count hook. Output streams to the notebook as it is
printed; errors come back as ``error`` replies with the Lua message and stack traceback.
``itorch`` is a global for rich output (images, HTML, plots), and gnuplot figures show inline.
"""

from __future__ import annotations

import atexit
import base64
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ipykernel.kernelbase import Kernel

from .. import __version__
from ..repl import completer, printing
from ..repl.session import Session, is_complete, load
from ..runtime import Runtime
from . import display

LANGUAGE_INFO = {
    "name": "lua",
    "version": "5.1",  # LuaJIT 2.1 speaks Lua 5.1, as Torch7 did
    "mimetype": "text/x-lua",
    "file_extension": ".lua",
    "pygments_lexer": "lua",
    "codemirror_mode": "lua",
}

# the REPL runner's own frames at the bottom of every traceback: not the user's business
_RUNNER_FRAMES = re.compile(r"^\s*(\[C\]: in function 'xpcall'|\[repl\]:\d+: .*)$")
# the name (with fields and methods) around the cursor, for inspection
_NAME_BEFORE = re.compile(r"[A-Za-z_]\w*(?:\s*[.:]\s*[A-Za-z_]\w*)*(?:\s*[.:])?$")
_NAME_AFTER = re.compile(r"^[\w]*")


def error_content(err: str, ename: str | None = None) -> dict[str, Any]:
    """An ``error`` reply's content from th's error text (message, then the stack traceback)."""
    lines = err.rstrip("\t\n").split("\n")
    while lines and _RUNNER_FRAMES.match(lines[-1]):
        lines.pop()
    if lines and lines[-1] == "stack traceback:":
        lines.pop()
    message = err.split("\nstack traceback:")[0]
    if ename is None:
        ename = "KeyboardInterrupt" if message.endswith("interrupted!") else "LuaError"
    return {"ename": ename, "evalue": message, "traceback": lines}


class KernelSession(Session):
    """The REPL session with results and errors sent to the notebook instead of printed."""

    display_last = True

    def __init__(self, rt: Runtime, kernel: TorchKernel) -> None:
        self.kernel = kernel
        super().__init__(rt, timing=False)
        self._handles = rt.execute(_HANDLES, "=[kernel]")[0]

    def execute(self, fn: Any, autoprint: bool) -> bool:
        try:
            res = self._run(fn, autoprint, True)
        except UnicodeDecodeError:
            self.report_error("error object with non-UTF-8 bytes")
            return False
        ok, err = res if isinstance(res, tuple) else (res, None)
        if not ok:
            self.report_error(err)
            return False
        if autoprint:
            if self._handles():
                self._add_result(self.rt.lua.globals()._RESULT[1])
                return True
            with self.kernel.capture() as out:
                pres = self._show_result()
            pok, perr = pres if isinstance(pres, tuple) else (pres, None)
            text = "".join(out)
            if text.endswith("\n"):
                text = text[:-1]
            if text:
                self.kernel.publish_result(text)
            if not pok:
                self.report_error(perr)
                return False
        return True

    def report_error(self, message: Any) -> None:
        if not isinstance(message, str):  # an error object: shown as th's print shows it
            with self.kernel.capture() as out:
                self._print(message)
            message = "".join(out)
        if message.startswith("syntax error: "):
            self.kernel.set_error(error_content(message[len("syntax error: ") :], "SyntaxError"))
        else:
            self.kernel.set_error(error_content(message))


# true when the values of an auto-printed cell are all display handles (itorch.Plot): draw()
# already showed them, so printing them again would only add noise
_HANDLES = r"""
return function()
   local res = rawget(_G, '_RESULT')
   if type(res) ~= 'table' or #res == 0 then return false end
   for i = 1, #res do
      local mt = getmetatable(res[i])
      if type(mt) ~= 'table' or not rawget(mt, '__itorch_handle') then return false end
   end
   return true
end
"""


# io.stderr writes to file descriptor 2, which a notebook never sees: send it to the kernel's
# stderr stream instead
_STDERR = r"""
local pywrite = ...
local stderr = {}
local mt = {__index = stderr, __tostring = function() return 'file (stderr)' end}
function stderr:write(...)
   for i = 1, select('#', ...) do
      local s = select(i, ...)
      if type(s) == 'number' then
         s = string.format('%.14g', s)
      elseif type(s) ~= 'string' then
         error("bad argument #" .. i .. " to 'write' (string expected, got " .. type(s) .. ")",
               2)
      end
      pywrite(s)
   end
   return self
end
function stderr:flush() return self end
function stderr:setvbuf() return true end
function stderr:close() return true end
io.stderr = setmetatable(stderr, mt)
"""


class TorchKernel(Kernel):
    """Jupyter kernel for Torch7 code (Lua) on luatorch."""

    implementation = "luatorch"
    implementation_version = __version__
    language = "lua"
    language_version = "5.1"
    language_info = LANGUAGE_INFO
    banner = printing.banner().replace("\t\n", "\n").rstrip() + "\n"
    help_links = [
        {"text": "Torch7", "url": "https://github.com/torch/torch7/blob/master/README.md"},
        {"text": "nn", "url": "https://github.com/torch/nn/blob/master/README.md"},
        {"text": "Lua 5.1 manual", "url": "https://www.lua.org/manual/5.1/"},
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._capture: list[str] | None = None
        self._silent = False
        self._error: dict[str, Any] | None = None
        self._figures: dict[str, None] = {}
        # gnuplot figures without a file name of their own are drawn here and shown inline,
        # never left in the notebook's folder (lua/gnuplot reads this when it is required)
        screen = tempfile.mkdtemp(prefix="luatorch-figures-")
        atexit.register(shutil.rmtree, screen, True)
        os.environ["LUATORCH_GNUPLOT_SCREEN"] = screen
        self.rt = Runtime(write=self._write)
        self.th = KernelSession(self.rt, self)
        display.install(self.rt, self.publish_display)
        self._hook_gnuplot()
        self.rt.execute(_STDERR, "=[kernel]", self._write_stderr)
        self.rt.execute("itorch = require 'itorch'", name="=[kernel]")
        # who() lists the user's variables: not what the kernel itself loaded
        self.rt.execute(
            "_preloaded_ = _preloaded_ or {}; for k in pairs(_G) do _preloaded_[k] = true end",
            name="=[kernel]",
        )

    # ----------------------------------------------------------------------- output
    def set_parent(self, ident: Any, parent: Any, channel: str = "shell") -> None:
        super().set_parent(ident, parent, channel)
        if channel == "shell":
            # ipykernel's stdout/stderr tag what they send with this request (IPython's own
            # shell does this for its kernel; a wrapper kernel has to)
            for stream in (sys.stdout, sys.stderr):
                set_stream_parent = getattr(stream, "set_parent", None)
                if set_stream_parent is not None:
                    set_stream_parent(parent)

    def _write_stderr(self, s: str) -> None:
        if self._capture is not None:
            self._capture.append(s)
        elif not self._silent:
            sys.stderr.write(s)

    def _write(self, s: str) -> None:
        if self._capture is not None:
            self._capture.append(s)
        elif not self._silent:
            # ipykernel's stdout sends what accumulates every 0.2 s from its IO thread, so a
            # long loop shows its prints while it runs
            sys.stdout.write(s)

    @contextmanager
    def capture(self) -> Iterator[list[str]]:
        """Collect what Lua prints (instead of streaming it) inside the block."""
        previous, self._capture = self._capture, []
        try:
            yield self._capture
        finally:
            self._capture = previous

    def _flush(self) -> None:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass

    def publish_result(self, text: str) -> None:
        """``execute_result`` for an auto-printed cell."""
        if self._silent:
            return
        self._flush()
        self.send_response(
            self.iopub_socket,
            "execute_result",
            {
                "execution_count": self.execution_count,
                "data": {"text/plain": text},
                "metadata": {},
            },
        )

    def publish_display(
        self, data: dict[str, Any], metadata: dict[str, Any], display_id: str | None, update: bool
    ) -> None:
        """``display_data`` (or ``update_display_data``) for itorch's rich output."""
        if self._silent:
            return
        self._flush()
        content: dict[str, Any] = {"data": data, "metadata": metadata}
        if display_id is not None:
            content["transient"] = {"display_id": display_id}
        self.send_response(
            self.iopub_socket, "update_display_data" if update else "display_data", content
        )

    def set_error(self, content: dict[str, Any]) -> None:
        self._error = content

    # gnuplot draws PNG files; in a notebook each figure drawn by a cell is shown after it
    def _hook_gnuplot(self) -> None:
        py = self.rt.lua.globals().torch._py
        finish = py.gp_finish
        if finish is None:
            return

        def gp_finish(path: str, fmt: str) -> None:
            finish(path, fmt)
            if str(fmt) == "png":
                self._figures[str(path)] = None

        py.gp_finish = gp_finish

    def _show_figures(self) -> None:
        figures, self._figures = list(self._figures), {}
        for path in figures:
            try:
                with open(path, "rb") as f:
                    png = f.read()
            except OSError:
                continue
            self.publish_display(
                {
                    "image/png": base64.b64encode(png).decode("ascii"),
                    "text/plain": os.path.basename(path),
                },
                {},
                None,
                False,
            )

    # ----------------------------------------------------------------------- requests
    async def do_execute(
        self,
        code: str,
        silent: bool,
        store_history: bool = True,
        user_expressions: dict | None = None,
        allow_stdin: bool = False,
        **kwargs: Any,
    ) -> dict[str, Any]:
        self._silent = silent
        self._error = None
        self._figures = {}
        try:
            if code.strip():
                self.th.run(code)
            self._show_figures()
        except KeyboardInterrupt:  # Ctrl-C outside the session's own handling
            self.set_error(error_content("interrupted!"))
        finally:
            self._silent = False
        self._flush()
        if self._error is not None:
            content = dict(self._error)
            if not silent:
                self.send_response(self.iopub_socket, "error", content)
            content.update(status="error", execution_count=self.execution_count)
            return content
        return {
            "status": "ok",
            "execution_count": self.execution_count,
            "payload": [],
            "user_expressions": self._user_expressions(user_expressions or {}),
        }

    def _user_expressions(self, exprs: dict[str, str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, expr in exprs.items():
            fn, err = load(self.rt, "return " + expr)
            if fn is None:
                out[name] = {
                    "status": "error",
                    "ename": "SyntaxError",
                    "evalue": str(err),
                    "traceback": [],
                }
                continue
            with self.capture() as text:
                res = self.rt.lua.globals().pcall(
                    self.rt.lua.eval("function(f) print(f()) end"), fn
                )
            ok = res[0] if isinstance(res, tuple) else res
            if ok:
                value = "".join(text)
                out[name] = {
                    "status": "ok",
                    "data": {"text/plain": value.rstrip("\n")},
                    "metadata": {},
                }
            else:
                out[name] = {
                    "status": "error",
                    "ename": "LuaError",
                    "evalue": str(res[1]),
                    "traceback": [],
                }
        return out

    async def do_complete(self, code: str, cursor_pos: int | None) -> dict[str, Any]:
        if cursor_pos is None:
            cursor_pos = len(code)
        found = completer.candidates(self.rt, code[:cursor_pos])
        replace = found[0].replace if found else 0
        start = cursor_pos - replace
        return {
            "status": "ok",
            "matches": [c.text for c in found],
            "cursor_start": start,
            "cursor_end": cursor_pos,
            "metadata": {
                "_jupyter_types_experimental": [
                    {
                        "start": start,
                        "end": cursor_pos,
                        "text": c.text,
                        "type": c.meta,
                        "signature": c.doc,
                    }
                    for c in found
                ]
            },
        }

    async def do_inspect(
        self, code: str, cursor_pos: int | None, detail_level: int = 0, omit_sections: Any = ()
    ) -> dict[str, Any]:
        if cursor_pos is None:
            cursor_pos = len(code)
        expr = name_at(code, cursor_pos)
        reply: dict[str, Any] = {"status": "ok", "found": False, "data": {}, "metadata": {}}
        if not expr:
            return reply
        text = self.help_text(expr)
        if text:
            reply.update(found=True, data={"text/plain": text})
        return reply

    def help_text(self, expr: str) -> str | None:
        """What th's ``help(expr)`` prints, or None when ``expr`` is nil or fails."""
        fn, _ = load(self.rt, "local v = " + expr + "\nif v ~= nil then help(v) return true end")
        if fn is None:
            return None
        with self.capture() as out:
            res = self.rt.lua.globals().pcall(fn)
        ok = res[0] if isinstance(res, tuple) else res
        found = res[1] if isinstance(res, tuple) and len(res) > 1 else None
        if not ok or not found:
            return None
        text = "".join(out)
        return "\n".join(line.rstrip("\t") for line in text.rstrip("\n").split("\n"))

    async def do_is_complete(self, code: str) -> dict[str, Any]:
        stripped = code.strip()
        if not stripped or stripped[0] in "$?":
            return {"status": "complete"}
        if stripped.startswith("="):
            code = stripped[1:]
        if is_complete(self.rt, code):
            if load(self.rt, code)[0] is None and load(self.rt, "return " + code)[0] is None:
                return {"status": "invalid"}
            return {"status": "complete"}
        last = code.rstrip("\n").rsplit("\n", 1)[-1]
        indent = last[: len(last) - len(last.lstrip())]
        return {"status": "incomplete", "indent": indent + "   "}

    async def do_shutdown(self, restart: bool) -> dict[str, Any]:
        return {"status": "ok", "restart": restart}


def name_at(code: str, cursor_pos: int) -> str:
    """The dotted name around the cursor (``nn.Linear``, ``x:add`` as ``x.add``), or ''."""
    head = code[:cursor_pos]
    before = _NAME_BEFORE.search(head)
    after = _NAME_AFTER.match(code[cursor_pos:])
    if not before or not before.group(0):
        # just after an opening parenthesis (shift-tab in `nn.Linear(`): the function called
        stripped = head.rstrip()
        if not stripped.endswith("("):
            return ""
        before, after = _NAME_BEFORE.search(stripped[:-1].rstrip()), None
        if not before:
            return ""
    name = before.group(0) + (after.group(0) if after else "")
    name = re.sub(r"\s+", "", name).replace(":", ".").rstrip(".")
    return name
