"""Sliding-window helpers shared by the convolution and pooling kernels (1, 2 or 3 spatial dims).

Spatial sizes, kernels, strides, paddings and dilations are tuples in array order (T, H, W).
Windows are strided numpy views (no copy); the only loops are over kernel offsets, never over
elements or batch items.
"""

from __future__ import annotations

import math
import threading

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..tensor.core import DTYPES, Tensor, TorchError

_local = threading.local()


# Scratch buffers kept per thread: up to _KEEP_BELOW bytes, and from _KEEP_FROM on (glibc maps
# those afresh, page by page, on every allocation). In between, malloc hands a freed block back
# on the next call without page faults, and between calls the memory serves other tensors:
# kept, the residual block benchmark's three 4.5 MB buffers stayed resident for good.
_KEEP_BELOW = 1 << 20
_KEEP_FROM = 32 << 20  # threadpool.tune_allocator's mmap threshold


def scratch(key: str, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """A C-contiguous work buffer, reused per thread when small or very large: repeated large
    allocations cost page faults. Its contents are undefined."""
    n = math.prod(shape)
    nbytes = n * np.dtype(dtype).itemsize
    if _KEEP_BELOW < nbytes < _KEEP_FROM:
        return np.empty(shape, dtype=dtype)
    cache = getattr(_local, "bufs", None)
    if cache is None:
        cache = _local.bufs = {}
    buf = cache.get((key, dtype))
    if buf is None or buf.size < n:
        buf = np.empty(max(n, 1), dtype=dtype)
        cache[(key, dtype)] = buf
    return buf[:n].reshape(shape)


def buffer(t: Tensor | None, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """The tensor t resized to shape as a contiguous numpy view (a module's reused buffer such as
    finput), or a fresh array when t is missing or of another type."""
    if t is None or DTYPES[t.ttype] != dtype:
        return np.empty(shape, dtype=dtype)
    if t.size != shape or not t.is_contiguous():
        t.resize(shape)
    if 0 in shape:
        return np.empty(shape, dtype=dtype)
    return t.arr


def windows(
    xp: np.ndarray,
    k: tuple[int, ...],
    d: tuple[int, ...],
    dil: tuple[int, ...],
    out: tuple[int, ...],
) -> np.ndarray:
    """View (B, C, *out, *k) of the padded array xp (B, C, *S): window o, offset j reads
    xp[o * d + j * dil]."""
    n = len(k)
    st = xp.strides
    shape = xp.shape[:2] + tuple(out) + tuple(k)
    strides = (
        (st[0], st[1])
        + tuple(st[2 + i] * d[i] for i in range(n))
        + tuple(st[2 + i] * dil[i] for i in range(n))
    )
    if xp.flags.c_contiguous and xp.size:
        # the same view made directly (as_strided costs some 7 us a call)
        view = np.ndarray(shape, xp.dtype, xp, 0, strides)
        view.flags.writeable = False
        return view
    return as_strided(xp, shape, strides, writeable=False)


def window_slices(
    j: tuple[int, ...], d: tuple[int, ...], dil: tuple[int, ...], out: tuple[int, ...]
) -> tuple[slice, ...]:
    """Slices of a padded array selecting, for kernel offset j, the element each window reads."""
    return tuple(
        slice(j[i] * dil[i], j[i] * dil[i] + (out[i] - 1) * d[i] + 1, d[i]) for i in range(len(j))
    )


def pad(
    x: np.ndarray, before: tuple[int, ...], after: tuple[int, ...], value: float, key: str
) -> np.ndarray:
    """x (B, C, *S) with the last dims padded by value (a reused scratch buffer when padded)."""
    if not any(before) and not any(after):
        return x
    n = len(before)
    shape = x.shape[:2] + tuple(x.shape[2 + i] + before[i] + after[i] for i in range(n))
    xp = scratch(key, shape, x.dtype)
    xp.fill(value)
    xp[interior(before, x.shape[2:])] = x
    return xp


def interior(before: tuple[int, ...], S: tuple[int, ...]) -> tuple[slice, ...]:
    """Index of the unpadded (B, C, *S) part of an array padded by before."""
    return (slice(None), slice(None)) + tuple(
        slice(before[i], before[i] + S[i]) for i in range(len(S))
    )


def scatter_extent(
    S: tuple[int, ...],
    k: tuple[int, ...],
    d: tuple[int, ...],
    p: tuple[int, ...],
    dil: tuple[int, ...],
    out: tuple[int, ...],
) -> tuple[int, ...]:
    """Spatial size of a buffer that windows are summed back onto (col2im): the padded input,
    widened when the last window reaches past it."""
    return tuple(
        max(S[i] + 2 * p[i], (out[i] - 1) * d[i] + dil[i] * (k[i] - 1) + 1) for i in range(len(S))
    )


def conv_out(size: int, k: int, d: int, p: int, dil: int = 1) -> int:
    return (size + 2 * p - (dil * (k - 1) + 1)) // d + 1


def pool_out(size: int, k: int, d: int, p: int, dil: int, ceil_mode: bool) -> int:
    """THNN's pooling output size, including the rule that the last window must start inside
    the input (or its left padding)."""
    span = size + 2 * p - (dil * (k - 1) + 1)
    o = (-(-span // d) if ceil_mode else span // d) + 1
    if p and (o - 1) * d >= size + p:
        o -= 1
    return o


def batchify(x: Tensor, n: int, what: str) -> tuple[np.ndarray, bool]:
    """Input as (B, C, *S) and whether it had a batch dimension."""
    nd = x.dim()
    if nd == n + 1:
        return x.arr[None], False
    if nd == n + 2:
        return x.arr, True
    raise TorchError(what.format(sizes(x)))


def sizes(t: Tensor) -> str:
    return "[" + " x ".join(str(s) for s in t.size) + "]"


def fmt(dims: tuple[int, ...]) -> str:
    return "x".join(str(v) for v in dims)


def store_into(t: Tensor, value: np.ndarray, shape: tuple[int, ...]) -> None:
    """Resize t to shape and copy value (broadcastable to shape) into it."""
    if t.size != shape or not t.is_contiguous():
        t.resize(shape)
    if value.size:
        np.copyto(
            t.arr,
            value.reshape(shape)
            if value.size == math.prod(shape) and value.shape != shape
            else value,
            casting="unsafe",
        )


def out_view(t: Tensor, shape: tuple[int, ...], batch: bool) -> np.ndarray:
    """Resize t to shape (dropping the leading batch dim when not batch) and return a
    (B, ...) view to write into."""
    real = shape if batch else shape[1:]
    if t.size != real or not t.is_contiguous():
        t.resize(real)
    if 0 in real:
        return np.empty(shape, dtype=DTYPES[t.ttype])
    a = t.arr
    return a if batch else a[None]


def check_window(
    k: tuple[int, ...], d: tuple[int, ...], dil: tuple[int, ...] | None = None, dil_sep: str = " "
) -> None:
    """THNN's kernel/stride/dilation > 0 checks, sizes named T, H, W in array order (dilation
    names joined by dil_sep: the volumetric dilated convolution separates them with ', ')."""
    names = "THW"[-len(k) :]
    if min(k) <= 0:
        raise TorchError(
            "kernel size should be greater than zero, but got "
            + " ".join(f"k{a}: {v}" for a, v in zip(names, k, strict=True))
        )
    if min(d) <= 0:
        raise TorchError(
            "stride should be greater than zero, but got "
            + " ".join(f"d{a}: {v}" for a, v in zip(names, d, strict=True))
        )
    if dil is not None and min(dil) <= 0:
        raise TorchError(
            "dilation should be greater than zero, but got "
            + dil_sep.join(f"dilation{a}: {v}" for a, v in zip(names, dil, strict=True))
        )


def check_dim_size(t: Tensor, name: str, want: tuple[int, ...], dims: range) -> None:
    """THNN_CHECK_DIM_SIZE(t, len(want), i, want[i]) for each i of dims, in order."""
    for i in dims:
        if t.dim() != len(want) or t.size[i] != want[i]:
            raise TorchError(
                f"Need {name} of dimension {len(want)} and {name}.size[{i}] == {want[i]} "
                f"but got {name} to be of shape: {sizes(t)}"
            )


def grad_output(gradOutput: Tensor, want: tuple[int, ...], batch: bool) -> np.ndarray:
    """gradOutput as (B, ...), checked against the expected batched shape want."""
    g = gradOutput.arr if batch else gradOutput.arr[None]
    if g.shape != want:
        # THNN_CHECK_DIM_SIZE on the planes, then each spatial size in order: the first
        # that differs (or a gradOutput of another dimension) is named
        shown = want if batch else want[1:]
        have = gradOutput.size
        for i in range(len(shown) - len(want) + 1, len(shown)):
            if len(have) != len(shown) or have[i] != shown[i]:
                raise TorchError(
                    f"Need gradOutput of dimension {len(shown)} and gradOutput.size[{i}] == "
                    f"{shown[i]} but got gradOutput to be of shape: {sizes(gradOutput)}"
                )
        # THNN does not compare the batch sizes (it would read past the end): refused here
        raise TorchError(
            f"Need gradOutput of dimension {len(shown)} and gradOutput.size[0] == "
            f"{shown[0]} but got gradOutput to be of shape: {sizes(gradOutput)}"
        )
    return g


def accumulate(t: Tensor | None, value: np.ndarray, scale: float) -> None:
    """t += scale * value (THNN's accGradParameters accumulation); nothing when t is missing."""
    if t is None:
        return
    a = t.arr
    v = value.reshape(a.shape)
    if scale != 1:
        v = v * scale
    np.add(a, v, out=a, casting="unsafe")


def args3(*a: int) -> tuple[tuple[int, int, int], ...]:
    """THNN's volumetric arguments (xT, xW, xH, yT, yW, yH, ...) as (T, H, W) tuples."""
    return tuple((a[i], a[i + 2], a[i + 1]) for i in range(0, len(a), 3))


def args2(*a: int) -> tuple[tuple[int, int], ...]:
    """THNN's spatial arguments (xW, xH, yW, yH, ...) as (H, W) tuples."""
    return tuple((a[i + 1], a[i]) for i in range(0, len(a), 2))


def expected(n: int, batch_words: bool = True) -> str:
    """THNN's message for an input of the wrong dimension (n spatial dims), a format string
    for its sizes: THNN_ARGCHECK on the input, which Torch7's FFI call reports as its argument
    2 (after THNN's state). The 2-D convolutions and poolings word it without "batch mode"."""
    if n == 2 and not batch_words:
        what = "3D or 4D input tensor expected but got: {}"
    else:
        what = f"{n + 1}D or {n + 2}D (batch mode) tensor expected for input, but got: {{}}"
    return f"bad argument #2 to 'v' ({what})"


def check_temporal(kW: int, dW: int) -> None:
    if kW <= 0:
        raise TorchError(f"kernel size should be greater than zero, but got kW: {kW}")
    if dW <= 0:
        raise TorchError(f"stride should be greater than zero, but got dW: {dW}")


def temporal_frames(
    input: Tensor, kW: int, frame: int | None = None, dW: int | None = None
) -> np.ndarray:
    """A (T, F) or (B, T, F) input as (B, T, F), checking (in THNN's order for the kernel at
    hand) kW and dW when dW is given, the frame size F when given, and that the input spans at
    least one window."""
    nd = input.dim()
    if nd not in (2, 3):
        raise TorchError(expected(1).format(sizes(input)))
    if dW is not None:
        check_temporal(kW, dW)
    a = input.arr if nd == 3 else input.arr[None]
    if frame is not None and a.shape[2] != frame:
        raise TorchError(
            f"bad argument #2 to 'v' (invalid input frame size. Got: {a.shape[2]}, "
            f"Expected: {frame})"
        )
    if a.shape[1] < kW:
        raise TorchError(
            "bad argument #2 to 'v' (input sequence smaller than kernel size. "
            f"Got: {a.shape[1]}, Expected: {kW})"
        )
    return a


def scatter_planes(g: np.ndarray, src: np.ndarray, P: int) -> np.ndarray:
    """The adjoint of a gather: (B, C, P) sums of g (B, C, *O) onto the flat plane positions
    src (shape O), added in THNN's order (output positions in row-major order onto a zeroed
    gradInput). Doubles sum in double through bincount; other types through ufunc.at, so a
    float gradient accumulates in float as THNN's does."""
    B, C = g.shape[:2]
    n = B * C
    flat = (np.arange(n, dtype=np.int64)[:, None] * P + src.reshape(1, -1)).ravel()
    if g.dtype == np.float64:
        res = np.bincount(flat, weights=g.reshape(-1), minlength=n * P)
    else:
        res = np.zeros(n * P, dtype=g.dtype)
        np.add.at(res, flat, g.reshape(-1))
    return res.reshape(B, C, P)
