"""The embedded LuaJIT runtime: creation, package path, output routing, error translation."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lupa import luajit21

from . import errors
from .bindings import Bindings

# Python modules with an ``exports(bindings) -> dict`` function; their functions join the
# ``py`` table that Lua packages reach as ``torch._py`` (wrap calls with ``torch._bind``).
EXTENSIONS: list[str] = [
    "luatorch.thnn",
    "luatorch.serialization",
    "luatorch.sys_backend",
    "luatorch.gnuplot_backend",
    "luatorch.image_backend",
    "luatorch.plotting",
    "luatorch.packages.threads_backend",
    "luatorch.packages.tds_backend",
    "luatorch.packages.hdf5_backend",
    "luatorch.packages.matio_backend",
]

LUA_DIR = Path(__file__).resolve().parent / "lua"


class LuaError(Exception):
    """A Lua error that reached Python: ``message`` is the Lua message, ``traceback`` the stack."""

    def __init__(self, message: str, traceback: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.traceback = traceback


class Runtime:
    """One LuaJIT state with torch loaded as a global, as ``th`` starts.

    ``write`` receives everything Lua prints (``print``, ``io.write``, ``io.stdout:write``);
    by default it goes to ``sys.stdout``.
    """

    def __init__(
        self, write: Callable[[str], Any] | None = None, script_dir: str | None = None
    ) -> None:
        from . import threads

        threads.init_default()  # once per process: BLAS on one thread, our pool per core
        self.lua = luajit21.LuaRuntime(unpack_returned_tuples=True)
        self.write = write or _stdout_write
        self.bindings = Bindings(self.lua)
        g = self.lua.globals()
        paths = [str(LUA_DIR / "?.lua"), str(LUA_DIR / "?" / "init.lua")]
        if script_dir:
            paths += [os.path.join(script_dir, "?.lua"), os.path.join(script_dir, "?", "init.lua")]
        paths += ["./?.lua", "./?/init.lua"]
        g.package.path = ";".join(paths)
        g.package.cpath = ""
        exports = self.bindings.exports()
        for modname in EXTENSIONS:
            exports.update(importlib.import_module(modname).exports(self.bindings))
        exports["write"] = self._write
        exports["errmsg"] = _errmsg
        g["__luatorch_py"] = self.lua.table_from(exports)
        self._traceback_call = self.lua.execute(_BOOT)
        self.execute("torch = require 'torch'", name="=[luatorch init]")

    def _write(self, s: str) -> None:
        self.write(s)

    # -------------------------------------------------------------- running code
    def compile(self, code: str, name: str = "=stdin") -> Any:
        """loadstring(code, name); raises LuaError on a syntax error."""
        res = self.lua.globals().loadstring(code, name)
        if isinstance(res, tuple):
            raise LuaError(str(res[1]), "")
        return res

    def call(self, fn: Any, *args: Any) -> tuple:
        """Call a Lua function under xpcall; returns its results as a tuple."""
        res = self._traceback_call(fn, *args)
        if not isinstance(res, tuple):
            res = (res,)
        ok, rest = res[0], res[1:]
        if not ok:
            err = rest[0] if rest else None
            msg, tb = _split_error(err)
            raise LuaError(msg, tb)
        return rest

    def execute(self, code: str, name: str = "=stdin", *args: Any) -> tuple:
        """Run a chunk of Lua; returns all its results as a tuple."""
        return self.call(self.compile(code, name), *args)

    def eval(self, expr: str) -> Any:
        res = self.execute("return " + expr, "=eval")
        return res[0] if res else None

    @property
    def globals(self) -> Any:
        return self.lua.globals()


# xpcall with a handler that init.lua may replace; the handler packs message and stack.
_BOOT = """
function __luatorch_traceback(e)
   return {msg = tostring(e), traceback = debug.traceback('', 2), value = e}
end
return function(f, ...) return xpcall(f, function(e) return __luatorch_traceback(e) end, ...) end
"""


def _split_error(err: Any) -> tuple[str, str]:
    if luajit21.lua_type(err) == "table":
        try:
            msg = err["msg"]
        except UnicodeDecodeError:
            msg = err["safe"]
        if msg is not None:
            try:
                tb = err["traceback"] or ""
            except UnicodeDecodeError:
                tb = ""
            return str(msg), str(tb)
    try:
        return str(err), ""
    except UnicodeDecodeError:
        return "error object with non-UTF-8 bytes", ""


def _errmsg(e: Any, name: str | None = None) -> str:
    """A Python exception as a Torch-worded Lua message (see errors.py)."""
    return errors.errmsg(e, name)


def _stdout_write(s: str) -> None:
    sys.stdout.write(s)
