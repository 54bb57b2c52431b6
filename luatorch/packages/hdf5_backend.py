"""HDF5 files for the Lua ``hdf5`` package (deepmind/torch-hdf5's API) on h5py.

Element types follow torch-hdf5: tensors are written as the HDF5 type of their element type;
integer datasets are read as Byte/Short/Int/Long tensors by element size (an int8 or unsigned
dataset's bits land in the tensor of that size, as its native-type read does), floats as Float
or Double. h5py is imported on first use, so a script that never opens an HDF5 file does not pay
for it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor.core import Tensor, TorchError, tensor_from_array

_INT_TYPES = {
    1: ("Byte", np.uint8),
    2: ("Short", np.int16),
    4: ("Int", np.int32),
    8: ("Long", np.int64),
}
_FLOAT_TYPES = {4: ("Float", np.float32), 8: ("Double", np.float64)}


def _h5py() -> Any:
    try:
        import h5py
    except ImportError:
        raise TorchError("hdf5: needs h5py (pip install h5py, or luatorch[hdf5])") from None
    return h5py


def _torch_type(dtype: np.dtype) -> tuple[str, Any]:
    if dtype.kind in "iub":
        t = _INT_TYPES.get(dtype.itemsize)
        if t is None:
            raise TorchError(
                f"Cannot support reading integer data with size = {dtype.itemsize} bytes"
            )
        return t
    if dtype.kind == "f":
        t = _FLOAT_TYPES.get(dtype.itemsize)
        if t is None:
            raise TorchError(
                f"Cannot support reading float data with size = {dtype.itemsize} bytes"
            )
        return t
    kinds = {"S": "STRING", "U": "STRING", "O": "VLEN", "V": "COMPOUND", "c": "COMPOUND"}
    raise TorchError(f"Reading data of class {kinds.get(dtype.kind, dtype.kind)} is unsupported")


def _as_tensor(a: np.ndarray, dtype: np.dtype) -> Tensor:
    ttype, npt = _torch_type(dtype)
    a = np.ascontiguousarray(a)
    if a.dtype != npt:
        a = a.view(npt) if a.dtype.itemsize == np.dtype(npt).itemsize else a.astype(npt)
    return tensor_from_array(a, ttype)


def exports(bindings: Any) -> dict[str, Callable[..., Any]]:
    """Functions for lua/hdf5."""
    wrap = bindings.wrap

    def open_file(path: str, mode: str) -> Any:
        h5py = _h5py()
        h5mode = {"r": "r", "r+": "r+", "w": "w", "w-": "w-"}[mode]
        if mode in ("r", "r+") and not os.path.exists(path):
            raise TorchError(f"HDF5File.open: no such file {path}")
        if mode == "w-" and os.path.exists(path):
            raise TorchError(f"HDF5File.open: file {path} exists (mode 'w-')")
        try:
            return h5py.File(path, h5mode)
        except (OSError, FileExistsError) as e:
            # h5py's message ends with HDF5's reason in parentheses
            m = re.search(r"\(([^()]*)\)\s*$", str(e))
            e = m.group(1) if m else e
            raise TorchError(
                f"HDF5File.open: unable to open {path} in mode '{mode}' ({e})"
            ) from None

    def close(f: Any) -> None:
        f.close()

    def kind(obj: Any, name: str) -> Any:
        """'group', 'dataset' or nil for the child `name` of a group."""
        h5py = _h5py()
        child = obj.get(name)
        if isinstance(child, h5py.Group):
            return "group"
        if isinstance(child, h5py.Dataset):
            return "dataset"
        return None

    def get(obj: Any, name: str) -> Any:
        return obj[name]

    def children(group: Any) -> Any:
        return bindings.lua.table_from(list(group.keys()))

    def create_group(group: Any, name: str) -> Any:
        return group.create_group(name)

    def obj_name(obj: Any) -> str:
        return obj.name or "/"

    def write(group: Any, name: str, t: Tensor, chunks: Any, deflate: Any) -> Any:
        a = np.ascontiguousarray(t.arr)  # the tensor's own element type, as torch-hdf5 writes
        kw: dict[str, Any] = {}
        if chunks is not None:
            sizes = [int(chunks[i + 1]) for i in range(len(chunks))]
            if len(sizes) != a.ndim:
                raise TorchError(
                    "Chunk size must have same number of dimensions as data! Chunk size has "
                    f"{len(sizes)} dimensions; data has {a.ndim}"
                )
            kw["chunks"] = tuple(max(1, min(c, s)) for c, s in zip(sizes, a.shape, strict=True))
            kw["maxshape"] = (None,) + a.shape[1:]
            if deflate is not None:
                kw["compression"] = "gzip"
                kw["compression_opts"] = int(deflate)
        if name in group:
            del group[name]
        return group.create_dataset(name, data=a, **kw)

    def append(group: Any, name: str, t: Tensor) -> Any:
        ds = group[name]
        a = np.ascontiguousarray(t.arr)
        if a.ndim != ds.ndim or a.shape[1:] != ds.shape[1:]:
            raise TorchError(f"Error extending data {name}: sizes do not match the dataset")
        if ds.maxshape[0] is not None:
            raise TorchError(
                f"Error extending data {name}: the dataset was not written chunked "
                "(only chunked datasets can grow)"
            )
        n = ds.shape[0]
        ds.resize(n + a.shape[0], axis=0)
        ds[n:] = a
        return ds

    def read_all(ds: Any) -> Any:
        return wrap(_as_tensor(ds[()] if ds.ndim else np.asarray(ds[()]), ds.dtype))

    def read_partial(ds: Any, ranges: Any) -> Any:
        index = []
        for i in range(ds.ndim):
            r = ranges[i + 1]
            lo, hi = (int(r[1]), int(r[2])) if not isinstance(r, (int, float)) else (int(r), int(r))
            if lo < 1 or hi > ds.shape[i] or hi < lo:
                raise TorchError(
                    f"HDF5DataSet:partial() - range {lo}..{hi} is outside dimension {i + 1} "
                    f"of size {ds.shape[i]}"
                )
            index.append(slice(lo - 1, hi))
        return wrap(_as_tensor(ds[tuple(index)], ds.dtype))

    def size(ds: Any) -> Any:
        return bindings.lua.table_from([int(s) for s in ds.shape])

    def ndim(ds: Any) -> int:
        return int(ds.ndim)

    def tensor_type(ds: Any) -> str:
        return _torch_type(ds.dtype)[0]

    return {
        "h5_open": open_file,
        "h5_close": close,
        "h5_kind": kind,
        "h5_get": get,
        "h5_children": children,
        "h5_create_group": create_group,
        "h5_name": obj_name,
        "h5_write": write,
        "h5_append": append,
        "h5_read_all": read_all,
        "h5_read_partial": read_partial,
        "h5_size": size,
        "h5_ndim": ndim,
        "h5_tensor_type": tensor_type,
    }
