"""The operating-system side of paths, sys, lfs and cutorch (``torch._py.os_*``).

Lua has no portable way to list a directory, make one or ask for file attributes; these small
functions do it for ``lua/paths``, ``lua/sys`` and ``lua/lfs``. Failures come back as Lua's
``nil, message`` pairs (a tuple ``(None, message)``), as the C libraries they stand for did.
"""

from __future__ import annotations

import atexit
import os
import random
import shutil
import stat
import string
import sys
import time
from collections.abc import Callable
from typing import Any

_TMPNAMES: list[str] = []


def _remove_tmpnames() -> None:
    # paths.tmpname's files are removed when the program ends, as Torch's paths did
    for name in _TMPNAMES:
        try:
            # C's remove(): a file, or a directory only when empty
            if os.path.isdir(name) and not os.path.islink(name):
                os.rmdir(name)
            else:
                os.remove(name)
        except OSError:
            pass


atexit.register(_remove_tmpnames)


def _err(e: OSError, path: str) -> tuple[None, str, int]:
    # paths.c's pushresult: nil, "path: strerror(errno)", errno
    return None, f"{path}: {e.strerror or e}", e.errno or 0


def _isatty(fd: int) -> bool:
    # stdout as Lua sees it is the front end's (sys.stdout), which may be captured
    stream = {0: sys.stdin, 1: sys.stdout, 2: sys.stderr}.get(fd)
    try:
        return bool(stream.isatty()) if stream is not None else os.isatty(fd)
    except (AttributeError, ValueError, OSError):
        return False


def exports(bindings: Any) -> dict[str, Callable[..., Any]]:
    """Functions for the paths/sys/lfs Lua packages."""
    lua = bindings.lua

    def listdir(path: str) -> Any:
        try:
            names = [".", ".."] + sorted(os.listdir(path))
        except OSError:
            return None
        return lua.table_from(names)

    def mkdir(path: str) -> Any:
        try:
            os.mkdir(path)
        except OSError as e:
            return _err(e, path)
        return True

    def rmdir(path: str) -> Any:
        try:
            os.rmdir(path)
        except OSError as e:
            return _err(e, path)
        return True

    def chdir(path: str) -> Any:
        try:
            os.chdir(path)
        except OSError as e:
            return _err(e, path)
        return True

    def attributes(path: str, follow: bool = True) -> Any:
        """lfs.attributes' table, or nil and a message."""
        try:
            st = os.stat(path) if follow else os.lstat(path)
        except OSError as e:
            return _err(e, path)
        mode = st.st_mode
        if stat.S_ISDIR(mode):
            kind = "directory"
        elif stat.S_ISREG(mode):
            kind = "file"
        elif stat.S_ISLNK(mode):
            kind = "link"
        elif stat.S_ISSOCK(mode):
            kind = "socket"
        elif stat.S_ISFIFO(mode):
            kind = "named pipe"
        elif stat.S_ISCHR(mode):
            kind = "char device"
        elif stat.S_ISBLK(mode):
            kind = "block device"
        else:
            kind = "other"
        perm = stat.filemode(mode)[1:]
        return lua.table_from(
            {
                "dev": st.st_dev,
                "ino": st.st_ino,
                "mode": kind,
                "nlink": st.st_nlink,
                "uid": st.st_uid,
                "gid": st.st_gid,
                "rdev": st.st_rdev,
                "access": int(st.st_atime),
                "modification": int(st.st_mtime),
                "change": int(st.st_ctime),
                "size": st.st_size,
                "permissions": perm,
                "blocks": getattr(st, "st_blocks", 0),
                "blksize": getattr(st, "st_blksize", 0),
            }
        )

    def touch(path: str, atime: Any = None, mtime: Any = None) -> Any:
        try:
            if not os.path.exists(path):
                open(path, "a").close()
            if atime is None:
                os.utime(path, None)
            else:
                os.utime(path, (float(atime), float(mtime if mtime is not None else atime)))
        except OSError as e:
            return _err(e, path)
        return True

    def tmpname() -> str:
        """C's tempnam(NULL, "luatmp") as Torch's paths calls it: a free name in $TMPDIR (when it
        is a directory) or /tmp, not created; whatever the program puts there goes at exit."""
        base = os.environ.get("TMPDIR", "")
        if not base or not os.path.isdir(base):
            base = "/tmp"
        chars = string.ascii_letters + string.digits
        while True:
            name = os.path.join(base, "luatmp" + "".join(random.choice(chars) for _ in range(6)))
            if not os.path.lexists(name):
                break
        _TMPNAMES.append(name)
        return name

    def uname() -> tuple[str, str, str]:
        """paths.uname: the sysname, nodename and machine of uname(2)."""
        u = os.uname()
        return u.sysname, u.nodename, u.machine

    def term_columns() -> int:
        """The terminal's width when Lua's output goes to a terminal, else 80 (tput's answer)."""
        try:
            if sys.stdout.isatty():
                return int(shutil.get_terminal_size((80, 24)).columns)
        except (AttributeError, ValueError, OSError):
            pass
        return 80

    def sleep(seconds: Any) -> None:
        time.sleep(max(0.0, float(seconds)))

    def cuda_types() -> Any:
        """cutorch's type names, their CPU types and proxy codes (see tensor.core.TypeAlias)."""
        from ..tensor.core import TYPE_ALIASES

        return lua.table_from(
            [
                lua.table_from([name, str.__str__(a), a.tensor_code, a.storage_code])
                for name, a in TYPE_ALIASES.items()
            ]
        )

    def argv(args: Any) -> list[str]:
        # a Lua array of strings; bytes (file names from data) are kept exactly as given
        return [os.fsdecode(a) if isinstance(a, bytes) else str(a) for a in args.values()]

    def run(args: Any) -> tuple[int, bytes]:
        """Run a program from an argument list, never through a shell (names may come from
        files); returns its exit status and what it printed (stdout then stderr)."""
        import subprocess  # not at start-up: the script runner must start fast

        try:
            out = subprocess.run(argv(args), capture_output=True, check=False)
        except OSError as e:
            return 127, f"{e.strerror or e}".encode()
        return out.returncode, out.stdout + out.stderr

    def spawn(args: Any) -> bool:
        """Start a program in the background (a viewer), from an argument list."""
        import subprocess

        try:
            subprocess.Popen(
                argv(args),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError:
            return False
        return True

    def memory() -> tuple[int, int]:
        """Free and total bytes of the machine's memory (cutorch.getMemoryUsage stands in)."""
        try:
            page = os.sysconf("SC_PAGE_SIZE")
            total = page * os.sysconf("SC_PHYS_PAGES")
            free = page * os.sysconf("SC_AVPHYS_PAGES")
        except (ValueError, OSError, AttributeError):
            return 0, 0
        return int(free), int(total)

    return {
        "os_cuda_types": cuda_types,
        "os_memory": memory,
        "os_run": run,
        "os_spawn": spawn,
        "os_which": lambda name: shutil.which(name) is not None,
        "os_cwd": os.getcwd,
        "os_chdir": chdir,
        "os_listdir": listdir,
        "os_mkdir": mkdir,
        "os_rmdir": rmdir,
        "os_isfile": lambda p: os.path.isfile(p),
        "os_isdir": lambda p: os.path.isdir(p),
        "os_attributes": attributes,
        "os_touch": touch,
        "os_mtime": lambda p: int(os.stat(p).st_mtime) if os.path.exists(p) else None,
        "os_tmpname": tmpname,
        "os_uname": uname,
        "os_term_columns": term_columns,
        "os_isatty": lambda fd: _isatty(int(fd)),
        "os_numcores": lambda: os.cpu_count() or 1,
        "os_sleep": sleep,
        "os_clock": time.time,
        "os_home": lambda: os.path.expanduser("~"),
    }
