"""Index and mask functions: index indexCopy indexAdd indexFill gather scatter maskedSelect
maskedCopy maskedFill nonzero. Indices are 1-based LongTensors, as in Torch."""

from __future__ import annotations

import numpy as np

from .core import Tensor, TorchError
from .dispatch import register
from .math import dim0, like, real, sz


def _index_vector(
    idx: Tensor, n: int, fname: str, argn: int = 3, plain: bool = False
) -> np.ndarray:
    """A 1-based LongTensor of indices as 0-based numpy, checked against n: out of range,
    TH's select says "out of range" of argument argn, or (plain) index's THError."""
    v = idx.arr.astype(np.int64) - 1
    if v.size and (v.min() < 0 or v.max() >= n):
        if plain:
            raise TorchError("index out of range")
        raise TorchError(f"bad argument #{argn} to '{fname}' (out of range)")
    return v


_INDEXING_DIM = "Indexing dim {d} is out of bounds of tensor"


def _vector(idx: Tensor, fname: str) -> None:
    # TH checks this first, and an empty index has no dimension
    if idx.dim() != 1:
        raise TorchError(f"bad argument #3 to '{fname}' (Index is supposed to be a vector)")


def _slice_argn(t: Tensor) -> int:
    # TH reaches a bad index through select (argument 3) or, on a vector, set1d (argument 2)
    return 3 if t.dim() > 1 else 2


def _index(res: Tensor, src: Tensor, d: float, idx: Tensor) -> Tensor:
    _vector(idx, "index")
    d0 = dim0(src, d, "index", 4, _INDEXING_DIM)
    v = _index_vector(idx, src.size[d0], "index", plain=True)
    value = np.take(src.arr, v, axis=d0)
    if not value.size:
        res.set(None, 0, ())
        return res
    res.resize(value.shape)
    np.copyto(res.arr, value, casting="unsafe")
    return res


register("index", [("T n L", _index, "same")], inplace=False)


def _slot(a: np.ndarray, d0: int, i) -> tuple:
    return (slice(None),) * d0 + (i,)


def _index_copy(res: Tensor, d: float, idx: Tensor, src: Tensor) -> Tensor:
    _vector(idx, "indexCopy")
    d0 = dim0(res, d, "indexCopy", 4, _INDEXING_DIM)
    if src.size[d0 : d0 + 1] != idx.size:
        raise TorchError(
            "bad argument #4 to 'indexCopy' (Number of indices should be equal to source:size(dim))"
        )
    v = _index_vector(idx, res.size[d0], "indexCopy", _slice_argn(res))
    if src.nelement() != v.size * (res.nelement() // res.size[d0]):
        raise TorchError(
            "bad argument #4 to 'indexCopy' (Source/destination tensor must have same slice shapes)"
        )
    shape = list(res.size)
    shape[d0] = v.size
    sv = np.ascontiguousarray(src.arr).reshape(shape)
    a = res.arr
    for k, i in enumerate(v):  # sequential, so a repeated index keeps the last value as TH
        a[_slot(a, d0, i)] = sv[_slot(sv, d0, k)]
    return res


def _index_add(res: Tensor, d: float, idx: Tensor, src: Tensor) -> Tensor:
    _vector(idx, "indexAdd")
    d0 = dim0(res, d, "indexAdd", 4, _INDEXING_DIM)
    if src.size[d0 : d0 + 1] != idx.size:
        raise TorchError(
            "bad argument #4 to 'indexAdd' (Number of indices should be equal to source:size(dim))"
        )
    v = _index_vector(idx, res.size[d0], "indexAdd", _slice_argn(res))
    if src.nelement() != v.size * (res.nelement() // res.size[d0]):
        raise TorchError(
            "bad argument #4 to 'indexAdd' (Source/destination tensor must have same slice shapes)"
        )
    shape = list(res.size)
    shape[d0] = v.size
    sv = np.ascontiguousarray(src.arr).reshape(shape)
    a = res.arr
    for k, i in enumerate(v):
        a[_slot(a, d0, i)] += sv[_slot(sv, d0, k)]
    return res


def _index_fill(res: Tensor, d: float, idx: Tensor, val: float) -> Tensor:
    _vector(idx, "indexFill")
    d0 = dim0(res, d, "indexFill", 4, _INDEXING_DIM)
    v = _index_vector(idx, res.size[d0], "indexFill", _slice_argn(res))
    a = res.arr
    a[_slot(a, d0, v)] = real(res.ttype, val)
    return res


register("indexCopy", [("n L T", _index_copy, "same")])
register("indexAdd", [("n L T", _index_add, "same")])
register("indexFill", [("n L n", _index_fill, "same")])


def _gather_index(src_size: tuple, idx: Tensor, d0: int, fname: str) -> np.ndarray:
    v = idx.arr.astype(np.int64) - 1
    if v.size and (v.min() < 0 or v.max() >= src_size[d0]):
        raise TorchError(f"Invalid index in {fname}")
    return v


def _row_dim(d0: int, idx: Tensor, fname: str) -> None:
    # TH's dimension checks bound it above only; a dimension below 1 fails in THTensor_size
    if d0 < 0:
        raise TorchError(
            f"bad argument #2 to '{fname}' (dimension {d0 + 1} out of range of {idx.dim()}D tensor)"
        )


def _same_sizes(d0: int, named: list) -> None:
    """TH_TENSOR_DIM_APPLY's check: every size but the d0th the same (its message names the
    macro's tensors and d0, 0-based)."""
    first = named[0][1]
    for i in range(first.dim()):
        if i != d0 and any(t.size[i] != first.size[i] for _, t in named):
            words = [f"{name} {sz(t)}" for name, t in named]
            listed = ", ".join(words[:-1]) + " and " + words[-1]
            raise TorchError(f"Expected {listed} to have the same size in dimension {d0}")


def _gather(res: Tensor, src: Tensor, d: float, idx: Tensor) -> Tensor:
    # the result has the index's size (cwrap resizes it first), so that is what TH compares
    d0 = int(d) - 1
    if idx.dim() != src.dim():
        raise TorchError(
            "bad argument #2 to 'gather' (Input tensor must have same dimensions as output tensor)"
        )
    if d0 >= idx.dim():
        raise TorchError("bad argument #3 to 'gather' (Index dimension is out of bounds)")
    _row_dim(d0, idx, "gather")
    _same_sizes(d0, [("tensor", idx), ("src", src), ("index", idx)])
    v = _gather_index(src.size, idx, d0, "gather")
    value = np.take_along_axis(src.arr, v, axis=d0)
    res.resize(idx.size)
    np.copyto(res.arr, value, casting="unsafe")
    return res


register("gather", [("T n L", _gather, "same")], inplace=False)


def _scatter(res: Tensor, d: float, idx: Tensor, src) -> Tensor:
    d0 = int(d) - 1
    if d0 >= res.dim():
        raise TorchError("bad argument #2 to 'scatter' (Index dimension is out of bounds)")
    if idx.dim() != res.dim():
        raise TorchError(
            "bad argument #3 to 'scatter' (Index tensor must have same dimensions as output tensor)"
        )
    if isinstance(src, Tensor):
        if src.dim() != res.dim():
            raise TorchError(
                "bad argument #4 to 'scatter' (Input tensor must have same dimensions as output "
                "tensor)"
            )
        _row_dim(d0, idx, "scatter")
        _same_sizes(d0, [("tensor", res), ("src", src), ("index", idx)])
    else:
        _row_dim(d0, idx, "scatter")
        _same_sizes(d0, [("tensor", res), ("index", idx)])
    v = _gather_index(res.size, idx, d0, "scatter")
    a = res.arr
    if isinstance(src, Tensor):
        if src.size[d0] < idx.size[d0]:  # TH would read past src's rows
            raise TorchError(
                "bad argument #4 to 'scatter' (Index tensor must have same size as src tensor)"
            )
        sl = tuple(slice(0, s) for s in idx.size)
        vals = src.arr[sl]
    else:
        vals = np.broadcast_to(real(res.ttype, src), v.shape)
    if any(i > r for k, (i, r) in enumerate(zip(idx.size, res.size, strict=True)) if k != d0):
        # (positions outside res: the element loop fails where TH's would)
        for pos in np.ndindex(*v.shape):
            tgt = list(pos)
            tgt[d0] = v[pos]
            a[tuple(tgt)] = vals[pos]
        return res
    # every position's target: its own coordinates, with the index along d0
    target = list(np.indices(v.shape, sparse=True))
    target[d0] = v
    target = [np.broadcast_to(t, v.shape).reshape(-1) for t in target]
    flat = vals.reshape(-1) if vals.size == v.size else np.broadcast_to(vals, v.shape).reshape(-1)
    # TH's loop writes in order: of the positions naming one element, the last one wins (they
    # share every coordinate but d0's, so it is the last in row-major order too)
    linear = np.ravel_multi_index(target, a.shape)
    last = linear.size - 1 - np.unique(linear[::-1], return_index=True)[1]
    a[tuple(t[last] for t in target)] = flat[last]
    return res


register("scatter", [("n L T", _scatter, "same"), ("n L n", _scatter, "same")])


def _mask(t: Tensor, mask: Tensor, fname: str, argn: int = 2, name: str = "tensor") -> np.ndarray:
    if mask.ttype != "Byte":
        raise TorchError(
            f"bad argument #{argn} to '{fname}' (torch.ByteTensor expected, got {mask.typename})"
        )
    if mask.nelement() != t.nelement():
        raise TorchError(
            f"inconsistent tensor size, expected {name} {sz(t)} and mask "
            f"{sz(mask)} to have the same number of elements, but got "
            f"{t.nelement()} and {mask.nelement()} elements respectively"
        )
    if not t.size:
        return np.zeros(0, dtype=bool)
    return like(t, mask).astype(bool)


def masked_select(res: Tensor, src: Tensor, mask: Tensor) -> Tensor:
    m = _mask(src, mask, "maskedSelect", name="src")
    vals = src.arr[m] if src.size else np.empty(0)
    if not vals.size:
        res.set(None, 0, ())
        return res
    res.resize((vals.size,))
    np.copyto(res.arr, vals, casting="unsafe")
    return res


register("maskedSelect", [("T B", masked_select, "same")], inplace=False)


def masked_copy(res: Tensor, mask: Tensor, src: Tensor) -> Tensor:
    if mask.ttype == "Byte" and mask.nelement() != res.nelement():
        raise TorchError("Number of elements of destination tensor != Number of elements in mask")
    m = _mask(res, mask, "maskedCopy")
    k = int(m.sum())
    if src.nelement() < k:
        raise TorchError("Number of elements of src < number of ones in mask")  # (TH's THError)
    if k:
        res.arr[m] = np.ascontiguousarray(src.arr).reshape(-1)[:k]
    return res


def masked_fill(res: Tensor, mask: Tensor, val: float) -> Tensor:
    m = _mask(res, mask, "maskedFill")
    if res.size:
        res.arr[m] = real(res.ttype, val)
    return res


register("maskedCopy", [("B T", masked_copy, "same")])
register("maskedFill", [("B n", masked_fill, "same")])


def _nonzero(res: Tensor, src: Tensor) -> Tensor:
    if not src.size:
        res.set(None, 0, ())
        return res
    nz = np.argwhere(src.arr != 0)
    if not nz.size:
        res.set(None, 0, ())
        return res
    res.resize(nz.shape)
    np.copyto(res.arr, nz + 1, casting="unsafe")
    return res


register("nonzero", [("X", _nonzero, "Long")], inplace=False)
