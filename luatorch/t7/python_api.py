"""Read and write Torch7 ``.t7`` files from Python, without Lua.

``load(path)`` gives Python objects: numpy arrays for tensors and storages (tensors that share a
storage in the file share memory), ``dict`` for tables (``list`` when the keys are exactly
1..n), ``TorchObject`` (a dict with ``.typename``) for instances of Torch classes such as
``nn.Linear``, and ``str``/``bytes``, ``float``, ``bool`` and ``None`` for the rest. Shared
references and cycles come back as shared Python objects.

``save(path, obj)`` writes numpy arrays (as tensors of the matching Torch type), dicts,
lists/tuples, ``TorchObject``, strings, numbers, booleans and None.

Functions stored in a file (Lua bytecode) are refused unless ``allow_functions=True``; they then
load as ``LuaFunction`` records (the bytecode and upvalues), which Python cannot run.
"""

from __future__ import annotations

import math
import mmap
import os
import sys
from typing import Any

import numpy as np

from ..tensor.core import DTYPES, TYPE_NAMES, contiguous_strides
from .file import FileError, TFile
from .tensor_io import check_geometry, read_storage_data, read_tensor_header, write_storage_data

__all__ = ["T7Error", "TorchObject", "LuaFunction", "load", "loads", "save", "dumps"]

TYPE_NIL, TYPE_NUMBER, TYPE_STRING, TYPE_TABLE, TYPE_TORCH, TYPE_BOOLEAN = 0, 1, 2, 3, 4, 5
TYPE_FUNCTION, LEGACY_TYPE_RECUR_FUNCTION, TYPE_RECUR_FUNCTION = 6, 7, 8

MAX_DEPTH = 3000

_CUDA_ELEM = {
    "": "Float",
    "Double": "Double",
    "Long": "Long",
    "Int": "Int",
    "Short": "Short",
    "Char": "Char",
    "Byte": "Byte",
    "Half": "Float",
}
_DTYPE_TYPE = {
    np.dtype(np.float64): "Double",
    np.dtype(np.float32): "Float",
    np.dtype(np.int64): "Long",
    np.dtype(np.int32): "Int",
    np.dtype(np.int16): "Short",
    np.dtype(np.int8): "Char",
    np.dtype(np.uint8): "Byte",
    np.dtype(np.bool_): "Byte",
    np.dtype(np.float16): "Half",
    np.dtype(np.uint16): "Int",
    np.dtype(np.uint32): "Long",
}


class T7Error(ValueError):
    """A .t7 file that cannot be read (corrupted, truncated, unsupported), or an unwritable
    object."""


class TorchObject(dict):
    """An instance of a Torch class (e.g. ``nn.Linear``): its fields, plus ``typename``."""

    def __init__(self, typename: str, fields: dict | None = None, version: int = 1) -> None:
        super().__init__(fields or {})
        self.typename = typename
        self.version = version

    def __repr__(self) -> str:
        return f"TorchObject({self.typename!r}, {dict.__repr__(self)})"


class LuaFunction:
    """A Lua function from a file (only with ``allow_functions=True``): bytecode and upvalues."""

    def __init__(self, bytecode: bytes, upvalues: Any = None) -> None:
        self.bytecode = bytecode
        self.upvalues = upvalues

    def __repr__(self) -> str:
        return f"<LuaFunction: {len(self.bytecode)} bytes of bytecode>"


def _class_type(name: str) -> tuple[str, str, str | None] | None:
    """('Tensor'|'Storage', CPU element type, element type on file if different) or None."""
    if not name.startswith("torch."):
        return None
    body = name[6:]
    cuda = body.startswith("Cuda")
    if cuda:
        body = body[4:]
    for what in ("Tensor", "Storage"):
        if body.endswith(what):
            elem = body[: -len(what)]
            if elem == "Half" and not cuda:
                return what, "Half", None  # float16 arrays, as Torch7's CPU HalfTensor
            if cuda:
                cpu = _CUDA_ELEM.get(elem)
                if cpu is None:
                    return None
                return what, cpu, ("Half" if elem == "Half" else None)
            if elem in TYPE_NAMES:
                return what, elem, None
    return None


# ---------------------------------------------------------------------------------- reading
class _Reader:
    def __init__(self, f: TFile, allow_functions: bool, lists: bool) -> None:
        self.f = f
        self.allow_functions = allow_functions
        self.lists = lists
        self.objects: dict[int, Any] = {}
        self.storages: dict[int, str] = {}  # id(array) -> element type, for arrays read as storages
        self.in_progress: set[int] = set()
        self.referenced_early: set[int] = set()
        self.depth = 0
        self.notified: set[str] = set()

    def read_int(self) -> int:
        return int(self.f.read_scalar("Int"))

    def read_chars(self) -> bytes:
        n = self.read_int()
        return self.f.read_chars(n)

    def read(self) -> Any:
        tag = self.read_int()
        if tag == TYPE_NIL:
            return None
        if tag == TYPE_NUMBER:
            v = self.f.read_scalar("Double")
            # Lua numbers are doubles; integral ones read as int (exact below 2^53)
            return int(v) if v.is_integer() and abs(v) < 2**53 else v
        if tag == TYPE_BOOLEAN:
            return self.read_int() == 1
        if tag == TYPE_STRING:
            raw = self.read_chars()
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                return raw
        if tag in (TYPE_FUNCTION, TYPE_RECUR_FUNCTION, LEGACY_TYPE_RECUR_FUNCTION):
            if not self.allow_functions:
                raise T7Error(
                    "the file holds a Lua function (bytecode that would run when "
                    "loaded): refusing to load it; pass allow_functions=True if you "
                    "trust the file"
                )
        if tag == TYPE_FUNCTION:
            code = self.read_chars()
            return LuaFunction(code, self.read())
        if tag not in (TYPE_TABLE, TYPE_TORCH, TYPE_RECUR_FUNCTION, LEGACY_TYPE_RECUR_FUNCTION):
            raise T7Error(f"unknown object (type tag {tag}): not a Torch file or corrupted")
        index = self.read_int()
        if index in self.objects:
            if index in self.in_progress:
                self.referenced_early.add(index)
            return self.objects[index]
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise T7Error(f"corrupted file: objects nested more than {MAX_DEPTH} deep")
        try:
            if tag == TYPE_TABLE:
                return self._table(index)
            if tag == TYPE_TORCH:
                return self._torch(index)
            fn = LuaFunction(self.read_chars())
            self.objects[index] = fn
            fn.upvalues = self.read()
            return fn
        finally:
            self.depth -= 1

    def _table(self, index: int) -> Any:
        n = self.read_int()
        obj: dict = {}
        self.objects[index] = obj
        self.in_progress.add(index)
        for _ in range(max(n, 0)):
            k = self.read()
            v = self.read()
            if k is None:
                raise T7Error("corrupted file: table index is nil")
            if isinstance(k, float):
                if math.isnan(k):
                    raise T7Error("corrupted file: table index is NaN")
                if k.is_integer():
                    k = int(k)
            try:
                obj[k] = v
            except TypeError as e:  # a table or array as a key
                raise T7Error(
                    f"table key of type {type(k).__name__} is not supported in Python"
                ) from e
        self.in_progress.discard(index)
        if (
            self.lists
            and obj
            and index not in self.referenced_early
            and all(isinstance(k, int) for k in obj)
            and sorted(obj) == list(range(1, len(obj) + 1))
        ):
            lst = [obj[i] for i in range(1, len(obj) + 1)]
            self.objects[index] = lst
            return lst
        return obj

    def _torch(self, index: int) -> Any:
        version = self.read_chars().decode("latin-1")
        if version.startswith("V ") and _is_number(version[2:]):
            v = float(version[2:])
            vnum = int(v) if math.isfinite(v) else 0
            name = self.read_chars().decode("latin-1")
        else:
            vnum, name = 0, version
        kind = _class_type(name)
        if kind is not None:
            what, elem, src = kind
            if name.startswith("torch.Cuda") and name not in self.notified:
                self.notified.add(name)
                print(
                    f"luatorch: loading {name} as torch.{elem}{what} (no CUDA here)",
                    file=sys.stderr,
                )
            if what == "Storage":
                data = read_storage_data(self.f, src or elem).astype(DTYPES[elem], copy=False)
                self.objects[index] = data
                self.storages[id(data)] = elem
                return data
            return self._tensor(index, elem)
        obj = TorchObject(name, version=vnum)
        self.objects[index] = obj
        fields = self.read()
        if isinstance(fields, list):
            fields = {i + 1: v for i, v in enumerate(fields)}
        if not isinstance(fields, dict):
            raise T7Error(
                f"cannot read object of class <{name}>: it is not stored as a table "
                "(a class with its own write method?)"
            )
        obj.update(fields)
        return obj

    def _tensor(self, index: int, elem: str) -> np.ndarray:
        size, stride, offset = read_tensor_header(self.f)
        placeholder = np.empty(0, dtype=DTYPES[elem])
        self.objects[index] = placeholder
        storage = self.read()
        if storage is not None and not (
            isinstance(storage, np.ndarray) and self.storages.get(id(storage)) == elem
        ):
            raise T7Error(
                f"corrupted file: the storage of a torch.{elem}Tensor is not a torch.{elem}Storage"
            )
        if storage is None:
            offset = 0
        check_geometry(size, stride, offset, None if storage is None else storage.shape[0])
        if not size or 0 in size:
            arr = np.zeros(size if size else (0,), dtype=DTYPES[elem])
        else:
            item = storage.itemsize
            arr = np.lib.stride_tricks.as_strided(
                storage[offset:], shape=size, strides=tuple(s * item for s in stride)
            )
        self.objects[index] = arr
        return arr


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def _open_mode(f: TFile, mode: str) -> None:
    if mode not in ("binary", "ascii", "b32", "b64"):
        raise ValueError('"binary", "b32", "b64" or "ascii" expected for mode')
    f.binary = mode != "ascii"
    if mode == "b32":
        f.long_size = 4
    elif mode == "b64":
        f.long_size = 8


def loads(
    data: bytes, mode: str = "binary", *, allow_functions: bool = False, lists: bool = True
) -> Any:
    """The object serialized in ``data`` (what ``torch.serialize`` or a .t7 file holds)."""
    f = TFile(None, True, False, buf=data)
    _open_mode(f, mode)
    return _read(f, allow_functions, lists)


def _read(f: TFile, allow_functions: bool, lists: bool) -> Any:
    try:
        return _Reader(f, allow_functions, lists).read()
    except FileError as e:
        raise T7Error(str(e)) from None
    except RecursionError:
        raise T7Error("objects nested too deep for Python") from None


def load(
    path: str | os.PathLike,
    mode: str = "binary",
    *,
    allow_functions: bool = False,
    lists: bool = True,
) -> Any:
    """The object in a .t7 file (``mode``: 'binary', 'ascii', or 'b32'/'b64' for long sizes)."""
    with open(path, "rb") as fh:  # OSError as Python raises it for a missing file
        size = os.fstat(fh.fileno()).st_size
        buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
    try:
        return loads(buf, mode, allow_functions=allow_functions, lists=lists)
    finally:
        if isinstance(buf, mmap.mmap):
            buf.close()


# ---------------------------------------------------------------------------------- writing
class _Writer:
    def __init__(self, f: TFile) -> None:
        self.f = f
        self.index: dict[int, int] = {}
        self.keep: list[Any] = []  # keeps written objects alive so their ids stay unique
        self.count = 0

    def write_int(self, v: int) -> None:
        self.f.write_scalar("Int", v)

    def write_chars(self, raw: bytes) -> None:
        self.write_int(len(raw))
        self.f.write_chars(raw)

    def ref(self, obj: Any) -> bool:
        """Write obj's reference index; True when it was written before."""
        key = id(obj)
        if key in self.index:
            self.write_int(self.index[key])
            return True
        self.fresh()
        self.index[key] = self.count
        self.keep.append(obj)
        return False

    def fresh(self) -> None:
        """Write a new reference index (for an object nobody else can reference, directly)."""
        self.count += 1
        self.write_int(self.count)

    def write(self, obj: Any) -> None:
        f = self.f
        if obj is None:
            self.write_int(TYPE_NIL)
        elif isinstance(obj, (bool, np.bool_)):
            self.write_int(TYPE_BOOLEAN)
            self.write_int(1 if obj else 0)
        elif isinstance(obj, (int, float, np.integer, np.floating)):
            self.write_int(TYPE_NUMBER)
            f.write_scalar("Double", float(obj))
        elif isinstance(obj, str):
            self.write_int(TYPE_STRING)
            self.write_chars(obj.encode("utf-8"))
        elif isinstance(obj, (bytes, bytearray)):
            self.write_int(TYPE_STRING)
            self.write_chars(bytes(obj))
        elif isinstance(obj, np.ndarray):
            self.write_int(TYPE_TORCH)
            if not self.ref(obj):
                self._tensor(obj)
        elif isinstance(obj, TorchObject):
            self.write_int(TYPE_TORCH)
            if not self.ref(obj):
                self._class_header(f"V {obj.version}", obj.typename)
                self.write_int(TYPE_TABLE)
                self.fresh()
                self._table_body(obj)
        elif isinstance(obj, LuaFunction):
            self.write_int(TYPE_RECUR_FUNCTION)
            if not self.ref(obj):
                self.write_chars(obj.bytecode)
                self.write(obj.upvalues if obj.upvalues is not None else [])
        elif isinstance(obj, dict):
            self.write_int(TYPE_TABLE)
            if not self.ref(obj):
                self._table_body(obj)
        elif isinstance(obj, (list, tuple)):
            self.write_int(TYPE_TABLE)
            if not self.ref(obj):
                self._table_body({i + 1: v for i, v in enumerate(obj)})
        else:
            raise T7Error(f"cannot write an object of type {type(obj).__name__} to a .t7 file")

    def _class_header(self, version: str, name: str) -> None:
        self.write_chars(version.encode("latin-1"))
        self.write_chars(name.encode("latin-1"))

    def _table_body(self, d: dict) -> None:
        self.write_int(len(d))
        for k, v in d.items():
            if k is None or (isinstance(k, float) and math.isnan(k)):
                raise T7Error(f"invalid table key {k!r}")
            self.write(k)
            self.write(v)

    def _tensor(self, a: np.ndarray) -> None:
        ttype = _DTYPE_TYPE.get(a.dtype)
        if ttype is None:
            raise T7Error(f"cannot write a numpy array of dtype {a.dtype} as a Torch tensor")
        data = np.ascontiguousarray(a, dtype=DTYPES[ttype]).reshape(-1)
        self._class_header("V 1", f"torch.{ttype}Tensor")
        f = self.f
        if a.size == 0:  # Torch's empty tensor: no dimension, no storage
            f.write_scalar("Int", 0)
            f.write_scalar("Long", 1)
            self.write_int(TYPE_NIL)
            return
        size = a.shape if a.ndim else (1,)
        f.write_scalar("Int", len(size))
        f.write_array("Long", np.array(size, dtype=np.int64))
        f.write_array("Long", np.array(contiguous_strides(tuple(size)), dtype=np.int64))
        f.write_scalar("Long", 1)
        self.write_int(TYPE_TORCH)
        self.fresh()
        self._class_header("V 1", f"torch.{ttype}Storage")
        write_storage_data(f, ttype, data)


def dumps(obj: Any, mode: str = "binary") -> bytes:
    """obj serialized as Torch7 does (the bytes of a .t7 file; no trailing 0)."""
    f = TFile.memory("w")
    f.binary = mode == "binary"
    if mode not in ("binary", "ascii"):
        raise ValueError('"binary" or "ascii" expected for mode')
    try:
        _Writer(f).write(obj)
    except RecursionError:
        raise T7Error("objects nested too deep to write") from None
    return bytes(f.buf)


def save(path: str | os.PathLike, obj: Any, mode: str = "binary") -> None:
    """Write obj to a .t7 file that Torch7's (and luatorch's) ``torch.load`` read."""
    data = dumps(obj, mode)
    with open(path, "wb") as fh:
        fh.write(data)
