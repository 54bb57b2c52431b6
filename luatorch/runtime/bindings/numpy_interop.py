"""``luatorch.from_numpy`` / ``luatorch.to_numpy``: numpy arrays and Lua tensors sharing memory."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...tensor.core import TYPE_OF_DTYPE, Storage, Tensor


def tensor_from_numpy(a: np.ndarray) -> Tensor:
    """A Tensor sharing ``a``'s memory (any non-negative strides; copies only when the dtype
    is not one of Torch's seven, the strides are negative or not whole elements)."""
    a = np.asarray(a)
    if a.dtype == np.bool_:
        a = a.astype(np.uint8)
    dt = a.dtype.newbyteorder("=") if a.dtype.byteorder not in ("=", "|") else a.dtype
    if dt not in TYPE_OF_DTYPE:
        raise TypeError(f"cannot convert an array of {a.dtype} to a torch tensor")
    if dt != a.dtype:
        a = a.astype(dt)
    ttype = TYPE_OF_DTYPE[a.dtype]
    if a.ndim == 0:
        a = a.reshape(1)
    if a.size == 0:
        return Tensor(ttype)
    item = a.itemsize
    if any(st < 0 or st % item for st in a.strides):
        a = np.ascontiguousarray(a)
    strides = tuple(st // item for st in a.strides)
    span = 1 + sum((n - 1) * st for n, st in zip(a.shape, strides, strict=True))
    flat = np.lib.stride_tricks.as_strided(a, shape=(span,), strides=(item,))
    # keep the base alive and writable through the flat view
    return Tensor(ttype, Storage(ttype, flat), 0, a.shape, strides)


def from_numpy(rt: Any, a: np.ndarray) -> Any:
    """``luatorch.from_numpy(rt, array)``: a Lua tensor of runtime ``rt`` viewing ``array``."""
    return rt.bindings.wrap(tensor_from_numpy(a))


def to_numpy(rt: Any, value: Any) -> np.ndarray:
    """``luatorch.to_numpy(rt, tensor)``: a numpy view of a Lua tensor or storage (no copy).

    ``value`` may be a Lua proxy returned by ``rt.execute`` or a Python Tensor/Storage."""
    obj = value
    if not isinstance(obj, (Tensor, Storage)):
        obj = rt.lua.globals().torch._P[value]
    if isinstance(obj, Storage):
        return obj.data
    if not isinstance(obj, Tensor):
        raise TypeError("to_numpy expects a torch tensor or storage")
    return obj.arr
