"""Pooling, unpooling, up-sampling and padding kernels on strided window views.

Max pooling keeps the first maximum of each window (a later NaN wins, as THNN's
``val > max || isnan(val)``) and records Torch's index: the 1-based flat position in the input
plane (h * W + w + 1; for volumes t * H * W + h * W + w + 1). Average pooling divides by the
window size clipped to input+padding (count_include_pad) or to the input alone. Adaptive pooling
uses Torch's bins [floor(i*S/O), ceil((i+1)*S/O)). The only loops run over kernel offsets or
padding widths, never over elements or batch items.
"""

from __future__ import annotations

import functools
import math
from itertools import product

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..tensor import libm
from ..tensor.core import DTYPES, Tensor, TorchError
from ..tensor.threadpool import parallel
from . import _native
from ._grid import (
    args2,
    args3,
    batchify,
    check_dim_size,
    check_temporal,
    check_window,
    expected,
    fmt,
    grad_output,
    interior,
    out_view,
    pad,
    pool_out,
    scatter_extent,
    scatter_planes,
    scratch,
    sizes,
    temporal_frames,
    window_slices,
    windows,
)


def _pool_geometry(x: np.ndarray, k, d, p, dil, ceil_mode: bool) -> tuple[int, ...]:
    n = len(k)
    check_window(k, d, dil)
    if any(p[i] > k[i] // 2 for i in range(n)):
        if n == 3:
            (kT, kH, kW), (pT, pH, pW) = k, p
            got = f"kT: {kT} kW: {kW}, kH: {kH}, padT: {pT}, padW: {pW}, padH: {pH}"
        else:
            rev = "THW"[-n:][::-1]
            got = (
                ", ".join(f"pad{a} = {v}" for a, v in zip(rev, p[::-1], strict=True))
                + ", "
                + ", ".join(f"k{a} = {v}" for a, v in zip(rev, k[::-1], strict=True))
            )
        raise TorchError(
            "bad argument #2 to 'v' (pad should be smaller than half of kernel size, "
            f"but got {got})"
        )
    S = x.shape[2:]
    out = tuple(pool_out(S[i], k[i], d[i], p[i], dil[i], ceil_mode) for i in range(n))
    if min(out) < 1:
        raise TorchError(
            f"Given input size: ({fmt((x.shape[1],) + S)}). Calculated output "
            f"size: ({fmt((x.shape[1],) + out)}). Output size is too small"
        )
    return out


def _padded(x: np.ndarray, k, d, p, dil, out, value: float, key: str) -> np.ndarray:
    """x padded before by p and after as far as the last (ceil-mode) window reaches."""
    n = len(k)
    after = tuple(
        max(0, (out[i] - 1) * d[i] + (k[i] - 1) * dil[i] + 1 - x.shape[2 + i] - p[i])
        for i in range(n)
    )
    return pad(x, p, after, value, key)


def maxpool(x: np.ndarray, k, d, p, dil, out, local: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(max values, indices) of shape (B, C, *out); indices are 0-based flat input positions,
    or with local=True the offset inside the window. The first maximum wins (a NaN window points
    at its first element)."""
    n = len(k)
    gathered = x.shape[0] * x.shape[1] * math.prod(out) * math.prod(k)
    if gathered <= _GATHER_LIMIT and x.size:
        found = _maxpool_gather(x, k, d, p, dil, out, local)
        if found is not None:
            return found
    xp = _padded(x, k, d, p, dil, out, -np.inf, "maxpool_pad")
    win = windows(xp, k, d, dil, out)
    offsets = list(product(*(range(v) for v in k)))
    slices = [win[(Ellipsis,) + off] for off in offsets]
    best = np.array(slices[0])
    for s in slices[1:]:
        np.maximum(best, s, out=best)
    S = x.shape[2:]
    st = [math.prod(S[i + 1 :]) for i in range(n)]
    if local:
        table = list(range(len(offsets)))
    else:
        table = [sum(off[i] * dil[i] * st[i] for i in range(n)) for off in offsets]
    # exclusive first-match masks: idx = sum_j [window's first maximum is at j] * table[j]
    idx = np.zeros(best.shape, dtype=np.int64)
    if len(slices) > 1:
        found = slices[0] == best
        eq = np.empty(best.shape, dtype=bool)
        tmp = np.empty(best.shape, dtype=np.int64)
        for j in range(1, len(slices)):
            np.equal(slices[j], best, out=eq)
            np.greater(eq, found, out=eq)  # eq and not found
            if table[j]:
                np.multiply(eq, table[j], out=tmp)
                idx += tmp
            found |= eq
    if not local:
        for i in range(n):
            shape = [1] * n
            shape[i] = out[i]
            idx += ((np.arange(out[i]) * d[i] - p[i]) * st[i]).reshape(shape)
    return best, idx


# Small inputs (the Jacobian checks call a module's forward twice per input element) take one
# gather of every window instead of a few numpy passes per kernel offset.
_GATHER_LIMIT = 1 << 16  # gathered elements; beyond it the generic path wins
_GATHER_TABLES: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}


def _gather_tables(S, k, d, p, dil, out, local: bool) -> tuple[np.ndarray, np.ndarray]:
    """(gather, index) tables of shape (prod(out), prod(k)): gather reads the input plane
    extended by one -inf cell at position prod(S) (padding); index is what the generic path
    records for the window's j-th cell (the flat input position, or j with local=True)."""
    key = (S, k, d, p, dil, out, local)
    tables = _GATHER_TABLES.get(key)
    if tables is None:
        n = len(k)
        P = math.prod(S)
        st = [math.prod(S[i + 1 :]) for i in range(n)]
        # position along each dim of window o, offset j: o * d - p + j * dil
        axes = [
            (np.arange(out[i])[:, None] * d[i] - p[i]) + np.arange(k[i])[None, :] * dil[i]
            for i in range(n)
        ]
        flat = np.zeros((1,) * (2 * n), dtype=np.int64)
        inside = np.ones((1,) * (2 * n), dtype=bool)
        for i in range(n):
            shape = [1] * (2 * n)
            shape[i], shape[n + i] = out[i], k[i]
            a = axes[i].reshape(shape)
            flat = flat + a * st[i]
            inside = inside & (a >= 0) & (a < S[i])
        nout, K = math.prod(out), math.prod(k)
        flat = flat.reshape(nout, K)
        inside = inside.reshape(nout, K)
        gather = np.where(inside, flat, P)
        index = np.broadcast_to(np.arange(K), (nout, K)).copy() if local else flat
        tables = (gather, index)
        if len(_GATHER_TABLES) > 256:
            _GATHER_TABLES.clear()
        _GATHER_TABLES[key] = tables
    return tables


def _maxpool_gather(x, k, d, p, dil, out, local):
    """maxpool() by one gather (None when a NaN needs the generic path's NaN rule)."""
    B, C = x.shape[:2]
    S = x.shape[2:]
    P = math.prod(S)
    gather, index = _gather_tables(S, k, d, p, dil, out, local)
    ext = np.empty((B * C, P + 1), dtype=x.dtype)
    ext[:, :P] = x.reshape(B * C, P)
    ext[:, P] = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    vals = ext[:, gather]  # (B*C, O, K)
    j = vals.argmax(axis=2)  # the first maximum, as the generic path
    best = np.take_along_axis(vals, j[:, :, None], 2)[:, :, 0]
    if x.dtype.kind == "f" and np.isnan(best).any():
        return None
    idx = np.take_along_axis(index[None], j[:, :, None], 2)[:, :, 0]
    return best.reshape((B, C) + tuple(out)), idx.reshape((B, C) + tuple(out))


_MAXPOOL_BLOCK = 1 << 15  # input elements per block of maxpool_backward (256 KB of doubles)


def maxpool_backward(
    g: np.ndarray,
    idx: np.ndarray,
    S: tuple[int, ...],
    gx: np.ndarray | None = None,
    one_based: bool = False,
) -> np.ndarray:
    """Scatter-add g (B, C, *out) onto the input positions idx (flat per plane, 0-based or
    with one_based Torch's 1-based), into gx (B, C, *S) when given; split over batch items."""
    B, C = g.shape[:2]
    P = math.prod(S)
    if gx is None:
        gx = np.empty((B, C) + S, dtype=np.result_type(g, np.float64))
    shift = 1 if one_based else 0
    tail = (1,) * (g.ndim - 2)

    # a few batch items at a time: the flat indices and the sums are temporaries as large as
    # gradOutput and gradInput; over a thread's whole range they held 2.4 MB at LeNet's first
    # pooling, heap that stays resident between the steps of a training loop
    step = max(1, _MAXPOOL_BLOCK // max(1, C * P))

    def block(lo: int, hi: int) -> None:
        n = (hi - lo) * C
        planes = (np.arange(n, dtype=np.int64) * P - shift).reshape((hi - lo, C) + tail)
        flat = idx[lo:hi] + planes
        if g.dtype == np.float32 and np.bincount(flat.ravel()).max(initial=0) > 1:
            # THNN adds the terms of one input in a float, in output order: add.at adds in
            # order in the array's type (bincount would add in double)
            res = np.zeros(n * P, dtype=np.float32)
            np.add.at(res, flat.ravel(), g[lo:hi].ravel())
        else:
            res = np.bincount(flat.ravel(), weights=g[lo:hi].ravel(), minlength=n * P)
        np.copyto(gx[lo:hi], res[: n * P].reshape((hi - lo, C) + S), casting="unsafe")

    def part(lo: int, hi: int) -> None:
        for b in range(lo, hi, step):
            block(b, min(hi, b + step))

    parallel(part, B, g.size * 4 + B * C * P, op=min(B, step) * C * P)
    return gx


def _maxpool2x2(x: np.ndarray, out: tuple[int, int], val: np.ndarray, idx: np.ndarray) -> bool:
    """Non-overlapping 2x2 max pooling (stride 2, no padding) of x (B, C, H, W) into val and
    idx (Torch's 1-based flat indices). Every pass runs on contiguous data: numpy's strided
    max/where loops are scalar and branchy, 4-8x slower on random maps. Pairs are compared at
    every flat offset (twice the useful work, all SIMD); only the windows' cells are kept.
    Returns False, leaving the work to the generic path, when a window holds a NaN."""
    B, C, H, W = x.shape
    oh, ow = out
    N = x.size
    HW = H * W
    BC = B * C
    # the temporaries cover a block of planes at a time (per thread): over the whole map they
    # kept about 19 bytes per input element alive (30 MB for LeNet's first pooling)
    block = max(1, _POOL_BLOCK // HW)

    def cells(a: np.ndarray, planes: int) -> np.ndarray:
        """(planes, oh, ow) view of a per-offset array starting at a block's first element, at
        its windows' top-left cells."""
        st = a.strides[0]
        return as_strided(a, (planes, oh, ow), (HW * st, 2 * W * st, 2 * st), writeable=False)

    def part(lo: int, hi: int) -> None:
        xf = x.reshape(-1)
        for p0 in range(lo, hi, block):
            p1 = min(hi, p0 + block)
            # pair starts at flat offsets [a, e2); row pairs also read the W offsets after it
            a = p0 * HW
            e2 = min(p1 * HW, N - 1 - W)
            n2, nw = e2 - a, e2 - a + W
            mW = scratch("pool2_mw", (nw,), x.dtype)
            gW = scratch("pool2_gw", (nw,), np.bool_)
            mH = scratch("pool2_mh", (n2,), x.dtype)
            gH = scratch("pool2_gh", (n2,), np.bool_)
            sel = scratch("pool2_sel", (n2,), np.bool_)
            np.maximum(xf[a : a + nw], xf[a + 1 : a + nw + 1], out=mW)  # row-wise pair maxima
            np.greater(xf[a + 1 : a + nw + 1], xf[a : a + nw], out=gW)  # right cell larger
            np.maximum(mW[:n2], mW[W:], out=mH)  # maxima of row pairs
            np.greater(mW[W:], mW[:n2], out=gH)  # lower row strictly larger
            # column of the winner in the chosen row: gW below if the lower row won, else gW
            # here, as bit operations on contiguous flags (a strided np.where is 10x slower)
            np.bitwise_xor(gW[:n2], gW[W:], out=sel)
            sel &= gH
            sel ^= gW[:n2]
            np.copyto(val.reshape(BC, oh, ow)[p0:p1], cells(mH, p1 - p0))
            i = idx.reshape(BC, oh, ow)[p0:p1]
            np.multiply(cells(gH, p1 - p0), W, out=i)
            i += cells(sel, p1 - p0)
            i += _base2x2(oh, ow, W)

    if N <= W + 1:
        return False
    parallel(part, BC, N * 6, op=min(N, block * HW))
    return not np.isnan(val.sum())


def _no_maximum(val: np.ndarray, idx: np.ndarray, index: int) -> None:
    """THNN keeps a window's cell only when ``val > maxval``, from -THInf (the type's lowest
    finite value) at index -1: a window of -inf, of NaN (taken as -inf before) or of nothing
    above -THInf stores -THInf and index -1 (Torch's 0), given here as ``index``."""
    if val.dtype.kind != "f":
        return
    lowest = val.dtype.type(-np.finfo(val.dtype).max)
    none = ~(val > lowest)
    if none.any():
        val[none] = lowest
        idx[none] = index


# elements of input per block of planes in _maxpool2x2 (1 << 18 kept 3.6 MB of temporaries
# per thread alive, 1 << 16 about 1 MB, at the same speed)
_POOL_BLOCK = 1 << 16
_BASES: dict[tuple[int, int, int], np.ndarray] = {}


def _base2x2(oh: int, ow: int, W: int) -> np.ndarray:
    """1-based flat index of each 2x2 window's top-left cell."""
    key = (oh, ow, W)
    b = _BASES.get(key)
    if b is None:
        b = (np.arange(oh, dtype=np.int64) * 2 * W)[:, None] + np.arange(ow) * 2 + 1
        _BASES[key] = b
    return b


@functools.lru_cache(maxsize=256)
def _divisor(S, k, d, p, out, count_include_pad: bool, dtype: np.dtype) -> np.ndarray:
    """Average pooling's divide factor of every window, in dtype (read-only, cached per
    geometry)."""
    div = np.ones((), dtype=np.float64)
    for i in range(len(k)):
        start = np.arange(out[i]) * d[i] - p[i]
        end = np.minimum(start + k[i], S[i] + p[i])
        if count_include_pad:
            size = end - start
        else:
            size = np.minimum(end, S[i]) - np.maximum(start, 0)
        div = np.multiply.outer(div, size.astype(np.float64))
    div = div.astype(dtype)
    div.flags.writeable = False
    return div


# (input sizes, n, k, d, p, dil, ceil_mode) -> (batch, out) of a geometry already checked
_GEOMETRIES: dict[tuple, tuple[bool, tuple[int, ...]]] = {}


class _Pool:
    def __init__(self, input: Tensor, n: int, k, d, p, dil, ceil_mode) -> None:
        key = (input.size, n, k, d, p, dil, bool(ceil_mode))
        found = _GEOMETRIES.get(key)
        if found is None:
            x, batch = batchify(input, n, expected(n, n != 2))
            found = batch, _pool_geometry(x, k, d, p, dil, bool(ceil_mode))
            if len(_GEOMETRIES) > 256:
                _GEOMETRIES.clear()
            _GEOMETRIES[key] = found
        self.batch, self.out = found
        self.x = input.arr if self.batch else input.arr[None]
        self.k, self.d, self.p, self.dil = k, d, p, dil
        self.S = self.x.shape[2:]
        self.shape = self.x.shape[:2] + self.out

    def max_forward(self, output: Tensor, indices: Tensor) -> None:
        if indices.ttype != "Long":
            raise TorchError("indices must be a LongTensor")
        x = self.x
        if len(self.k) == 2 and DTYPES[output.ttype] == x.dtype:
            val = out_view(output, self.shape, self.batch)
            idx = out_view(indices, self.shape, self.batch)
            if _native.maxpool2d_forward(x, val, idx, self.k, self.d, self.p, self.dil, self.out):
                return
        if (
            len(self.k) == 2
            and self.k == (2, 2)
            and self.d == (2, 2)
            and self.p == (0, 0)
            and self.dil == (1, 1)
            and 2 * self.out[0] <= self.S[0]
            and 2 * self.out[1] <= self.S[1]
            and x.flags.c_contiguous
            and DTYPES[output.ttype] == x.dtype
            and x.size
        ):
            val = out_view(output, self.shape, self.batch)
            idx = out_view(indices, self.shape, self.batch)
            if _maxpool2x2(x, self.out, val, idx):
                _no_maximum(val, idx, 0)
                return
        if x.dtype.kind == "f" and np.isnan(x).any():
            x = np.where(np.isnan(x), -np.inf, x)  # never a window's maximum in THNN
        val, idx = maxpool(x, self.k, self.d, self.p, self.dil, self.out)
        _no_maximum(val, idx, -1)
        np.copyto(out_view(output, self.shape, self.batch), val, casting="unsafe")
        np.add(idx, 1, out=out_view(indices, self.shape, self.batch))

    def max_backward(self, gradOutput: Tensor, gradInput: Tensor, indices: Tensor) -> None:
        g = self.grad(gradOutput)
        idx = indices.arr if self.batch else indices.arr[None]
        if idx.shape != g.shape:
            raise TorchError("indices and gradOutput shapes do not match (call updateOutput first)")
        if len(self.k) == 2:
            gx = out_view(gradInput, self.x.shape, self.batch)
            if _native.maxpool2d_backward(g, idx, gx):
                return
        if (idx == 0).any():  # THNN skips index 0 (a window without a maximum)
            g, idx = np.where(idx == 0, 0, g), np.maximum(idx, 1)
        maxpool_backward(
            g, idx, self.S, out_view(gradInput, self.x.shape, self.batch), one_based=True
        )

    def grad(self, gradOutput: Tensor) -> np.ndarray:
        return grad_output(gradOutput, self.shape, self.batch)

    def divisor(self, count_include_pad: bool, dtype: np.dtype) -> np.ndarray:
        return _divisor(self.S, self.k, self.d, self.p, self.out, bool(count_include_pad), dtype)

    def avg_forward(self, output: Tensor, count_include_pad: bool) -> None:
        # THNN: `real sum = 0` plus each element of the window in row-major order (padding
        # adds +0 here, which changes nothing), then sum / divide_factor in real
        n = len(self.k)
        ones = (1,) * n
        K = math.prod(self.k)
        y = out_view(output, self.shape, self.batch)
        div = self.divisor(count_include_pad, self.x.dtype)
        frame = self.shape[1:]
        step = max(1, _AVG_BLOCK // max(1, K * math.prod(frame)))
        for b0 in range(0, self.x.shape[0], step):
            x = self.x[b0 : b0 + step]
            shape = x.shape[:1] + frame
            xp = _padded(x, self.k, self.d, self.p, ones, self.out, 0.0, "avgpool_pad")
            win = windows(xp, self.k, self.d, ones, self.out)
            # the windows copied as rows (one per kernel offset, in row-major order) and
            # summed down the rows: a reduction along the first axis adds in sequence (numpy
            # sums pairwise only along the fastest axis), starting from 0 as TH's sum
            rows = scratch("avgpool_rows", tuple(self.k) + shape, x.dtype)
            np.copyto(rows, win.transpose(tuple(range(2 + n, 2 + 2 * n)) + tuple(range(2 + n))))
            rows = rows.reshape(K, -1)
            if rows.shape[1] > 1:
                acc = np.add.reduce(rows, axis=0, initial=0).reshape(shape)
            else:  # a single window: the same sum along the fast axis, by accumulate
                acc = np.add.accumulate(np.r_[rows.dtype.type(0), rows[:, 0]])[-1:]
                acc = acc.reshape(shape)
            np.divide(acc, div, out=y[b0 : b0 + step], casting="unsafe")

    def avg_backward(self, gradOutput: Tensor, gradInput: Tensor, count_include_pad: bool) -> None:
        # THNN: gradInput[i] += z / divide_factor (in real) for each output pixel in row-major
        # order: an input element receives its terms from the windows covering it in that
        # order, i.e. from the largest kernel offset to the smallest
        g_all = self.grad(gradOutput)
        div = self.divisor(count_include_pad, g_all.dtype)
        n = len(self.k)
        ones = (1,) * n
        Sp = scatter_extent(self.S, self.k, self.d, self.p, ones, self.out)
        gx = out_view(gradInput, self.x.shape, self.batch)
        inside = interior(self.p, self.S)
        apart = all(self.d[i] >= self.k[i] or self.out[i] == 1 for i in range(n))
        step = max(1, _AVG_BLOCK // max(1, self.x.shape[1] * math.prod(Sp)))
        for b0 in range(0, self.x.shape[0], step):
            g = g_all[b0 : b0 + step] / div
            acc = scratch("avgpool_gacc", g.shape[:2] + Sp, g.dtype)
            acc.fill(0)
            if apart:
                # windows that do not overlap give each element at most one term (0 + z, as
                # TH): one broadcast addition instead of a pass per kernel offset (a global
                # pooling over 32x32 made 1024 passes)
                view = windows(acc, self.k, self.d, ones, self.out)
                win = as_strided(acc, view.shape, view.strides)  # the same view, writable
                win += g.reshape(g.shape + ones)
            else:
                for off in product(*(range(v - 1, -1, -1) for v in self.k)):
                    acc[(Ellipsis,) + window_slices(off, self.d, ones, self.out)] += g
            np.copyto(gx[b0 : b0 + step], acc[inside], casting="unsafe")


# elements of the input (or of its windows' rows) that average pooling works on at a time
_AVG_BLOCK = 1 << 16


# ------------------------------------------------------------------------------ max pooling


def SpatialDilatedMaxPooling_updateOutput(
    input: Tensor,
    output: Tensor,
    indices: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
    dilationW: int,
    dilationH: int,
    ceil_mode: bool,
) -> None:
    _Pool(
        input, 2, *args2(kW, kH, dW, dH, padW, padH, dilationW, dilationH), ceil_mode
    ).max_forward(output, indices)


def SpatialDilatedMaxPooling_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    indices: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
    dilationW: int,
    dilationH: int,
    ceil_mode: bool,
) -> None:
    _Pool(
        input, 2, *args2(kW, kH, dW, dH, padW, padH, dilationW, dilationH), ceil_mode
    ).max_backward(gradOutput, gradInput, indices)


def SpatialMaxPooling_updateOutput(
    input: Tensor,
    output: Tensor,
    indices: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
    ceil_mode: bool,
) -> None:
    SpatialDilatedMaxPooling_updateOutput(
        input, output, indices, kW, kH, dW, dH, padW, padH, 1, 1, ceil_mode
    )


def SpatialMaxPooling_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    indices: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
    ceil_mode: bool,
) -> None:
    SpatialDilatedMaxPooling_updateGradInput(
        input, gradOutput, gradInput, indices, kW, kH, dW, dH, padW, padH, 1, 1, ceil_mode
    )


def VolumetricDilatedMaxPooling_updateOutput(
    input: Tensor,
    output: Tensor,
    indices: Tensor,
    kT: int,
    kW: int,
    kH: int,
    dT: int,
    dW: int,
    dH: int,
    pT: int,
    pW: int,
    pH: int,
    dilationT: int,
    dilationW: int,
    dilationH: int,
    ceil_mode: bool,
) -> None:
    _Pool(
        input,
        3,
        *args3(kT, kW, kH, dT, dW, dH, pT, pW, pH, dilationT, dilationW, dilationH),
        ceil_mode,
    ).max_forward(output, indices)


def VolumetricDilatedMaxPooling_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    indices: Tensor,
    kT: int,
    kW: int,
    kH: int,
    dT: int,
    dW: int,
    dH: int,
    pT: int,
    pW: int,
    pH: int,
    dilationT: int,
    dilationW: int,
    dilationH: int,
    ceil_mode: bool,
) -> None:
    _Pool(
        input,
        3,
        *args3(kT, kW, kH, dT, dW, dH, pT, pW, pH, dilationT, dilationW, dilationH),
        ceil_mode,
    ).max_backward(gradOutput, gradInput, indices)


# -------------------------------------------------------------------------- average pooling


def SpatialAveragePooling_updateOutput(
    input: Tensor,
    output: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
    ceil_mode: bool,
    count_include_pad: bool,
) -> None:
    _Pool(input, 2, (kH, kW), (dH, dW), (padH, padW), (1, 1), ceil_mode).avg_forward(
        output, count_include_pad
    )


def SpatialAveragePooling_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
    ceil_mode: bool,
    count_include_pad: bool,
) -> None:
    _Pool(input, 2, (kH, kW), (dH, dW), (padH, padW), (1, 1), ceil_mode).avg_backward(
        gradOutput, gradInput, count_include_pad
    )


def VolumetricAveragePooling_updateOutput(
    input: Tensor,
    output: Tensor,
    kT: int,
    kW: int,
    kH: int,
    dT: int,
    dW: int,
    dH: int,
    pT: int,
    pW: int,
    pH: int,
    ceil_mode: bool,
    count_include_pad: bool,
) -> None:
    _Pool(input, 3, (kT, kH, kW), (dT, dH, dW), (pT, pH, pW), (1, 1, 1), ceil_mode).avg_forward(
        output, count_include_pad
    )


def VolumetricAveragePooling_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    kT: int,
    kW: int,
    kH: int,
    dT: int,
    dW: int,
    dH: int,
    pT: int,
    pW: int,
    pH: int,
    ceil_mode: bool,
    count_include_pad: bool,
) -> None:
    _Pool(input, 3, (kT, kH, kW), (dT, dH, dW), (pT, pH, pW), (1, 1, 1), ceil_mode).avg_backward(
        gradOutput, gradInput, count_include_pad
    )


# ------------------------------------------------------------------------- adaptive pooling


def _bins(size: int, osize: int) -> tuple[np.ndarray, np.ndarray]:
    """THNN's START_IND/END_IND, computed in float: floor((float)(i * size) / osize) and
    ceil((float)((i + 1) * size) / osize)."""
    i = np.arange(osize)
    f32 = np.float32
    start = np.floor((i * size).astype(f32) / f32(osize)).astype(np.int64)
    end = np.ceil(((i + 1) * size).astype(f32) / f32(osize)).astype(np.int64)
    return start, end


def _adaptive_input(input: Tensor, W: int, H: int) -> tuple[np.ndarray, bool]:
    x, batch = batchify(input, 2, expected(2))
    if W is None or H is None or W <= 0 or H <= 0:
        raise TorchError(f"output size should be greater than zero, but got W: {W} H: {H}")
    return x, batch


def SpatialAdaptiveAveragePooling_updateOutput(
    input: Tensor, output: Tensor, W: int, H: int
) -> None:
    # THNN: `real sum = 0` plus the bin's elements in row-major order, then sum / kW / kH in
    # real. Bins differ in size: every output adds its (dy, dx)-th element where it has one.
    x, batch = _adaptive_input(input, W, H)
    ys, ye = _bins(x.shape[2], H)
    xs, xe = _bins(x.shape[3], W)
    kH, kW = ye - ys, xe - xs
    real = x.dtype.type
    acc = np.zeros(x.shape[:2] + (H, W), dtype=x.dtype)
    for dy in range(int(kH.max())):
        rows = np.minimum(ys + dy, x.shape[2] - 1)
        for dx in range(int(kW.max())):
            cols = np.minimum(xs + dx, x.shape[3] - 1)
            valid = (dy < kH)[:, None] & (dx < kW)[None, :]
            acc += np.where(valid, x[:, :, rows[:, None], cols[None, :]], real(0))
    y = out_view(output, x.shape[:2] + (H, W), batch)
    np.copyto(y, acc / kW.astype(x.dtype)[None, :] / kH.astype(x.dtype)[:, None], casting="unsafe")


def SpatialAdaptiveAveragePooling_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor
) -> None:
    # THNN: gradInput (zeroed) += g / kW / kH over each bin, output pixel after output pixel
    # in row-major order; where bins do not overlap every input gets one term and the order
    # does not matter
    x, batch = batchify(input, 2, expected(2))
    g = gradOutput.arr if batch else gradOutput.arr[None]
    H, W = g.shape[2:]
    ys, ye = _bins(x.shape[2], H)
    xs, xe = _bins(x.shape[3], W)
    kH, kW = ye - ys, xe - xs
    terms = g / kW.astype(g.dtype)[None, :] / kH.astype(g.dtype)[:, None]
    gx = out_view(gradInput, x.shape, batch)
    gx[...] = 0
    if np.all(ys[1:] == ye[:-1]) and np.all(xs[1:] == xe[:-1]):
        # the bins tile the input: input row r belongs to bin rows[r] only
        rows = np.repeat(np.arange(H), kH)
        cols = np.repeat(np.arange(W), kW)
        gx += terms[:, :, rows[:, None], cols[None, :]]
        return
    for i in range(H):
        for j in range(W):
            gx[:, :, ys[i] : ye[i], xs[j] : xe[j]] += terms[:, :, i : i + 1, j : j + 1]


def _max_bins(size: int, osize: int) -> tuple[np.ndarray, np.ndarray]:
    """THNN's adaptive max pooling bins, in float: floor((float)i / osize * size) and
    ceil((float)(i + 1) / osize * size)."""
    f32 = np.float32
    i = np.arange(osize, dtype=f32)
    start = np.floor(i / f32(osize) * f32(size)).astype(np.int64)
    end = np.ceil((i + f32(1)) / f32(osize) * f32(size)).astype(np.int64)
    return start, end


def _gather_index(size: int, osize: int) -> np.ndarray:
    """(osize, m) input positions of each bin, the last one repeated to a common length m."""
    start, end = _max_bins(size, osize)
    m = int((end - start).max())
    return np.minimum(start[:, None] + np.arange(m), (end - 1)[:, None])


def SpatialAdaptiveMaxPooling_updateOutput(
    input: Tensor, output: Tensor, indices: Tensor, W: int, H: int
) -> None:
    x, batch = _adaptive_input(input, W, H)
    iH, iW = x.shape[2:]
    ih = _gather_index(iH, H)
    iw = _gather_index(iW, W)
    mh, mw = ih.shape[1], iw.shape[1]
    g = x[:, :, ih[:, None, :, None], iw[None, :, None, :]]  # (B, C, H, W, mh, mw)
    flat = g.reshape(g.shape[:4] + (mh * mw,))
    loc = np.argmax(flat, axis=-1)
    val = np.take_along_axis(flat, loc[..., None], -1)[..., 0]
    rows = np.take_along_axis(
        np.broadcast_to(ih[:, None, :, None], (H, W, mh, mw)).reshape(H, W, mh * mw)[None, None],
        loc[..., None],
        -1,
    )[..., 0]
    cols = np.take_along_axis(
        np.broadcast_to(iw[None, :, None, :], (H, W, mh, mw)).reshape(H, W, mh * mw)[None, None],
        loc[..., None],
        -1,
    )[..., 0]
    shape = x.shape[:2] + (H, W)
    np.copyto(out_view(output, shape, batch), val, casting="unsafe")
    if indices.ttype != "Long":
        raise TorchError("indices must be a LongTensor")
    np.copyto(out_view(indices, shape, batch), rows * iW + cols + 1)


def SpatialAdaptiveMaxPooling_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, indices: Tensor
) -> None:
    x, batch = batchify(input, 2, expected(2))
    g = gradOutput.arr if batch else gradOutput.arr[None]
    idx = indices.arr if batch else indices.arr[None]
    res = maxpool_backward(g, idx.astype(np.int64) - 1, x.shape[2:])
    np.copyto(out_view(gradInput, x.shape, batch), res, casting="unsafe")


# ------------------------------------------------------------------------------- unpooling


def SpatialMaxUnpooling_updateOutput(
    input: Tensor, output: Tensor, indices: Tensor, owidth: int, oheight: int
) -> None:
    x, batch = batchify(input, 2, expected(2))
    idx = (indices.arr if batch else indices.arr[None]).astype(np.int64) - 1
    if idx.shape != x.shape:
        raise TorchError(
            f"Invalid input size w.r.t current indices size: {sizes(input)} vs {sizes(indices)}"
        )
    P = owidth * oheight
    if idx.size and (idx.min() < 0 or idx.max() >= P):
        raise TorchError(
            f"found an invalid max index (output volumes are of size {oheight}x{owidth})"
        )
    B, C = x.shape[:2]
    y = out_view(output, (B, C, oheight, owidth), batch)
    y.fill(0)
    planes = (np.arange(B * C, dtype=np.int64) * P).reshape(B, C, 1, 1)
    y.reshape(-1)[(idx + planes).ravel()] = x.ravel()


def SpatialMaxUnpooling_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, indices: Tensor, owidth: int, oheight: int
) -> None:
    x, batch = batchify(input, 2, expected(2))
    idx = (indices.arr if batch else indices.arr[None]).astype(np.int64) - 1
    g = gradOutput.arr if batch else gradOutput.arr[None]
    B, C = x.shape[:2]
    if g.shape != (B, C, oheight, owidth):
        raise TorchError(
            f"Inconsistent gradOutput size. oheight= {oheight}, owidth= {owidth}, "
            f"gradOutput: {sizes(gradOutput)}"
        )
    P = owidth * oheight
    planes = (np.arange(B * C, dtype=np.int64) * P).reshape(B, C, 1, 1)
    gx = out_view(gradInput, x.shape, batch)
    np.copyto(gx, np.ascontiguousarray(g).reshape(-1)[idx + planes])


# -------------------------------------------------------------------------------- temporal


def _temporal_input(input: Tensor, kW: int, dW: int) -> tuple[np.ndarray, bool, tuple[int]]:
    a = temporal_frames(input, kW, dW=dW)
    return a.transpose(0, 2, 1), input.dim() == 3, ((a.shape[1] - kW) // dW + 1,)


def TemporalMaxPooling_updateOutput(
    input: Tensor, output: Tensor, indices: Tensor, kW: int, dW: int
) -> None:
    x, batch, out = _temporal_input(input, kW, dW)
    val, which = maxpool(x, (kW,), (dW,), (0,), (1,), out, local=True)
    shape = (x.shape[0], out[0], x.shape[1])
    np.copyto(out_view(output, shape, batch), val.transpose(0, 2, 1), casting="unsafe")
    # THNN stores the offset of the maximum inside its window (0-based)
    np.copyto(out_view(indices, shape, batch), which.transpose(0, 2, 1), casting="unsafe")


def TemporalMaxPooling_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, indices: Tensor, kW: int, dW: int
) -> None:
    x, batch, out = _temporal_input(input, kW, dW)
    # THNN checks the frames, then the frame size (x is (B, F, T))
    want = (x.shape[0], out[0], x.shape[1]) if batch else (out[0], x.shape[1])
    check_dim_size(gradOutput, "gradOutput", want, range(len(want) - 2, len(want)))
    g = (gradOutput.arr if batch else gradOutput.arr[None]).transpose(0, 2, 1)
    which = (indices.arr if batch else indices.arr[None]).transpose(0, 2, 1).astype(np.int64)
    idx = np.arange(out[0], dtype=np.int64) * dW + which
    res = maxpool_backward(g, idx, x.shape[2:])
    np.copyto(
        out_view(gradInput, (x.shape[0], x.shape[2], x.shape[1]), batch).transpose(0, 2, 1),
        res,
        casting="unsafe",
    )


def _subsampling_sums(x: np.ndarray, kW: int, dW: int, oT: int) -> np.ndarray:
    win = windows(x, (kW,), (dW,), (1,), (oT,))  # (B, F, oT, kW)
    acc = np.array(win[..., 0])
    for j in range(1, kW):
        acc += win[..., j]
    return acc  # (B, F, oT)


def _subsampling_input(
    input: Tensor, kW: int, dW: int, inputFrameSize: int | None = None
) -> tuple[np.ndarray, bool, tuple[int]]:
    """THNN's TemporalSubSampling shape check, in its order and words: a 2-D input only (its
    message names a batch mode the kernel does not have), the frame size, the length."""
    check_temporal(kW, dW)
    if input.dim() != 2:
        raise TorchError(expected(1).format(sizes(input)))
    if inputFrameSize is not None and input.size[1] != inputFrameSize:
        raise TorchError(
            f"bad argument #2 to 'v' (invalid input frame size.  Got: {input.size[1]}, "
            f"Expected: {inputFrameSize})"
        )
    if input.size[0] < kW:
        raise TorchError(
            "bad argument #2 to 'v' (input sequence smaller than kernel size.  "
            f"Got {input.size[0]}, Expected: {kW})"
        )
    return _temporal_input(input, kW, dW)


def TemporalSubSampling_updateOutput(
    input: Tensor,
    output: Tensor,
    weight: Tensor,
    bias: Tensor,
    kW: int,
    dW: int,
    inputFrameSize: int,
) -> None:
    x, batch, out = _subsampling_input(input, kW, dW, inputFrameSize)
    s = _subsampling_sums(x, kW, dW, out[0])
    y = out_view(output, (x.shape[0], out[0], inputFrameSize), batch).transpose(0, 2, 1)
    np.copyto(y, s * weight.arr[:, None] + bias.arr[:, None], casting="unsafe")


def TemporalSubSampling_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, weight: Tensor, kW: int, dW: int
) -> None:
    x, batch, out = _subsampling_input(input, kW, dW)
    g = (gradOutput.arr if batch else gradOutput.arr[None]).transpose(0, 2, 1)
    gw = g * weight.arr[:, None]
    acc = np.zeros(x.shape, dtype=x.dtype)
    for j in range(kW):
        acc[..., j : j + (out[0] - 1) * dW + 1 : dW] += gw
    gx = out_view(gradInput, (x.shape[0], x.shape[2], x.shape[1]), batch).transpose(0, 2, 1)
    np.copyto(gx, acc, casting="unsafe")


def TemporalSubSampling_accGradParameters(
    input: Tensor,
    gradOutput: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor,
    kW: int,
    dW: int,
    scale: float,
) -> None:
    x, batch, out = _subsampling_input(input, kW, dW)
    g = (gradOutput.arr if batch else gradOutput.arr[None]).transpose(0, 2, 1)
    s = _subsampling_sums(x, kW, dW, out[0])
    gradWeight.arr[...] += scale * (g * s).sum(axis=(0, 2))
    gradBias.arr[...] += scale * g.sum(axis=(0, 2))


# ---------------------------------------------------------------------------- up-sampling


def SpatialUpSamplingNearest_updateOutput(input: Tensor, output: Tensor, scale_factor: int) -> None:
    x, batch = batchify(input, 2, expected(2, False))
    s = int(scale_factor)
    B, C, H, W = x.shape
    y = out_view(output, (B, C, H * s, W * s), batch)
    y.reshape(B, C, H, s, W, s)[...] = x[:, :, :, None, :, None]


@functools.lru_cache(maxsize=32)
def _nearest_plan(size: tuple[int, ...], s: int) -> np.ndarray:
    """libm.gather_sum's plan: the flat output position of each input element's first copy,
    then the offsets of its s**n copies in THNN's order (first spatial offset fastest)."""
    osize = tuple(v * s for v in size)
    ostride = np.cumprod((1,) + osize[:0:-1])[::-1]
    grid = np.indices(size).reshape(len(size), -1)
    base = (grid * s * ostride[:, None]).sum(axis=0)
    offsets = np.zeros(1, np.int64)
    for d in range(len(size)):  # each later axis varies more slowly
        offsets = (offsets[None, :] + (np.arange(s) * ostride[d])[:, None]).reshape(-1)
    plan = np.concatenate((base, offsets)).astype(np.int64)
    plan.flags.writeable = False
    return plan


def nearest_grad(g: np.ndarray, n: int, s: int, out: np.ndarray | None = None) -> np.ndarray:
    """THNN's nearest up-sampling gradient over the last n axes of g: each input element adds
    the s**n output elements it was copied to, in real, the first spatial offset varying
    fastest and the last slowest (Spatial/VolumetricUpSamplingNearest's loops). Written into
    out (C-contiguous, g's type, the input's shape) when given."""
    lead = g.shape[:-n]
    size = tuple(v // s for v in g.shape[-n:])
    rows = math.prod(lead)
    if out is None:
        out = np.empty(lead + size, dtype=g.dtype)
    src = np.ascontiguousarray(g).reshape(rows, -1)
    if libm.gather_sum(out.reshape(rows, -1), src, _nearest_plan(size, s), s**n):
        return out
    L = len(lead)
    split = g.reshape(lead + tuple(v for S in size for v in (S, s)))
    # the s**n terms of each element on the last axis, in the loops' order; add.accumulate
    # adds them in that sequence, in the array's type
    order = list(range(L)) + [L + 2 * i for i in range(n)]
    order += [L + 2 * i + 1 for i in reversed(range(n))]
    terms = split.transpose(order).reshape(lead + size + (s**n,))
    # THNN starts from a zeroed gradInput: 0 + ... turns an all -0 sum into +0
    out[...] = np.add.accumulate(terms, axis=-1)[..., -1] + g.dtype.type(0)
    return out


def SpatialUpSamplingNearest_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, scale_factor: int
) -> None:
    x, batch = batchify(input, 2, expected(2, False))
    s = int(scale_factor)
    B, C, H, W = x.shape
    want = (B, C, H * s, W * s) if batch else (C, H * s, W * s)
    check_dim_size(gradOutput, "gradOutput", want, range(len(want)))
    g = gradOutput.arr if batch else gradOutput.arr[None]
    np.copyto(out_view(gradInput, x.shape, batch), nearest_grad(g, 2, s))


def _linear_axis(size: int, osize: int, real: type) -> tuple[np.ndarray, np.ndarray, tuple]:
    """THNN's aligned-corner source positions along one axis: the lower index, the upper one
    (the same at the last input) and the weights (lambda0, lambda1) in real. THNN computes the
    ratio and positions in single precision whatever the tensor type."""
    f32 = np.float32
    ratio = f32(size - 1) / f32(osize - 1) if osize > 1 else f32(0)
    pos = ratio * np.arange(osize, dtype=f32)
    lo = pos.astype(np.int64)
    hi = lo + (lo < size - 1)
    lam1 = (pos - lo.astype(f32)).astype(real)
    lam0 = real(1) - lam1
    return lo, hi, (lam0, lam1)


def _linear_setup(shape: tuple[int, ...], osize: tuple[int, ...], real: type):
    """For each spatial axis, (lo, hi, weights) shaped to broadcast over the output grid."""
    n = len(osize)
    axes = []
    for d in range(n):
        lo, hi, (l0, l1) = _linear_axis(shape[d], osize[d], real)
        shape_d = [1] * n
        shape_d[d] = osize[d]
        axes.append(
            (lo.reshape(shape_d), hi.reshape(shape_d), (l0.reshape(shape_d), l1.reshape(shape_d)))
        )
    return axes


def linear_forward(x: np.ndarray, osize: tuple[int, ...]) -> np.ndarray:
    """THNN's bilinear (n = 2) or trilinear (n = 3) up-sampling with aligned corners over the
    last n axes of x, in real (SpatialUpSamplingBilinear, VolumetricUpSamplingTrilinear):
    w0 * p0 + w1 * p1 along the last axis, then l0 * (that) + l1 * (that at the next index)
    along each axis before it. Each inner blend depends only on its own axes, so the axes are
    blended one at a time from the last, with THNN's operations."""
    n = len(osize)
    size = x.shape[-n:]
    if tuple(size) == tuple(osize):
        return x.copy()
    real = x.dtype.type
    y = x
    for d in reversed(range(n)):
        lo, hi, (l0, l1) = _linear_axis(size[d], osize[d], real)
        axis = x.ndim - n + d
        shape = [1] * x.ndim
        shape[axis] = osize[d]
        y = l0.reshape(shape) * np.take(y, lo, axis=axis) + l1.reshape(shape) * np.take(
            y, hi, axis=axis
        )
    return y


@functools.lru_cache(maxsize=32)
def _linear_plan(size: tuple[int, ...], osize: tuple[int, ...], dtype: np.dtype):
    """linear_grad's contributions in THNN's order (output position major, corner minor): the
    input element each one adds to, the output element it reads (both also packed in one
    array for libm.scatter_add), its weight (in real)."""
    n = len(size)
    axes = _linear_setup(size, osize, dtype.type)
    targets = []
    weights = []
    for bits in product((0, 1), repeat=n):
        idx = [np.broadcast_to(axes[d][bits[d]], osize).reshape(-1) for d in range(n)]
        targets.append(np.ravel_multi_index(idx, size))
        w = axes[0][2][bits[0]]
        for d in range(1, n):
            w = w * axes[d][2][bits[d]]
        weights.append(np.broadcast_to(w, osize).reshape(-1))
    target = np.stack(targets, axis=1).reshape(-1).astype(np.int64)
    weight = np.ascontiguousarray(np.stack(weights, axis=1).reshape(-1), dtype=dtype)
    source = np.arange(target.size, dtype=np.int64) >> n
    index = np.concatenate((target, source))  # libm.scatter_add's form
    for a in (index, weight):
        a.flags.writeable = False
    return index[: target.size], index[target.size :], index, weight


def linear_grad(g: np.ndarray, size: tuple[int, ...], out: np.ndarray | None = None) -> np.ndarray:
    """The gradient of linear_forward as THNN computes it: output position after output
    position, each adding (l_t * l_h) * l_w * gradOutput to its 2**n corners in turn, in real
    (a corner may be reached twice at the last input, or by several outputs). Written into out
    (C-contiguous, g's type, the input's shape) when given."""
    n = len(size)
    osize = g.shape[-n:]
    lead = g.shape[:-n]
    real = g.dtype.type
    if out is None:
        out = np.empty(lead + tuple(size), dtype=g.dtype)
    if tuple(size) == tuple(osize):
        out[...] = real(0) + g
        return out
    target, source, index, weight = _linear_plan(tuple(size), tuple(osize), g.dtype)
    nout = math.prod(osize)
    gflat = np.ascontiguousarray(g).reshape(-1, nout)
    gi = out.reshape(gflat.shape[0], math.prod(size))
    gi[...] = 0
    if libm.scatter_add(gi, gflat, index, weight):
        return out
    # no LuaJIT loop on this thread: the contributions to one element are added in order, so
    # group them by their rank among the contributions to the same element
    order = np.argsort(target, kind="stable")
    sorted_t = target[order]
    first = np.r_[0, np.flatnonzero(np.diff(sorted_t)) + 1]
    counts = np.diff(np.r_[first, len(sorted_t)])
    rank = np.empty(len(target), np.int64)
    rank[order] = np.arange(len(target)) - np.repeat(first, counts)
    for r in range(int(rank.max(initial=-1)) + 1):
        sel = np.flatnonzero(rank == r)
        gi[:, target[sel]] += weight[sel] * gflat[:, source[sel]]
    return out


def SpatialUpSamplingBilinear_updateOutput(
    input: Tensor, output: Tensor, outputHeight: int, outputWidth: int
) -> None:
    x, batch = batchify(input, 2, expected(2))
    if outputHeight <= 0 or outputWidth <= 0:
        raise TorchError(
            f"output sizes should be greater than 0, but got: outputHeight = "
            f"{outputHeight}, outputWidth = {outputWidth}"
        )
    y = out_view(output, x.shape[:2] + (outputHeight, outputWidth), batch)
    np.copyto(y, linear_forward(x, (outputHeight, outputWidth)))


def SpatialUpSamplingBilinear_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor
) -> None:
    x, batch = batchify(input, 2, expected(2))
    g = gradOutput.arr if batch else gradOutput.arr[None]
    np.copyto(out_view(gradInput, x.shape, batch), linear_grad(g, x.shape[2:]))


# -------------------------------------------------------------------------------- padding


def _pad_index(size: int, before: int, after: int, mode: str) -> np.ndarray:
    j = np.arange(-before, size + after)
    if mode == "reflect":
        j = np.abs(j)
        j = np.where(j >= size, 2 * (size - 1) - j, j)
    return np.clip(j, 0, size - 1)


def _pad_check(x: np.ndarray, left: int, r: int, t: int, b: int, mode: str) -> tuple[int, int]:
    H, W = x.shape[2:]
    if mode == "reflect" and (max(left, r) >= W or max(t, b) >= H):
        raise TorchError(
            f"Padding size should be less than the corresponding input dimension, "
            f"but got: padding ({left}, {r}) at dimension 3 of input "
            f"[{' x '.join(map(str, x.shape[1:]))}]"
            if max(left, r) >= W
            else f"Padding size should be less than the corresponding input dimension, "
            f"but got: padding ({t}, {b}) at dimension 2 of input "
            f"[{' x '.join(map(str, x.shape[1:]))}]"
        )
    oH, oW = H + t + b, W + left + r
    if oH < 1 or oW < 1:
        raise TorchError(f"input (H: {H}, W: {W})is too small. Calculated output H: {oH} W: {oW}")
    return oH, oW


def _pad_forward(
    input: Tensor, output: Tensor, left: int, r: int, t: int, b: int, mode: str
) -> None:
    x, batch = batchify(input, 2, expected(2))
    oH, oW = _pad_check(x, left, r, t, b, mode)
    ih = _pad_index(x.shape[2], t, b, mode)
    iw = _pad_index(x.shape[3], left, r, mode)
    y = out_view(output, x.shape[:2] + (oH, oW), batch)
    np.copyto(y, x[:, :, ih[:, None], iw[None, :]])


def _pad_backward(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    left: int,
    r: int,
    t: int,
    b: int,
    mode: str,
) -> None:
    x, batch = batchify(input, 2, expected(2))
    oH, oW = _pad_check(x, left, r, t, b, mode)
    g = gradOutput.arr if batch else gradOutput.arr[None]
    if g.shape[2:] != (oH, oW):
        raise TorchError(
            f"gradOutput width unexpected. Expected: {oW}, Got: {g.shape[3]}"
            if g.shape[3] != oW
            else f"gradOutput height unexpected. Expected: {oH}, Got: {g.shape[2]}"
        )
    H, W = x.shape[2:]
    src = _pad_index(H, t, b, mode)[:, None] * W + _pad_index(W, left, r, mode)[None, :]
    res = scatter_planes(g, src, H * W).reshape(x.shape)
    np.copyto(out_view(gradInput, x.shape, batch), res)


def SpatialReflectionPadding_updateOutput(
    input: Tensor, output: Tensor, pad_l: int, pad_r: int, pad_t: int, pad_b: int
) -> None:
    _pad_forward(input, output, pad_l, pad_r, pad_t, pad_b, "reflect")


def SpatialReflectionPadding_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    pad_l: int,
    pad_r: int,
    pad_t: int,
    pad_b: int,
) -> None:
    _pad_backward(input, gradOutput, gradInput, pad_l, pad_r, pad_t, pad_b, "reflect")


def SpatialReplicationPadding_updateOutput(
    input: Tensor, output: Tensor, pad_l: int, pad_r: int, pad_t: int, pad_b: int
) -> None:
    _pad_forward(input, output, pad_l, pad_r, pad_t, pad_b, "edge")


def SpatialReplicationPadding_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    pad_l: int,
    pad_r: int,
    pad_t: int,
    pad_b: int,
) -> None:
    _pad_backward(input, gradOutput, gradInput, pad_l, pad_r, pad_t, pad_b, "edge")


def _zero_slices(size: int, before: int, after: int) -> tuple[slice, slice]:
    """(output slice, input slice) of the part of the input kept by zero padding/cropping."""
    i0 = max(0, -before)
    i1 = size - max(0, -after)
    o0 = max(0, before)
    return slice(o0, o0 + max(0, i1 - i0)), slice(i0, max(i0, i1))


def SpatialZeroPadding_updateOutput(
    input: Tensor, output: Tensor, pad_l: int, pad_r: int, pad_t: int, pad_b: int
) -> None:
    x, batch = batchify(input, 2, "input must be 3 or 4-dimensional")
    H, W = x.shape[2:]
    oH, oW = H + pad_t + pad_b, W + pad_l + pad_r
    if oH < 1 or oW < 1:
        raise TorchError("input is too small")
    y = out_view(output, x.shape[:2] + (oH, oW), batch)
    y.fill(0)
    oh, ih = _zero_slices(H, pad_t, pad_b)
    ow, iw = _zero_slices(W, pad_l, pad_r)
    y[:, :, oh, ow] = x[:, :, ih, iw]


def SpatialZeroPadding_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    pad_l: int,
    pad_r: int,
    pad_t: int,
    pad_b: int,
) -> None:
    x, batch = batchify(input, 2, "input must be 3 or 4-dimensional")
    H, W = x.shape[2:]
    g = gradOutput.arr if batch else gradOutput.arr[None]
    gx = out_view(gradInput, x.shape, batch)
    gx.fill(0)
    oh, ih = _zero_slices(H, pad_t, pad_b)
    ow, iw = _zero_slices(W, pad_l, pad_r)
    gx[:, :, ih, iw] = g[:, :, oh, ow]
