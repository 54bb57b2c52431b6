"""The Python side of the Lua File API (lua/torch/File.lua: torch.DiskFile, MemoryFile,
torch.save/load): functions Lua reaches as ``torch._py.sf_*``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor.core import DTYPES, AllocationMeter, Storage, Tensor
from .file import KINDS, LITTLE, ByteBuf, FileError, TFile, as_bytes
from .tensor_io import (
    check_geometry,
    read_storage_data,
    read_tensor_header,
    write_storage_data,
    write_tensor_header,
)

_READERS = ("Byte", "Char", "Short", "Int", "Long", "Float", "Double")


def exports(bindings: Any) -> dict[str, Callable[..., Any]]:
    """Functions Lua reaches as ``torch._py.sf_*`` (File.lua wraps them)."""
    wrap = bindings.wrap

    def kind_of(kind: str) -> str:
        if kind not in _READERS:
            raise FileError(f"unknown element type {kind}")
        return kind

    def open_disk(name: Any, mode: Any = "r", quiet: Any = False) -> Any:
        if not isinstance(name, str):
            name = as_bytes(name).decode("utf-8", "surrogateescape")
        return TFile.disk(name, mode if mode is not None else "r", bool(quiet))

    def open_memory(a: Any = None, b: Any = None) -> TFile:
        if isinstance(a, Storage):
            if a.ttype != "Char":
                raise FileError("bad argument #1 to 'MemoryFile' (CharStorage expected)")
            return TFile.memory(b if b is not None else "rw", a)
        return TFile.memory(a if a is not None else "rw")

    def open_memory_copy(a: Any) -> TFile:
        """A read-only MemoryFile over a copy of a string's or storage's bytes."""
        raw = a.data.tobytes() if isinstance(a, Storage) else as_bytes(a)
        return TFile(None, True, False, buf=bytearray(raw))

    def read(f: TFile, kind: str, arg: Any = None) -> Any:
        kind = kind_of(kind)
        if arg is None:
            return f.read_scalar(kind)
        if isinstance(arg, (int, float)) and not isinstance(arg, bool):
            n = int(arg)
            if n < 0:
                raise FileError(f"read error: invalid number of elements ({n})")
            return wrap(Storage(kind, f.read_array(kind, n)))
        if isinstance(arg, Storage) and arg.ttype == kind:
            a = f.read_array(kind, arg.size())
            arg.data[: a.shape[0]] = a
            return a.shape[0]
        raise FileError(f"nothing, number, or {kind}Storage expected")

    def write(f: TFile, kind: str, arg: Any) -> Any:
        kind = kind_of(kind)
        if isinstance(arg, Storage) and arg.ttype == kind:
            return f.write_array(kind, arg.data)
        if isinstance(arg, (int, float)) and not isinstance(arg, bool):
            f.write_scalar(kind, arg)
            return None
        if arg == "-0" and kind in ("Float", "Double"):  # File.lua's stand-in for Lua's -0
            f.write_scalar(kind, -0.0)
            return None
        raise FileError(f"number, or {kind}Storage expected")

    def flag(f: TFile, name: str) -> bool:
        if name == "isOpened":
            return not f.closed
        if name == "hasError":
            return f.has_error
        f._check_open()
        return bool(
            {
                "isQuiet": f.quiet,
                "isReadable": f.readable,
                "isWritable": f.writable,
                "isBinary": f.binary,
                "isAutoSpacing": f.autospacing,
            }[name]
        )

    def setflag(f: TFile, name: str) -> None:
        f._check_open()
        if name == "binary":
            f.binary = True
        elif name == "ascii":
            f.binary = False
        elif name == "autoSpacing":
            f.autospacing = True
        elif name == "noAutoSpacing":
            f.autospacing = False
        elif name == "quiet":
            f.quiet = True
        elif name == "pedantic":
            f.quiet = False
        elif name == "clearError":
            f.has_error = False
        elif name == "noBuffer":
            f.nobuffer = True
        elif name == "nativeEndianEncoding":
            f.order = "<" if LITTLE else ">"
        elif name == "littleEndianEncoding":
            f.order = "<"
        elif name == "bigEndianEncoding":
            f.order = ">"

    def seek(f: TFile, pos: Any) -> None:
        if isinstance(pos, bool) or not isinstance(pos, (int, float)):
            raise FileError("bad argument #2 to 'seek' (number expected)")
        p = int(pos) - 1
        if p < 0:
            raise FileError("position has to be greater than 0!")
        f.seek(p)

    def storage_read(f: TFile, s: Storage, src: str | None = None) -> None:
        kind = src or s.ttype
        if kind not in KINDS:
            raise FileError(f"unknown element type {kind}")
        data = read_storage_data(f, kind)
        s.data = data.astype(DTYPES[s.ttype], copy=False)
        # the storage was counted empty when Lua made it: count what it holds now, so that
        # the collections that free dropped buffers also run during clone() and torch.load
        AllocationMeter.allocated += s.data.nbytes

    def tensor_read(f: TFile, t: Tensor) -> None:
        # the storage follows as an object of its own; tensor_attach checks the geometry
        size, stride, offset = read_tensor_header(f)
        if any(s < 0 for s in size) or any(s < 0 for s in stride) or offset < 0:
            raise FileError("corrupted file: negative tensor size, stride or offset")
        t.set(None, offset, size, stride)

    def tensor_attach(t: Tensor, s: Any) -> None:
        if s is not None and not (isinstance(s, Storage) and s.ttype == t.ttype):
            raise FileError(
                f"corrupted file: the storage of a {t.typename} is not a torch.{t.ttype}Storage"
            )
        if s is None:
            t.offset = 0  # no storage: nothing to be offset into
        check_geometry(t.size, t.stride, t.offset, s.size() if s is not None else None)
        t.set(s, t.offset, t.size, t.stride)

    def buffer(n: Any) -> tuple[ByteBuf, int]:
        b = ByteBuf(int(n))
        return b, b.address()

    def storage_string(s: Storage) -> bytes:
        return s.data.tobytes()

    def storage_set_string(s: Storage, v: Any) -> Any:
        raw = as_bytes(v)
        s.data = (
            np.frombuffer(raw, dtype=s.data.dtype).copy()
            if s.ttype in ("Char", "Byte")
            else np.frombuffer(raw, dtype=np.uint8).astype(s.data.dtype)
        )
        AllocationMeter.allocated += s.data.nbytes
        return wrap(s)

    return {
        "sf_open_disk": open_disk,
        "sf_open_memory": open_memory,
        "sf_open_memory_copy": open_memory_copy,
        "sf_read": read,
        "sf_write": write,
        "sf_read_chars": lambda f, n: f.read_chars(int(n)),
        "sf_write_chars": lambda f, s: f.write_chars(as_bytes(s)),
        "sf_read_string": lambda f, fmt: f.read_string(str(fmt)),
        "sf_write_string": lambda f, s: f.write_string(as_bytes(s)),
        "sf_flag": flag,
        "sf_set": setflag,
        "sf_long_size": lambda f, n: f.set_long_size(int(n)),
        "sf_seek": seek,
        "sf_seek_end": lambda f: f.seek_end(),
        "sf_position": lambda f: f.position() + 1,
        "sf_synchronize": lambda f: f.synchronize(),
        "sf_close": lambda f: f.close(),
        "sf_storage": lambda f: wrap(f.char_storage()),
        "sf_describe": lambda f: f.describe(),
        "sf_storage_write": lambda f, s: write_storage_data(f, s.ttype, s.data),
        "sf_storage_read": storage_read,
        "sf_tensor_write": write_tensor_header,
        "sf_tensor_read": tensor_read,
        "sf_tensor_attach": tensor_attach,
        "sf_buffer": buffer,
        "sf_storage_string": storage_string,
        "sf_storage_set_string": storage_set_string,
    }
