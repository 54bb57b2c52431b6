"""MATLAB .mat files for the Lua ``matio`` package (soumith/matio-ffi.torch's API) on scipy.io.

Numeric arrays load as tensors of the matching type (uint8 as Byte, int8 and char as Char,
uint16/int16 as Short, 32-bit as Int, 64-bit as Long, single as Float, double as Double) with
MATLAB's sizes; as matio-ffi's, they are transposed views of column-major data. Structs load as
tables of fields (an m x n struct array as a table of rows), cell arrays as Lua arrays in
column-major order, char arrays as CharTensors or (``matio.use_lua_strings``) Lua strings.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np
from lupa.luajit21 import lua_type

from ..tensor.core import Storage, Tensor, TorchError

_TYPES = {
    ("u", 1): ("Byte", np.uint8),
    ("b", 1): ("Byte", np.uint8),
    ("i", 1): ("Char", np.int8),
    ("u", 2): ("Short", np.int16),
    ("i", 2): ("Short", np.int16),
    ("u", 4): ("Int", np.int32),
    ("i", 4): ("Int", np.int32),
    ("u", 8): ("Long", np.int64),
    ("i", 8): ("Long", np.int64),
    ("f", 4): ("Float", np.float32),
    ("f", 8): ("Double", np.float64),
}


def _sio() -> Any:
    try:
        import scipy.io
    except ImportError:
        raise TorchError("matio: needs scipy (pip install scipy, or luatorch[matio])") from None
    return scipy.io


def _column_major_tensor(a: np.ndarray, ttype: str, dtype: Any) -> Tensor:
    """A tensor of a's sizes whose storage holds a in column-major order (matio-ffi's layout)."""
    flat = np.asarray(a).astype(dtype, copy=False).reshape(-1, order="F").copy()
    sizes = a.shape
    strides, s = [], 1
    for n in sizes:
        strides.append(s)
        s *= n
    return Tensor(ttype, Storage(ttype, flat), 0, sizes, tuple(strides))


def exports(bindings: Any) -> dict[str, Callable[..., Any]]:
    """Functions for lua/matio."""
    lua = bindings.lua
    wrap = bindings.wrap

    def convert(v: Any, lua_strings: bool) -> Any:
        if isinstance(v, np.ndarray):
            if v.dtype.kind == "U":  # char array (chars_as_strings off: one char per element)
                text = "".join(v.reshape(-1, order="F").tolist()) if v.size else ""
                if lua_strings:
                    return text.encode("latin-1", "replace") if not text.isascii() else text
                codes = np.array([ord(c) & 0xFF for c in v.reshape(-1)], dtype=np.uint8)
                return wrap(
                    _column_major_tensor(codes.view(np.int8).reshape(v.shape), "Char", np.int8)
                )
            if v.dtype.kind == "O":  # cell array
                items = [convert(x, lua_strings) for x in v.reshape(-1, order="F")]
                return lua.table_from(items)
            if v.dtype.names:  # struct (array)
                return struct(v, lua_strings)
            if v.size == 0:
                return None
            if v.dtype.kind == "c":
                raise TorchError("matio: complex arrays are not supported")
            t = _TYPES.get((v.dtype.kind, v.dtype.itemsize))
            if t is None:
                raise TorchError(f"matio: unsupported array type {v.dtype}")
            return wrap(_column_major_tensor(v, *t))
        return v

    def fields(rec: Any, names: tuple, lua_strings: bool) -> Any:
        out = lua.table()
        for n in names:
            val = convert(rec[n], lua_strings)
            if val is not None:
                out[n] = val
        return out

    def struct(v: np.ndarray, lua_strings: bool) -> Any:
        names = v.dtype.names
        if v.size == 1:
            return fields(v.reshape(-1)[0], names, lua_strings)
        if v.ndim == 2:
            rows = lua.table()
            for i in range(v.shape[0]):
                row = lua.table()
                for j in range(v.shape[1]):
                    row[j + 1] = fields(v[i, j], names, lua_strings)
                rows[i + 1] = row
            return rows
        return None

    def load(path: str, names: Any, lua_strings: bool) -> Any:
        """(variables table, names in the file order) or an error message string."""
        sio = _sio()
        if not os.path.isfile(path):
            return None
        try:
            data = sio.loadmat(
                path,
                squeeze_me=False,
                chars_as_strings=False,
                struct_as_record=True,
                mat_dtype=False,
            )
            order = [w[0] for w in sio.whosmat(path)]
        except Exception as e:  # scipy raises several kinds for a bad file
            raise TorchError(f"matio.load: cannot read {path} ({e})") from None
        out = lua.table()
        for n in order:
            if names is None or n in names:
                val = convert(data[n], lua_strings)
                if val is not None:
                    out[n] = val
        return out, lua.table_from(order)

    def to_array(v: Any) -> Any:
        if isinstance(v, Tensor):
            a = np.array(v.arr)
            return a.reshape(-1, 1) if a.ndim == 1 else a
        if isinstance(v, bool):
            return np.array([[v]], dtype=bool)
        if isinstance(v, (int, float)):
            return np.array([[float(v)]])
        if isinstance(v, str):
            return v
        if lua_type(v) == "table":  # a struct (iterating a Lua table gives its keys)
            return {str(k): to_array(v[k]) for k in list(v)}
        raise TorchError(f"Unsupported type: {lua_type(v) or type(v).__name__}")

    def save(path: str, data: Any, compress: bool) -> None:
        sio = _sio()
        if isinstance(data, Tensor):
            variables = {"x": to_array(data)}
        else:
            variables = {str(k): to_array(data[k]) for k in list(data)}
        sio.savemat(
            path, variables, appendmat=False, do_compression=bool(compress), oned_as="column"
        )

    return {"mat_load": load, "mat_save": save}
