"""Torch7 File primitives: what THDiskFile.c / THMemoryFile.c do, on bytes and numpy.

A ``TFile`` reads and writes numbers, raw characters and whole storages in Torch's binary
format (native little-endian by default, ``longSize`` 4 or 8) or its ascii format (``%d``,
``%.9g`` for floats, ``%.17g`` for doubles, one space between values and a newline after each
write when auto-spacing is on; Byte and Char are written raw in both formats). The object graph
(type tags, reference indices, classes) is walked in Lua by ``lua/torch/File.lua``, or in pure
Python by ``luatorch.t7``; both call these primitives.

Every read is bounded by the bytes actually present, so a hostile size can never make us
allocate more than the file holds, and a read past the end raises Torch's
``read error: read N blocks instead of M`` (or sets ``hasError`` on a quiet file).

This module knows nothing of Lua; ``lua_file.py`` gives the functions Lua calls as
``torch._py.sf_*``, and ``tensor_io.py`` reads and writes storage bodies and tensor headers.
"""

from __future__ import annotations

import functools
import math
import mmap
import os
import re
import struct
import sys
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor.core import Storage, TorchError

LITTLE = sys.byteorder == "little"

# element kinds as Torch names them; Half only appears in old files (read as Float)
KINDS = ("Byte", "Char", "Short", "Int", "Long", "Float", "Double", "Half")
_CODE = {
    "Byte": "u1",
    "Char": "i1",
    "Short": "i2",
    "Int": "i4",
    "Long": "i8",
    "Float": "f4",
    "Double": "f8",
    "Half": "f2",
}
_INT_KINDS = ("Byte", "Char", "Short", "Int", "Long")
_NATIVE = {k: np.dtype(v) for k, v in _CODE.items()}
# what a value read from disk becomes in memory
_MEM_DTYPE = dict(_NATIVE)
_MEM_DTYPE["Half"] = np.dtype(np.float32)

# fscanf's tokens: leading white space is skipped, then the longest number prefix is taken
_WS = rb"[ \t\n\r\v\f]*"
_INT_TOK = rb"[-+]?[0-9]+"
_FLT_TOK = (
    rb"[-+]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
    rb"|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN](?:\([0-9A-Za-z_]*\))?)"
)
_SCAN = {
    "int": re.compile(_WS + rb"(" + _INT_TOK + rb")"),
    "float": re.compile(_WS + rb"(" + _FLT_TOK + rb")"),
}
# characters a line of values may hold for the fast path (anything else: token by token);
# Python's int()/float() then reject what C's scanf would not read whole
_LINE_CHARS = {
    "int": b"0123456789+- \t\r",
    "float": b"0123456789+-.eE \t\rinfatyINFATY",
}
_SKIP_WS = re.compile(_WS)

_LIMITS = {k: (int(np.iinfo(_NATIVE[k]).min), int(np.iinfo(_NATIVE[k]).max)) for k in _INT_KINDS}


class FileError(TorchError):
    """A File error in Torch's words (raised as a Lua error by the bindings)."""


def _c_int(kind: str, v: Any) -> int:
    """A Lua number converted to a C integer of ``kind`` as a C cast does (truncate, wrap)."""
    if isinstance(v, float):
        if not math.isfinite(v):
            return 0
        v = int(v)
    lo, hi = _LIMITS[kind]
    span = hi - lo + 1
    return (int(v) - lo) % span + lo


def _parse_float(tok: bytes) -> float:
    try:
        return float(tok)
    except ValueError:  # nan(chars) is C-only syntax
        return float("nan")


def _c_g(spec: str, v: float) -> str:
    """``v`` as C's printf writes it with ``spec``: a NaN with its sign bit set is ``-nan``
    (0/0 on x86 is one), which Python's ``%g`` writes as ``nan``."""
    if v != v and math.copysign(1.0, v) < 0:
        return "-nan"
    return spec % v


def _fmt(kind: str, neg_nan: bool = False) -> Callable[[Any], str]:
    spec = "%.17g" if kind == "Double" else "%.9g" if kind in ("Float", "Half") else None
    if spec is None:
        return str
    return functools.partial(_c_g, spec) if neg_nan else spec.__mod__


_STRUCTS: dict[tuple[str, str, int], struct.Struct] = {}


def _struct(order: str, kind: str, size: int) -> struct.Struct:
    st = _STRUCTS.get((order, kind, size))
    if st is None:
        code = {
            "Byte": "B",
            "Char": "b",
            "Short": "h",
            "Int": "i",
            "Long": "q" if size == 8 else "i",
            "Float": "f",
            "Double": "d",
        }[kind]
        st = _STRUCTS[(order, kind, size)] = struct.Struct(order + code)
    return st


class ByteBuf:
    """A byte buffer Lua fills through the FFI (binary Lua strings cannot cross as ``str``)."""

    __slots__ = ("arr",)

    def __init__(self, n: int) -> None:
        self.arr = np.zeros(max(n, 1), dtype=np.uint8)[:n]

    def address(self) -> int:
        return int(self.arr.__array_interface__["data"][0])

    def tobytes(self) -> bytes:
        return self.arr.tobytes()


def as_bytes(s: Any) -> bytes:
    """A string argument from Lua (str for ASCII-only strings, ByteBuf otherwise) as bytes."""
    if isinstance(s, bytes):
        return s
    if isinstance(s, str):
        return s.encode("utf-8")
    if isinstance(s, ByteBuf):
        return s.tobytes()
    raise FileError("string expected")


# disk files open for writing: flushed when the process must end at once (Ctrl-C in the CLI)
_DISK_FILES: weakref.WeakSet[TFile] = weakref.WeakSet()


def flush_open_files() -> None:
    """Write out what open torch.DiskFiles hold in their buffers (no Lua state needed)."""
    for f in list(_DISK_FILES):
        try:
            if not f.closed and f.fh is not None:
                f.fh.flush()
        except (OSError, ValueError):
            pass


class TFile:
    """A Torch File: a DiskFile (``name`` set) or a MemoryFile.

    Readable data lives in ``buf`` (bytes, mmap or bytearray); a disk file opened for writing
    also has a file object ``fh`` that every write goes through.
    """

    def __init__(
        self,
        name: str | None,
        readable: bool,
        writable: bool,
        quiet: bool = False,
        buf: Any = None,
        fh: Any = None,
        storage: Storage | None = None,
    ) -> None:
        self.name = name
        self.readable = readable
        self.writable = writable
        self.quiet = quiet
        self.binary = False
        self.autospacing = True
        self.has_error = False
        self.long_size = 0
        self.order = "<" if LITTLE else ">"
        self.buf = buf if buf is not None else bytearray()
        self.end = len(self.buf)
        self.pos = 0
        self.fh = fh
        self.fh_pos = 0
        self.storage = storage
        self.closed = False
        self.nobuffer = False
        self._mmap: mmap.mmap | None = None
        if fh is not None:
            _DISK_FILES.add(self)

    # ------------------------------------------------------------------ opening
    @classmethod
    def disk(cls, name: str, mode: str = "r", quiet: bool = False) -> TFile | None:
        if mode not in ("r", "w", "rw"):
            raise FileError("file mode should be 'r','w' or 'rw'")
        readable, writable = "r" in mode, "w" in mode
        try:
            if mode == "r":
                with open(name, "rb") as f:
                    size = os.fstat(f.fileno()).st_size
                    mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else None
                self = cls(name, True, False, quiet, buf=mm if mm is not None else b"")
                self._mmap = mm
                return self
            if mode == "w":
                return cls(name, False, True, quiet, fh=open(name, "wb"))  # noqa: SIM115
            try:
                fh = open(name, "r+b")  # noqa: SIM115
            except FileNotFoundError:
                fh = open(name, "w+b")  # noqa: SIM115
            data = bytearray(fh.read())
            fh.seek(0)
            return cls(name, True, True, quiet, buf=data, fh=fh)
        except OSError:
            if quiet:
                return None
            raise FileError(
                f"cannot open <{name}> in mode {'r' if readable else ' '}{'w' if writable else ' '}"
            ) from None

    @classmethod
    def memory(cls, mode: str = "rw", storage: Storage | None = None) -> TFile:
        if storage is not None:
            data = storage.data
            if data.shape[0] == 0 or data[-1] != 0:
                raise FileError("provided CharStorage must be terminated by 0")
        if mode not in ("r", "w", "rw"):
            raise FileError("file mode should be 'r','w' or 'rw'")
        buf = bytearray(storage.data[:-1].tobytes()) if storage is not None else bytearray()
        return cls(None, "r" in mode, "w" in mode, False, buf=buf, storage=storage)

    # ------------------------------------------------------------------ checks
    def _check_open(self) -> None:
        if self.closed:
            raise FileError("attempt to use a closed file")

    def _check_read(self) -> None:
        self._check_open()
        if not self.readable:
            raise FileError("attempt to read in a write-only file")

    def _check_write(self) -> None:
        self._check_open()
        if not self.writable:
            raise FileError("attempt to write in a read-only file")

    def _read_failed(self, nread: int, n: int) -> None:
        self.has_error = True
        if not self.quiet:
            raise FileError(f"read error: read {nread} blocks instead of {n}")

    def remaining(self) -> int:
        return max(self.end - self.pos, 0)

    # ------------------------------------------------------------------ raw i/o
    def _take(self, n: int) -> bytes:
        """Up to n bytes from the current position."""
        a = self.pos
        b = min(a + n, self.end)
        if b <= a:
            return b""
        self.pos = b
        return bytes(self.buf[a:b])

    def _put(self, data: bytes) -> None:
        if not data:
            return
        n = len(data)
        if self.fh is not None:
            if self.fh_pos != self.pos:
                self.fh.seek(self.pos)
            self.fh.write(data)
            if self.nobuffer:
                self.fh.flush()
            self.fh_pos = self.pos + n
        if self.readable or self.fh is None:  # memory files and 'rw' disk files keep a copy
            buf = self.buf
            if self.pos > len(buf):
                buf.extend(bytes(self.pos - len(buf)))
            buf[self.pos : self.pos + n] = data
        self.pos += n
        if self.pos > self.end:
            self.end = self.pos

    def _newline(self) -> None:
        """Auto-spacing after a read: swallow one newline."""
        if self.autospacing and self.pos < self.end and self.buf[self.pos] == 10:
            self.pos += 1

    # ------------------------------------------------------------------ reading
    def disk_itemsize(self, kind: str) -> int:
        if kind == "Long" and self.long_size:
            return self.long_size
        return _NATIVE[kind].itemsize

    def read_array(self, kind: str, n: int) -> np.ndarray:
        """n values of ``kind`` as a native numpy array (shorter if the file ends first)."""
        self._check_read()
        n = int(n)
        if n < 0:
            raise FileError(f"read error: invalid number of elements ({n})")
        if n == 0:
            return np.empty(0, dtype=_MEM_DTYPE[kind])
        if kind in ("Byte", "Char"):
            raw = self._take(n)
            if not self.binary:
                self._newline()
            out = np.frombuffer(raw, dtype=_NATIVE[kind]).copy()
        elif self.binary:
            out = self._read_binary(kind, n)
        else:
            out = self._read_ascii(kind, n)
        if out.shape[0] != n:
            self._read_failed(out.shape[0], n)
        return out

    def _read_binary(self, kind: str, n: int) -> np.ndarray:
        size = self.disk_itemsize(kind)
        code = _CODE[kind] if not (kind == "Long" and size == 4) else "i4"
        dtype = np.dtype(self.order + code)
        count = min(n, self.remaining() // size)
        if count <= 0:
            return np.empty(0, dtype=_MEM_DTYPE[kind])
        a = np.frombuffer(self.buf, dtype=dtype, count=count, offset=self.pos)
        self.pos += count * size
        return a.astype(_MEM_DTYPE[kind])  # always a copy: the buffer may go away

    def _read_ascii(self, kind: str, n: int) -> np.ndarray:
        family = "int" if kind in _INT_KINDS else "float"
        values: list[Any] | None = None
        if n > 1:
            values = self._read_ascii_line(family, n)
        if values is None:
            values = []
            scan = _SCAN[family].match
            buf, end = self.buf, self.end
            conv = int if family == "int" else _parse_float
            for _ in range(n):
                m = scan(buf, self.pos, end)
                if m is None:
                    # fscanf consumed the white space before failing
                    self.pos = _SKIP_WS.match(buf, self.pos, end).end()
                    break
                values.append(conv(m.group(1)))
                self.pos = m.end()
        self._newline()
        if family == "int":
            lo, hi = _LIMITS[kind]
            if kind == "Long":  # strtol saturates
                values = [min(max(v, lo), hi) for v in values]
            elif any(v < lo or v > hi for v in values):
                values = [_c_int(kind, v) for v in values]
            return np.array(values, dtype=_MEM_DTYPE[kind])
        return np.array(values, dtype=np.float64).astype(_MEM_DTYPE[kind])

    def _read_ascii_line(self, family: str, n: int) -> list[Any] | None:
        """Fast path: the n values fill exactly the rest of one line, as Torch writes them."""
        buf, end = self.buf, self.end
        start = _SKIP_WS.match(buf, self.pos, end).end()
        nl = buf.find(b"\n", start, end)
        stop = end if nl < 0 else nl
        line = bytes(buf[start:stop])
        if line.translate(None, _LINE_CHARS[family]):
            return None
        toks = line.split()
        if len(toks) != n:
            return None
        try:
            values = list(map(int, toks)) if family == "int" else list(map(float, toks))
        except ValueError:
            return None
        self.pos = stop
        return values

    def read_scalar(self, kind: str) -> int | float:
        if self.binary and not self.closed and self.readable and kind != "Half":
            # fast path for the many single numbers of an object graph
            st = _struct(self.order, kind, self.disk_itemsize(kind))
            if self.end - self.pos >= st.size:
                v = st.unpack_from(self.buf, self.pos)[0]
                self.pos += st.size
                return v
        a = self.read_array(kind, 1)
        if a.shape[0] == 0:
            return 0
        v = a[0]
        return float(v) if kind in ("Float", "Double", "Half") else int(v)

    def read_chars(self, n: int) -> bytes:
        """n raw characters (Char read: in ascii, an auto-spacing newline follows)."""
        self._check_read()
        if n <= 0:
            if n < 0:
                raise FileError(f"read error: invalid number of elements ({n})")
            return b""
        raw = self._take(n)
        if not self.binary:
            self._newline()
        if len(raw) != n:
            self._read_failed(len(raw), n)
        return raw

    def read_string(self, fmt: str) -> bytes:
        self._check_read()
        if not (len(fmt) >= 2 and fmt[0] == "*" and fmt[1] in "al"):
            raise FileError("format must be '*a' or '*l'")
        if self.pos >= self.end:
            self._read_failed(0, 1)
            return b""
        if fmt[1] == "a":
            return self._take(self.remaining())
        nl = self.buf.find(b"\n", self.pos, self.end)
        if nl < 0:
            return self._take(self.remaining())
        line = bytes(self.buf[self.pos : nl])
        self.pos = nl + 1
        return line

    # ------------------------------------------------------------------ writing
    def write_array(self, kind: str, a: np.ndarray) -> int:
        self._check_write()
        n = int(a.shape[0])
        if n == 0:
            return 0
        if kind in ("Byte", "Char"):
            self._put(np.ascontiguousarray(a, dtype=_NATIVE[kind]).tobytes())
            if not self.binary and self.autospacing:
                self._put(b"\n")
        elif self.binary:
            if kind == "Long" and self.long_size == 4:
                data = a.astype(self.order + "i4")
            else:
                data = a.astype(self.order + _CODE[kind])
            self._put(data.tobytes())
        else:
            if kind == "Float" or kind == "Half":
                vals = a.astype(np.float32).astype(np.float64).tolist()
            else:
                vals = a.tolist()
            sep = " " if self.autospacing else ""
            neg_nan = a.dtype.kind == "f" and bool((np.isnan(a) & np.signbit(a)).any())
            text = sep.join(map(_fmt(kind, neg_nan), vals))
            if self.autospacing:
                text += "\n"
            self._put(text.encode("ascii"))
        return n

    def write_scalar(self, kind: str, v: Any) -> None:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise FileError(f"number, or {kind}Storage expected")
        if not self.closed and self.writable and kind != "Half" and kind != "Float":
            # fast path for the many single numbers of an object graph
            v = _c_int(kind, v) if kind in _INT_KINDS else float(v)
            if self.binary:
                self._put(_struct(self.order, kind, self.disk_itemsize(kind)).pack(v))
            elif kind in ("Byte", "Char"):
                self._put(bytes([v & 255]) + (b"\n" if self.autospacing else b""))
            else:
                text = _c_g("%.17g", v) if kind == "Double" else str(v)
                self._put((text + "\n" if self.autospacing else text).encode("ascii"))
            return
        if kind in _INT_KINDS:
            arr = np.array([_c_int(kind, v)], dtype=_NATIVE[kind])
        else:
            arr = np.array([v], dtype=_NATIVE[kind])
        self.write_array(kind, arr)

    def write_chars(self, data: bytes) -> int:
        self._check_write()
        if data:
            self._put(data if self.binary or not self.autospacing else data + b"\n")
        return len(data)

    def write_string(self, data: bytes) -> int:
        self._check_write()
        self._put(data)
        return len(data)

    # ------------------------------------------------------------------ position
    def seek(self, position: int) -> None:
        """0-based position."""
        self._check_open()
        if position < 0:
            raise FileError("position has to be greater than 0!")
        if self.name is None and position > self.end:
            self.has_error = True
            if not self.quiet:
                raise FileError(f"unable to seek at position {position}")
            return
        self.pos = position

    def seek_end(self) -> None:
        self._check_open()
        self.pos = self.end

    def position(self) -> int:
        self._check_open()
        return self.pos

    def synchronize(self) -> None:
        self._check_open()
        if self.fh is not None:
            self.fh.flush()

    def close(self) -> None:
        self._check_open()
        if self.fh is not None:
            self.fh.close()
            self.fh = None
        if self._mmap is not None:
            self._mmap.close()
            self._mmap = None
        self.buf = b""
        self.end = self.pos = 0
        self.closed = True

    def set_long_size(self, size: int) -> None:
        self._check_open()
        if size not in (0, 4, 8):
            raise FileError("Invalid long size specified")
        self.long_size = size

    def char_storage(self) -> Storage:
        """MemoryFile:storage(): the contents and a terminating 0, in the same storage."""
        self._check_open()
        data = np.frombuffer(bytes(self.buf[: self.end]) + b"\0", dtype=np.int8).copy()
        if self.storage is None:
            self.storage = Storage("Char", data)
        else:
            self.storage.data = data
        return self.storage

    def describe(self) -> str:
        status = "closed" if self.closed else "open"
        mode = ("r" if self.readable else " ") + ("w" if self.writable else " ")
        if self.name is None:
            return f"torch.MemoryFile [status: {status} -- mode {mode}]"
        return f"torch.DiskFile on <{self.name}> [status: {status} -- mode {mode}]"

    def __del__(self) -> None:
        fh = getattr(self, "fh", None)
        if fh is not None:
            try:
                fh.close()
            except Exception:  # noqa: BLE001 (interpreter shutdown)
                pass
