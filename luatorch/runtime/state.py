"""The embedded LuaJIT runtime: creation, output routing, running code under xpcall, interrupts
(the package path is paths.py, error translation errors.py)."""

from __future__ import annotations

import importlib
import sys
import threading
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np
from lupa import luajit21

from ..packages import gnuplot_backend
from ..tensor import libm, random, threadpool
from ..tensor.core import TorchLuaError
from . import errors
from .bindings import Bindings
from .paths import cuda_emulation_requested, search_paths

# Python modules with an ``exports(bindings) -> dict`` function; their functions join the
# ``py`` table that Lua packages reach as ``torch._py`` (wrap calls with ``torch._bind``).
# The first EAGER_EXTENSIONS are imported at start (torch, paths and nn bind theirs as they load);
# the others when Lua first asks the table for a name it lacks: most programs never require
# their packages, and importing them all held 0.5-1 MB more in every process.
EXTENSIONS: list[str] = [
    "luatorch.thnn",
    "luatorch.t7.lua_file",
    "luatorch.packages.gnuplot_backend",
    "luatorch.packages.sys_backend",
    "luatorch.packages.tester_backend",
    "luatorch.packages.image_backend",
    "luatorch.packages.optim_backend",
    "luatorch.packages.threads_backend",
    "luatorch.packages.tds_backend",
    "luatorch.packages.hdf5_backend",
    "luatorch.packages.matio_backend",
    "luatorch.packages.image_extra_backend",
    "luatorch.packages.display_backend",
    "luatorch.packages.loadcaffe_backend",
]
EAGER_EXTENSIONS = 5


class LuaError(Exception):
    """A Lua error that reached Python: ``message`` is the Lua message, ``traceback`` the stack."""

    def __init__(self, message: str, traceback: str = "", luajit: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.traceback = traceback
        # what luajit prints for an error object that is not a string (no stack then): "" for
        # nil, "(error object is not a string)" for a table without __tostring; None otherwise
        self.luajit = luajit


def _no_huge_pages() -> None:
    """Tensor buffers as Torch7's malloc gives them: no transparent huge pages. numpy advises
    the kernel to back arrays of 4 MB or more with huge pages, so the first write to each 2 MB
    is a fault that clears (and may compact) 2 MB. Torch code often writes a few elements into a
    large fresh tensor (nn.Jacobian fills a 1024 x 65536 matrix column by column): 200 column
    copies took 567 us each with huge pages, 19 us without (Torch7: 24 us)."""
    core = getattr(np, "_core", None) or np.core  # numpy 2, numpy 1
    set_advice = getattr(core.multiarray, "_set_madvise_hugepage", None)
    if set_advice is not None:
        set_advice(False)


class Runtime:
    """One LuaJIT state with torch loaded as a global, as ``th`` starts.

    ``write`` receives everything Lua prints (``print``, ``io.write``, ``io.stdout:write``);
    by default it goes to ``sys.stdout``. ``emulate_cuda`` puts cutorch/cunn/cudnn (running on
    the CPU) on the search path; by default the ``LUATORCH_EMULATE_CUDA`` variable decides, and
    without it ``require 'cunn'`` fails as in a Torch7 built without CUDA.
    """

    def __init__(
        self,
        write: Callable[[str], Any] | None = None,
        script_dir: str | None = None,
        emulate_cuda: bool | None = None,
    ) -> None:
        threadpool.init_default()  # once per process: BLAS on one thread, our pool per core
        self.lua = luajit21.LuaRuntime(unpack_returned_tuples=True)
        self._interrupted = False  # set by interrupt(), from any thread
        self._depth = 0  # nesting of call(): Lua -> Python -> call()
        _RUNTIMES.add(self)
        self.lua.globals().python = None  # lupa's `python` table: th has no such global
        self.write = write or _stdout_write
        self.bindings = Bindings(self.lua)
        g = self.lua.globals()
        if emulate_cuda is None:
            emulate_cuda = cuda_emulation_requested()
        self.emulate_cuda = emulate_cuda
        g.package.path, g.package.cpath = search_paths(script_dir, emulate_cuda)
        exports = self.bindings.exports()
        for modname in EXTENSIONS[:EAGER_EXTENSIONS]:
            exports.update(importlib.import_module(modname).exports(self.bindings))
        exports["write"] = self._write
        exports["errmsg"] = _errmsg
        self._py = self.lua.table_from(exports)
        self._lazy_extensions = EXTENSIONS[EAGER_EXTENSIONS:]
        self.lua.execute(_LAZY_PY, self._py, self._next_extension)
        g["__luatorch_py"] = self._py
        self._traceback_call = self.lua.execute(_BOOT, self._pending)
        _no_huge_pages()
        # C's maths functions for the numpy kernels, called from LuaJIT loops (see libm.py)
        libm.install(
            self.lua.execute(
                libm.LUA_LOOPS,
                *(self.lua.table_from(names) for names in (libm.UNARY, libm.BINARY, libm.TERNARY)),
            )
        )
        self.execute("torch = require 'torch'", name="=[luatorch init]")
        self.bindings.after_loading()

    def _write(self, s: str) -> None:
        self.write(s)

    def _next_extension(self) -> Any:
        """The functions of the next extension not yet imported, as a Lua table (None once
        every extension is loaded)."""
        if not self._lazy_extensions:
            return None
        modname = self._lazy_extensions.pop(0)
        return self.lua.table_from(importlib.import_module(modname).exports(self.bindings))

    # -------------------------------------------------------------- running code
    def compile(self, code: str, name: str = "=stdin") -> Any:
        """loadstring(code, name); raises LuaError on a syntax error."""
        res = self.lua.globals().loadstring(code, name)
        if isinstance(res, tuple):
            raise LuaError(str(res[1]), "")
        return res

    def interrupt(self) -> None:
        """Stop the Lua code this runtime is running, from any thread: it fails with Lua's
        'interrupted!' error (a LuaError in Python, which a Lua pcall may catch).

        Checked every few thousand Lua instructions the interpreter runs and at every call
        into Python. Code run through ``execute`` is kept out of the JIT for this (as code
        typed at the REPL); JIT-compiled loops elsewhere stop at their next call into Python.
        """
        self._interrupted = True

    def _pending(self) -> bool:
        # a Python function, not a C method: a SIGINT's KeyboardInterrupt is raised
        # here, in the main thread, even while Lua runs a loop that never calls Python
        if self._interrupted:
            self._interrupted = False  # delivered once
            return True
        return False

    def call(self, fn: Any, *args: Any) -> tuple:
        """Call a Lua function under xpcall; returns its results as a tuple."""
        # this runtime's own random stream and thread count while its code runs (kernels
        # reach them through the process-wide names)
        # (the thread-local slots themselves, as random.use_default and threadpool.use_num_threads
        # set them: no Python call around the Lua call, where a Ctrl-C would land outside Lua)
        gens, nthreads = random._thread_generators, threadpool._local
        prev_gen, prev_threads = getattr(gens, "gen", None), getattr(nthreads, "n", None)
        gens.gen, nthreads.n = self.bindings.generator, self.bindings.num_threads
        if self._depth == 0:
            self._interrupted = False  # an interrupt stops running code, not the next call
        self._depth += 1
        try:
            res = self._traceback_call(fn, *args)
        finally:
            self._depth -= 1
            gens.gen, nthreads.n = prev_gen, prev_threads
            # back in Python: gnuplot figures changed by the call get drawn (drawing is lazy)
            if gnuplot_backend.pending_figures:  # a dict: no Python call when nothing waits
                gnuplot_backend.flush_pending()
        if not isinstance(res, tuple):
            res = (res,)
        ok, rest = res[0], res[1:]
        if not ok:
            err = rest[0] if rest else None
            msg, tb = _split_error(err)
            bare = err["luajit"] if luajit21.lua_type(err) == "table" else None
            raise LuaError(msg, tb, None if bare is None else str(bare))
        return rest

    def execute(self, code: str, name: str = "=stdin", *args: Any) -> tuple:
        """Run a chunk of Lua; returns all its results as a tuple."""
        chunk = self.compile(code, name)
        self.lua.globals().jit.off(chunk, True)  # interpretable: interrupt() can stop it
        return self.call(chunk, *args)

    def eval(self, expr: str) -> Any:
        res = self.execute("return " + expr, "=eval")
        return res[0] if res else None

    @property
    def globals(self) -> Any:
        return self.lua.globals()


# xpcall with a handler that torch/init.lua may replace; the handler packs message and stack.
# It lives in the registry: th's global table has nothing of luatorch's own. While it runs, a
# count hook asks Python whether Runtime.interrupt() was called (unless a hook is set already:
# the REPL's own).
_BOOT = """
local pending = ...
local registry = debug.getregistry()
local sethook, gethook, xpcall = debug.sethook, debug.gethook, xpcall
function registry.__luatorch_traceback(e)
   return {msg = tostring(e), traceback = debug.traceback('', 2), value = e}
end
local function check()
   if pending() then error('interrupted!', 2) end
end
local function handler(e) return registry.__luatorch_traceback(e) end
local function finish(hooked, ...)
   if hooked then sethook() end
   return ...
end
return function(f, ...)
   local hooked = gethook() == nil
   if hooked then sethook(check, '', 10000) end
   return finish(hooked, xpcall(f, handler, ...))
end
"""

# the py table answers a name it lacks by importing the extensions not yet loaded, in order,
# until one exports it (each one's functions join the table); once all are in, no metatable
_LAZY_PY = """
local py, nextExtension = ...
local rawget, rawset, pairs = rawget, rawset, pairs
setmetatable(py, {__index = function(t, k)
   if type(k) ~= 'string' then return nil end
   while true do
      local exports = nextExtension()
      if exports == nil then
         setmetatable(t, nil)
         return nil
      end
      for name, f in pairs(exports) do rawset(t, name, f) end
      local v = rawget(t, k)
      if v ~= nil then return v end
   end
end})
"""

# every live runtime: interrupted when the interpreter exits, so that a Lua loop running in a
# worker thread does not keep the process alive
_RUNTIMES: weakref.WeakSet[Runtime] = weakref.WeakSet()


def _interrupt_all() -> None:
    for rt in list(_RUNTIMES):
        rt.interrupt()


# runs before Python waits for non-daemon threads at exit (atexit would run after)
getattr(threading, "_register_atexit", lambda f: None)(_interrupt_all)


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


def _errmsg(e: Any, name: str | None = None) -> str | tuple[str, bool]:
    """A Python exception as a Torch-worded Lua message (see errors.py); with true after it
    when the message must not be reworded for the call the user made."""
    msg = errors.errmsg(e, name)
    if isinstance(e, TorchLuaError):
        return msg, True
    return msg


def _stdout_write(s: str) -> None:
    sys.stdout.write(s)
