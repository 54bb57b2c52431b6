"""The ``luatorch`` command: th's script runner and flags; the REPL is imported only when needed."""

from __future__ import annotations

import os
import signal
import sys
import threading
from dataclasses import dataclass, field
from typing import Any

HELP = """Usage: luatorch [options] [script.lua [arguments]]

Options:
  -l name            load library name
  -e statement       execute statement
  -h,--help          print this help
  -a,--async         preload async (libuv) and start async repl (BETA)
  -g,--globals       monitor global variables (print a warning on creation/access)
  -gg,--gglobals     monitor global variables (throw an error on creation/access)
  -x,--gfx           start gfx server and load gfx env
  -i,--interactive   enter the REPL after executing a script
  --no-timing        do not print how long each REPL command took
  --emulate-cuda     let cutorch, cunn and cudnn load and run on the CPU
                     (the same as LUATORCH_EMULATE_CUDA=1)
  --version          print luatorch's version and what it runs on
  -                  read the script from standard input"""


@dataclass
class Options:
    """What the command line asks for, in th's terms."""

    # ('lib'|'exec', text) in order; th's -x and -a as ('lib', 'gfx.js') and ('lib!', 'async')
    actions: list[tuple[str, str]] = field(default_factory=list)
    script: str | None = None
    script_args: list[str] = field(default_factory=list)
    before_script: list[str] = field(default_factory=list)  # argv before the script (arg[-n])
    interactive: bool = False
    globals_mode: str | None = None  # 'warn' or 'error'
    timing: bool = True
    emulate_cuda: bool | None = None  # None: the environment variable decides
    help: bool = False
    version: bool = False
    error: str | None = None


def parse_args(argv: list[str]) -> Options:
    """Parse th's flags; everything after the script name belongs to the script."""
    opts = Options()
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-e", "-l"):
            if i + 1 >= len(argv):
                opts.error = f"'{a}' needs an argument"
                return opts
            opts.actions.append(("exec" if a == "-e" else "lib", argv[i + 1]))
            i += 2
            continue
        if a.startswith("-l") and len(a) > 2:
            opts.actions.append(("lib", a[2:]))
        elif a.startswith("-e") and len(a) > 2:
            opts.actions.append(("exec", a[2:]))
        elif a in ("-h", "--help"):
            opts.help = True
            return opts
        elif a in ("-x", "--gfx"):
            opts.actions.append(("lib", "gfx.js"))
        elif a in ("-a", "--async"):
            opts.actions.append(("lib!", "async"))
        elif a == "--version":
            opts.version = True
            return opts
        elif a in ("-i", "--interactive"):
            opts.interactive = True
        elif a in ("-g", "--globals"):
            opts.globals_mode = "warn"
        elif a in ("-gg", "--gglobals"):
            opts.globals_mode = "error"
        elif a == "--no-timing":
            opts.timing = False
        elif a == "--emulate-cuda":
            opts.emulate_cuda = True
        elif a == "--":
            if i + 1 < len(argv):
                opts.before_script = argv[: i + 1]
                opts.script, opts.script_args = argv[i + 1], argv[i + 2 :]
            return opts
        elif a.startswith("-") and a != "-":
            opts.error = "unrecognized flag " + (a if a.startswith("--") else "-" + a)
            return opts
        else:
            opts.before_script = argv[:i]
            opts.script, opts.script_args = a, argv[i + 1 :]
            return opts
        i += 1
    return opts


def _arg_table(rt: Any, opts: Options, argv: list[str]) -> Any:
    """th's global ``arg``: arg[0] the script, arg[1..] its arguments, the interpreter below 0."""
    prog = sys.argv[0] if sys.argv and sys.argv[0] else "luatorch"
    entries: dict[int, str] = {}
    if opts.script is not None:
        before = [prog] + opts.before_script
        for k, v in enumerate(reversed(before), start=1):
            entries[-k] = v
        entries[0] = opts.script
        for k, v in enumerate(opts.script_args, start=1):
            entries[k] = v
    else:
        entries[0] = prog
        for k, v in enumerate(argv, start=1):
            entries[k] = v
    return rt.lua.table_from(entries)


def _report(message: str, traceback: str = "", luajit: str | None = None) -> None:
    """An error as luajit reports one: message, Lua stack, on stderr (``luajit``: the error
    object was not a string: luajit prints that text alone, nothing when it is empty)."""
    sys.stdout.flush()
    if luajit is not None:
        if luajit:
            sys.stderr.write(luajit + "\n")
            sys.stderr.flush()
        return
    lines = traceback.split("\n")
    while lines and "[builtin#" in lines[-1]:  # lupa's own xpcall frame says nothing to users
        lines.pop()
    sys.stderr.write(message + "\n".join(lines) + "\n")
    sys.stderr.flush()


class _ScriptInterrupt:
    """Ctrl-C while a script runs: stop it, keep what it wrote, say so, exit 130.

    The C-level wakeup fd receives the signal even while Lua runs (a JIT-compiled loop never
    returns to Python, so a Python handler would never run), and this thread (lupa releases
    the GIL while Lua runs) asks the runtime to stop. Code the interpreter runs stops with
    'interrupted!' and the script ends as after an error; a JIT-compiled loop does not look:
    then the files Lua and torch.DiskFile opened are flushed and the process ends here.
    """

    GRACE = 1.0  # seconds for the script to stop by itself

    def __init__(self, rt: Any) -> None:
        self._rt = rt
        self._r, self._w = os.pipe()
        os.set_blocking(self._w, False)
        self._stopped = False
        self.fired = False
        self._done = threading.Event()
        self._old_handler = signal.signal(signal.SIGINT, lambda s, f: None)
        self._old_fd = signal.set_wakeup_fd(self._w)
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        data = os.read(self._r, 1)
        if self._stopped or not data:
            return
        self.fired = True
        self._rt.interrupt()
        if self._done.wait(self.GRACE):
            return
        from .t7.file import flush_open_files

        try:
            sys.stdout.flush()
        except (OSError, ValueError):
            pass
        flush_open_files()
        _flush_c_files()
        os.write(2, b"interrupted!\n")
        os._exit(130)

    def stop(self) -> None:
        self._done.set()
        self._stopped = True
        signal.set_wakeup_fd(self._old_fd)
        signal.signal(signal.SIGINT, self._old_handler)
        os.close(self._w)  # wakes the thread with EOF
        self._thread.join(1)
        os.close(self._r)


def _flush_c_files() -> None:
    """fflush(NULL): the C streams behind Lua's io files (os._exit skips libc's exit flush)."""
    import ctypes

    try:
        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError):
        pass


def version_text() -> str:
    """``luatorch --version``: our version, the LuaJIT inside lupa, numpy."""
    import lupa
    import numpy

    from . import __version__

    runs_on = f"LuaJIT 2.1 through lupa {lupa.__version__}, numpy {numpy.__version__}"
    return f"luatorch {__version__} ({runs_on})"


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``luatorch``: run a script, statements, or the REPL, as ``th`` does."""
    argv = sys.argv[1:] if argv is None else list(argv)
    opts = parse_args(argv)
    if opts.version:
        sys.stdout.write(version_text() + "\n")
        return 0
    if opts.help or opts.error:
        out = sys.stdout if opts.help else sys.stderr
        if opts.error:
            out.write("Error: " + opts.error + "\n")
        out.write(HELP + "\n")
        return 0 if opts.help else 1

    # Only the runtime here: prompt_toolkit is imported by the REPL alone (start-up time).
    from .repl import thenv
    from .runtime import LuaError, Runtime

    from_file = opts.script not in (None, "-")
    script_dir = os.path.dirname(os.path.abspath(opts.script)) if from_file else None
    rt = Runtime(script_dir=script_dir, emulate_cuda=opts.emulate_cuda)
    if not _run_lua_init(rt, LuaError):
        return 1
    raw_require = rt.globals.require  # th handles -l and -a before trepl replaces require
    thenv.install(rt)
    rt.globals.arg = _arg_table(rt, opts, argv)

    interactive = opts.interactive or (
        opts.script is None and not any(kind == "exec" for kind, _ in opts.actions)
    )
    main_thread = threading.current_thread() is threading.main_thread()
    watchdog = _ScriptInterrupt(rt) if main_thread else None
    try:
        code = _run_batch(rt, opts, LuaError, raw_require)
    finally:
        if watchdog:
            watchdog.stop()
    if watchdog and watchdog.fired:
        return 130
    if code:
        return code
    if interactive:
        from .repl.loop import run_repl

        return run_repl(rt, timing=opts.timing, globals_warning=opts.globals_mode == "warn")
    sys.stdout.flush()
    return 0


def _run_lua_init(rt: Any, lua_error: type) -> bool:
    """LUA_INIT as luajit runs it before anything else: ``@file`` runs a file, else the text."""
    init = os.environ.get("LUA_INIT")
    if not init:
        return True
    try:
        if init.startswith("@"):
            loaded = rt.globals.loadfile(init[1:])
            fn = loaded[0] if isinstance(loaded, tuple) else loaded
            if fn is None:
                _report("luajit: " + str(loaded[1]))
                return False
            rt.call(fn)
        else:
            rt.execute(init, "=LUA_INIT")
    except lua_error as e:
        _report("luajit: " + e.message, e.traceback)
        return False
    return True


def _run_batch(rt: Any, opts: Options, lua_error: type, require: Any = None) -> int:
    """-l libraries, -g monitoring, -e statements, then the script; 1 on the first error."""
    g = rt.globals
    require = require or g.require
    for kind, text in opts.actions:
        if kind == "lib!":  # th -a: a missing async is an error that ends th
            try:
                rt.call(require, text)
            except lua_error as e:
                _report(e.message, e.traceback, e.luajit)
                return 1
        elif kind == "lib" and text == "gfx.js":
            found = rt.lua.execute("local req, name = ... return pcall(req, name)", require, text)
            if not found[0]:
                g.print("could not load gfx.js, please install with: luarocks install gfx.js")
        elif kind == "lib":
            ok, err = rt.lua.execute(
                "local req, name = ... "
                "local ok, err = xpcall(function() req(name) end, function(e) "
                "return debug.traceback(e, 2) end) "
                "return ok, err",
                require,
                text,
            )
            if not ok:
                g.print("could not load " + text + ", skipping")
                g.print(err)
    if opts.globals_mode:
        g.monitor_G(opts.globals_mode == "error")
    for kind, text in opts.actions:
        if kind != "exec":
            continue
        try:
            rt.call(rt.compile(text, text))  # named as loadstring names it: [string "..."]
        except lua_error as e:
            _report(e.message, e.traceback, e.luajit)
            return 1
    if opts.script is None:
        return 0
    if opts.script == "-":  # as lua and luajit: the script is standard input
        loaded = g.loadstring(sys.stdin.buffer.read(), "=stdin")
    else:
        loaded = g.loadfile(opts.script)
    fn = loaded[0] if isinstance(loaded, tuple) else loaded
    if fn is None:
        msg = str(loaded[1]) if isinstance(loaded, tuple) and len(loaded) > 1 else opts.script
        _report(msg, _DOFILE)  # th's dofile raised it
        return 1
    try:
        rt.call(fn, *opts.script_args)
    except lua_error as e:
        _report(e.message, _as_dofile(e.traceback), e.luajit)
        return 1
    return 0


# the stack of an error in a script ends, under th, where th's dofile called it (below that:
# th's own file and an address, which name the installation)
_DOFILE = "\nstack traceback:\n\t[C]: in function 'dofile'"


def _as_dofile(traceback: str) -> str:
    lines = traceback.split("\n")
    while lines and ('[string "<python>"]' in lines[-1] or "[builtin#" in lines[-1]):
        lines.pop()
    if lines and lines[-1] == "\t[C]: in function 'xpcall'":
        lines[-1] = "\t[C]: in function 'dofile'"
    return "\n".join(lines)
