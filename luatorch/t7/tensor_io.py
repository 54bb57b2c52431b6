"""Storage bodies and tensor headers as Torch writes them (Storage:read/write,
Tensor:read/write), with the checks that keep a hostile file inside what it holds."""

from __future__ import annotations

import numpy as np

from ..tensor.core import Tensor
from .file import FileError, TFile


def check_size(f: TFile, kind: str, n: int) -> None:
    """A storage or dimension count read from a file must fit in the rest of the file."""
    if n < 0:
        raise FileError(f"corrupted file: negative size ({n})")
    per = f.disk_itemsize(kind) if f.binary else 1
    if n * per > f.remaining():
        # Torch would allocate first and then fail the read; we fail without allocating
        have = f.remaining() // per
        f.has_error = True
        raise FileError(f"read error: read {have} blocks instead of {n}")


def read_storage_data(f: TFile, kind: str) -> np.ndarray:
    """A storage body (Storage:read): a long size, then the values."""
    n = f.read_scalar("Long")
    check_size(f, kind, n)
    return f.read_array(kind, n)


def write_storage_data(f: TFile, kind: str, data: np.ndarray) -> None:
    f.write_scalar("Long", int(data.shape[0]))
    f.write_array(kind, data)


MAX_DIMS = 64  # numpy's limit; Torch files never come close
MAX_ELEMENTS = 2**59  # elements of 8 bytes still addressable by numpy


def read_tensor_header(f: TFile) -> tuple[tuple[int, ...], tuple[int, ...], int]:
    """nDimension, sizes, strides and the 1-based storage offset (Tensor:read)."""
    nd = f.read_scalar("Int")
    if nd < 0 or nd > MAX_DIMS:
        raise FileError(f"corrupted file: invalid number of dimensions ({nd})")
    check_size(f, "Long", 2 * nd + 1)
    size = tuple(int(x) for x in f.read_array("Long", nd))
    stride = tuple(int(x) for x in f.read_array("Long", nd))
    offset = f.read_scalar("Long") - 1
    return size, stride, offset


def check_geometry(
    size: tuple[int, ...], stride: tuple[int, ...], offset: int, storage_size: int | None
) -> None:
    """Sizes, strides and offset must stay inside the storage (or there is no element)."""
    if any(s < 0 for s in size) or any(s < 0 for s in stride) or offset < 0:
        raise FileError("corrupted file: negative tensor size, stride or offset")
    if any(s > MAX_ELEMENTS for s in stride) or offset > (storage_size or 0):
        raise FileError("corrupted file: tensor stride or offset beyond its storage")
    n = 1
    for s in size:
        n *= max(s, 1)
    if n > MAX_ELEMENTS:  # numpy (and Torch's long element count) cannot hold that many
        raise FileError(f"corrupted file: tensor of {n} elements")
    if not size or 0 in size:
        return
    if storage_size is None:
        raise FileError("corrupted file: tensor with elements but no storage")
    last = offset + sum((s - 1) * st for s, st in zip(size, stride, strict=True))
    if last >= storage_size:
        raise FileError(
            "corrupted file: tensor sizes/strides/offset exceed its storage "
            f"({last + 1} > {storage_size})"
        )


def write_tensor_header(f: TFile, t: Tensor) -> None:
    f.write_scalar("Int", len(t.size))
    f.write_array("Long", np.array(t.size, dtype=np.int64))
    f.write_array("Long", np.array(t.stride, dtype=np.int64))
    f.write_scalar("Long", t.offset + 1)
