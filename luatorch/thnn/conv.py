"""Convolutions lowered to one matrix product over the whole batch (im2col / col2im).

Layout: for input x (B, C, *S) and kernel k, the unfolded input ``cols`` is (C*K, B*L) with
K = prod(k), L = prod(out): row (c, j) holds, for every window, the element at kernel offset j
of plane c. It lives in the module's ``finput`` tensor (reused across calls) and serves both the
forward product and accGradParameters, as in THNN.

Forward:      Y[o] = W2 @ cols + b                    (W2 = weight viewed as (nOut, C*K))
updateGrad:   gcols = W2^T @ G, scattered back onto the input positions (col2im)
accGrad:      gW += scale * G @ cols^T,  gb += scale * sum(G)
Full (transposed) convolution swaps the roles: its forward is the col2im of W^T @ x, its
gradInput the forward convolution of gradOutput.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import product

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..tensor import accreal, blas, libm
from ..tensor.core import DTYPES, Tensor, TorchError
from ..tensor.threadpool import gemm_work, parallel, parts
from . import _native
from ._grid import (
    accumulate,
    args2,
    args3,
    batchify,
    buffer,
    check_temporal,
    check_window,
    conv_out,
    expected,
    fmt,
    grad_output,
    interior,
    out_view,
    pad,
    scatter_extent,
    scratch,
    sizes,
    temporal_frames,
    window_slices,
    windows,
)

# ----------------------------------------------------------------------------- generic engine


def _perm(n: int) -> tuple[int, ...]:
    """Axes taking a window view (B, C, *out, *k) to the column order (C, *k, B, *out)."""
    return (1,) + tuple(range(2 + n, 2 + 2 * n)) + (0,) + tuple(range(2, 2 + n))


def _unfolded(x: np.ndarray, k, d, p, dil, out) -> np.ndarray:
    """The (C, *k, B, *out) strided view of x (B, C, *S) whose copy is the column matrix
    (padding, when any, is copied once into a scratch buffer)."""
    return windows(pad(x, p, p, 0.0, "im2col_pad"), k, d, dil, out).transpose(_perm(len(k)))


def _im2col(
    x: np.ndarray,
    k: tuple[int, ...],
    d: tuple[int, ...],
    p: tuple[int, ...],
    dil: tuple[int, ...],
    out: tuple[int, ...],
    cols: np.ndarray,
) -> None:
    """Write the unfolded x (B, C, *S) into cols (C*K, B*L), split over batch items."""
    n = len(k)
    B, C = x.shape[:2]
    win = _unfolded(x, k, d, p, dil, out)
    colsv = cols.reshape((C,) + k + (B,) + out)
    ax = (slice(None),) * (1 + n)

    def part(lo: int, hi: int) -> None:
        np.copyto(colsv[ax + (slice(lo, hi),)], win[ax + (slice(lo, hi),)])

    parallel(part, B, cols.size)


def _col2im_part(gc: np.ndarray, acc: np.ndarray, k, d, dil, out, lo: int, hi: int) -> None:
    """acc[:, lo:hi] = the columns gc (C, *k, B, *out) of batch items [lo, hi) summed back
    onto their (padded) input positions."""
    a = acc[:, lo:hi]
    a.fill(0)
    for j in product(*(range(v) for v in k)):
        a[(slice(None), slice(None)) + window_slices(j, d, dil, out)] += gc[(slice(None),) + j][
            :, lo:hi
        ]


# Small problems (the Jacobian checks' many backward calls) sum all columns back in one
# bincount through a cached table of targets; beyond about this many column elements the loop
# over kernel offsets is faster.
_COL2IM_LIMIT = 1 << 16
# output rows of at most this many elements sum their columns back by bincount (double only:
# bincount adds in double, a float gradient's sums are float); rows of 32 (the residual
# block's) are faster by offsets, with frames side by side: 14.0 against 16.2 ms
_BINCOUNT_ROWS = 28
_COL2IM_TABLES: dict[tuple, np.ndarray] = {}


def _col2im_table(C, B, S, k, d, p, dil, out) -> np.ndarray:
    """Flat (B, C, *S) target of every column element (B, C, *k, *out), in the columns' order;
    padding positions go to the extra slot B*C*P."""
    key = (C, B, S, k, d, p, dil, out)
    table = _COL2IM_TABLES.get(key)
    if table is None:
        n = len(k)
        P = math.prod(S)
        nd = 2 + 2 * n
        flat = np.zeros((1,) * nd, dtype=np.int64)
        inside = np.ones((1,) * nd, dtype=bool)
        st = 1
        for i in reversed(range(n)):
            # position along dim i of kernel offset j, output o: o * d - p + j * dil
            jshape = [1] * nd
            jshape[2 + i] = k[i]
            oshape = [1] * nd
            oshape[2 + n + i] = out[i]
            a = (np.arange(out[i]) * d[i] - p[i]).reshape(oshape) + (
                np.arange(k[i]) * dil[i]
            ).reshape(jshape)
            flat = flat + a * st
            inside = inside & (a >= 0) & (a < S[i])
            st *= S[i]
        plane = np.arange(B * C).reshape((B, C) + (1,) * (2 * n))
        # built in place: np.where over full-size sums held two more tables at once (LeNet's
        # first layer: 1.8 MB of holes in the C heap, at its first backward near the peak)
        table = np.empty((B, C) + flat.shape[2:], dtype=np.int64)
        np.multiply(plane, P, out=table)
        table += flat
        np.copyto(table, B * C * P, where=~inside)
        table = table.reshape(-1)
        if len(_COL2IM_TABLES) > 64:
            _COL2IM_TABLES.clear()
        _COL2IM_TABLES[key] = table
    return table


def _col2im_small(gcols, C, B, S, k, d, p, dil, out, gx) -> None:
    """gx (B, C, *S) = the columns gcols (B, C*K, L) summed back onto their input positions in
    THNN's order (per position: kernel offsets in order), padding positions dropped."""
    P = math.prod(S)
    table = _col2im_table(C, B, tuple(S), tuple(k), tuple(d), tuple(p), tuple(dil), tuple(out))
    n = B * C * P
    w = gcols.reshape(-1)
    if gcols.dtype == np.float64:
        res = np.bincount(table, weights=w, minlength=n + 1)
    else:
        res = np.zeros(n + 1, dtype=gcols.dtype)
        np.add.at(res, table, w)
    np.copyto(gx, res[:n].reshape(gx.shape))


# Summing columns back onto the input without a padded buffer: for each kernel offset, the
# outputs whose input position lies inside the input, as (offset, output slices, input slices)
_COL2IM_PLANS: dict[tuple, list] = {}


def _col2im_plan(S, k, d, p, dil, out) -> list:
    key = (S, k, d, p, dil, out)
    plan = _COL2IM_PLANS.get(key)
    if plan is None:
        plan = []
        for j in product(*(range(v) for v in k)):
            src, dst = [], []
            for i in range(len(k)):
                first = j[i] * dil[i] - p[i]  # input position of output 0
                lo = max(0, -(first // d[i])) if first < 0 else 0
                hi = min(out[i], (S[i] - 1 - first) // d[i] + 1) if S[i] - 1 >= first else 0
                src.append(slice(lo, max(lo, hi)))
                start = first + lo * d[i]
                dst.append(slice(start, start + (max(lo, hi) - lo - 1) * d[i] + 1, d[i]))
            if all(sl.stop > sl.start for sl in src):
                plan.append((j, tuple(src), tuple(dst)))
        if len(_COL2IM_PLANS) > 64:
            _COL2IM_PLANS.clear()
        _COL2IM_PLANS[key] = plan
    return plan


def _col2im_acc(C: int, B: int, S, k, d, p, dil, out, dtype) -> np.ndarray:
    return scratch("col2im", (C, B) + scatter_extent(S, k, d, p, dil, out), dtype)


def _col2im(
    gc: np.ndarray,
    C: int,
    B: int,
    S: tuple[int, ...],
    k: tuple[int, ...],
    d: tuple[int, ...],
    p: tuple[int, ...],
    dil: tuple[int, ...],
    out: tuple[int, ...],
) -> np.ndarray:
    """Sum the columns gc (C*K, B*L) back onto input positions: returns a (C, B, *S) view."""
    gc = gc.reshape((C,) + k + (B,) + out)
    acc = _col2im_acc(C, B, S, k, d, p, dil, out, gc.dtype)
    parallel(lambda lo, hi: _col2im_part(gc, acc, k, d, dil, out, lo, hi), B, gc.size * 2)
    return acc[interior(p, S)]


def _check_conv(
    x: np.ndarray,
    nplanes: int,
    S: tuple[int, ...],
    out: tuple[int, ...],
    nout: int,
    batch: bool,
    n: int,
) -> None:
    if x.shape[1] != nplanes:
        dim = n + 2 if batch else n + 1
        raise TorchError(
            f"Need input of dimension {dim} and input.size[{1 if batch else 0}] "
            f"== {nplanes} but got input to be of shape: "
            f"[{' x '.join(str(s) for s in (x.shape if batch else x.shape[1:]))}]"
        )
    if min(out) < 1:
        # the 2-D kernels print their sizes spaced out, the 3-D ones not
        sep = " x " if n == 2 else "x"
        given = sep.join(str(v) for v in (nplanes,) + S)
        calculated = sep.join(str(v) for v in (nout,) + out)
        raise TorchError(
            f"Given input size: ({given}). Calculated output size: ({calculated}). "
            "Output size is too small"
        )


def _every(m: np.ndarray, B: int) -> np.ndarray:
    """m repeated for B frames (a zero-stride stack, no copy; writable: a gradient every frame
    adds into is one)."""
    shape, strides = (B,) + m.shape, (0,) + m.strides
    # made directly on the memory of m (as_strided costs some 7 us a call)
    if m.flags.c_contiguous and m.size:
        return np.ndarray(shape, m.dtype, m, 0, strides)
    if m.T.flags.c_contiguous and m.size:
        return np.ndarray(shape, m.dtype, m.T, 0, strides)
    return np.lib.stride_tricks.as_strided(m, shape, strides)


def _unfold_view(x: np.ndarray, k, d, p, dil, out) -> np.ndarray:
    """The (B, C, *k, *out) strided view of x (B, C, *S) whose frame b, copied, is THNN's
    unfolded frame finput[b] (C*K, L) (padding, when any, copied once into a scratch
    buffer)."""
    n = len(k)
    win = windows(pad(x, p, p, 0.0, "im2col_pad"), k, d, dil, out)  # (B, C, *out, *k)
    return win.transpose((0, 1) + tuple(range(2 + n, 2 + 2 * n)) + tuple(range(2, 2 + n)))


# Frames are processed in chunks of about this many column elements (one frame at least): a
# frame's columns are still in cache when its product reads them (whole-batch passes made the
# residual block benchmark's convolutions some 20% slower)...
_CHUNK = 1 << 17
# ...but of enough frames that each numpy operation of the summing back (one per kernel
# offset) covers about this many elements: LeNet's second layer (10x10 outputs) made 1600
# small additions a call frame by frame
_MIN_OP = 1 << 15


def _chunks(B: int, frame_size: int, op_size: int) -> list[tuple[int, int]]:
    step = max(1, _CHUNK // max(1, frame_size), -(-_MIN_OP // max(1, op_size)))
    return [(lo, min(B, lo + step)) for lo in range(0, B, step)]


def _in_turn(
    work: Callable[[int, int], None],
    products: Callable[..., None],
    B: int,
    frame_size: int,
    after: bool = False,
    op_size: int = 1 << 30,
    first: int = 0,
    lock: bool = True,
) -> None:
    """For every chunk of frames [first, B), in order: work then products (with ``after``:
    products then work); op_size: elements per frame of work's numpy operations; lock: False
    inside blas.frames_apart. The products are BLAS, threaded as in Torch7's process:
    splitting the work of the whole batch over the kernel threads instead of chunking it lost
    more in cache than it gained (LeNet's second layer forward 18.2 ms chunked, 20.5 ms split
    on two threads)."""
    for lo, hi in _chunks(B - first, frame_size, op_size):
        lo, hi = lo + first, hi + first
        if after:
            products(lo, hi, lock)
            work(lo, hi)
        else:
            work(lo, hi)
            products(lo, hi, lock)


def _by_frames(
    work: Callable[[int, int], None],
    products: Callable[..., None],
    B: int,
    frame_size: int,
    frame_work: float,
    after: bool = False,
    op_size: int = 1 << 30,
) -> None:
    """_in_turn over all B frames; on several kernel threads, ranges of frames side by side
    (each range chunked in turn, its products on one BLAS thread) when the call shape gives
    Torch7's bits that way (blas.frames_apart): a frame's columns stay in its thread's cache,
    and the threads meet once a call instead of at every product. frame_work: one frame's
    work in threadpool units."""
    region = None
    if B > 1 and parts(B * frame_work) > 1:
        region = blas.frames_apart(products)
    if region is None:
        _in_turn(work, products, B, frame_size, after, op_size)
        return
    with region:
        parallel(
            lambda lo, hi: _in_turn(work, products, hi, frame_size, after, op_size, lo, False),
            B,
            B * frame_work,
        )


def conv_forward(x, w2, bias, k, d, p, dil, out, cols3, y3) -> None:
    """THNN's SpatialConvolutionMM forward, bit for bit: for each frame b, finput[b] (cols3[b],
    C*K x L) = the unfolded input, the output planes y3[b] (nOut x L) filled with the bias, then
    ``addmm(output, 1, output, 1, weight, finput)`` (a gemm with beta 1, which adds its inner
    blocks into the bias in turn)."""
    B = x.shape[0]
    b3 = 0 if bias is None else bias.reshape(1, -1, 1)
    if any(p):
        # padded a chunk of frames at a time (a padded copy of the whole input was 4.5 MB
        # of the residual block's peak)
        def unfold(lo: int, hi: int) -> None:
            unf = _unfold_view(x[lo:hi], k, d, p, dil, out)
            np.copyto(cols3[lo:hi].reshape(unf.shape), unf)
            y3[lo:hi] = b3

    else:
        unf = _unfold_view(x, k, d, p, dil, out)
        colsv = cols3.reshape(unf.shape)

        def unfold(lo: int, hi: int) -> None:
            np.copyto(colsv[lo:hi], unf[lo:hi])
            y3[lo:hi] = b3

    gemm = blas.gemm_frames_plan(y3, 1, _every(w2, B), cols3, 1)
    # (frames side by side, as the gradient's, gained nothing here: LeNet's first layer 9.8
    # against 9.1 ms, the residual block's 10.3 against 9.4 ms on two threads)
    _in_turn(unfold, gemm, B, cols3[0].size)


def conv_grad_input(g3, w2, C, S, k, d, p, dil, out, gcols3, gx) -> None:
    """THNN's gradInput, bit for bit: for each frame, fgradInput[b] (gcols3[b]) = weight^T
    gradOutput[b] (a beta-0 gemm), then gradInput[b] zeroed and the columns summed back onto
    their input positions, kernel offsets in order (col2im)."""
    B = g3.shape[0]
    gemm = blas.gemm_frames_plan(gcols3, 1, _every(w2.T, B), g3, 0)
    sums = _native.col2im_planes(gcols3, gx, C, k, d, p, dil, out)
    if sums is not None:
        # THNN's loop, in C without the GIL: frames side by side overlap one thread's sums
        # with the other's products
        frame = gcols3[0].size * 2 + gemm_work(*gcols3.shape[1:], g3.shape[1])
        _by_frames(sums, gemm, B, gcols3[0].size, frame, after=True)
        return
    if gcols3.size <= _COL2IM_LIMIT:
        gemm(0, B)
        _col2im_small(gcols3, C, B, S, k, d, p, dil, out, gx)
        return
    if gx.dtype == np.float64 and out[-1] <= _BINCOUNT_ROWS:
        # short output rows: numpy's strided additions run loops of a few elements, and one
        # bincount a chunk through a table of targets sums in the same order faster (LeNet's
        # second layer, rows of 10: 20.7 against 28.8 ms, its first, rows of 28: 11.4 against
        # 14.9 ms). bincount holds the GIL: frames side by side only overlap one thread's
        # products with the other's sums (12.8 against 13.1 ms). The table (8 bytes a column
        # element) is one frame's, each frame summed by its own bincount: a chunk's table
        # kept 0.9 MB for LeNet's first layer (frames' targets are apart: the same sums)
        table = _col2im_table(C, 1, tuple(S), tuple(k), tuple(d), tuple(p), tuple(dil), tuple(out))
        per = gx[0].size

        def sums(lo: int, hi: int) -> None:
            for b in range(lo, hi):
                res = np.bincount(table, weights=gcols3[b].reshape(-1), minlength=per + 1)
                np.copyto(gx[b].reshape(-1), res[:per])

        frame = gcols3[0].size * 2 + gemm_work(*gcols3.shape[1:], g3.shape[1])
        _by_frames(sums, gemm, B, gcols3[0].size, frame, after=True)
        return
    gc = gcols3.reshape((B, C) + tuple(k) + tuple(out))
    plan = _col2im_plan(tuple(S), tuple(k), tuple(d), tuple(p), tuple(dil), tuple(out))
    every = (slice(None), slice(None))

    def col2im(lo: int, hi: int) -> None:
        gxc, gcc = gx[lo:hi], gc[lo:hi]
        gxc.fill(0)
        for j, src, dst in plan:
            gxc[every + dst] += gcc[every + j + src]

    frame = gcols3[0].size * 2 + gemm_work(*gcols3.shape[1:], g3.shape[1])
    _by_frames(col2im, gemm, B, gcols3[0].size, frame, after=True, op_size=gx[0].size)


def conv_grad_params(g3: np.ndarray, cols3: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sum of gradOutput_b finput_b^T, sum of gradOutput per output plane) over the frames,
    for a gradWeight BLAS cannot write in place (THNN refuses those: any order will do)."""
    gw = np.einsum("bol,bkl->ok", g3, cols3)
    return gw, g3.sum(axis=(0, 2))


def conv_grad_params_frames(
    g3: np.ndarray,
    cols3: np.ndarray,
    gw2: np.ndarray,
    gb: np.ndarray | None,
    scale: float,
    bias_gemv: bool = False,
) -> None:
    """THNN SpatialConvolutionMM's accGradParameters, frame by frame: gradWeight (gw2, viewed
    (nOut, C*K)) += scale * gradOutput_b finput_b^T with a beta-1 gemm, and each gradBias
    entry += scale * (the ``real`` sum of its gradOutput plane, in order). With bias_gemv,
    the bias gradient is the dilated kernels' BLAS gemv of gradOutput_b against ones."""
    B, nout, L = g3.shape
    real = g3.dtype.type
    blas.gemm_frames(_every(gw2, B), scale, g3, cols3.transpose(0, 2, 1), 1)
    if gb is None:
        return
    if bias_gemv:
        ones = np.ones(L, dtype=g3.dtype)
        for b in range(B):
            blas.gemv(gb, scale, g3[b], ones, 1)
        return
    sums = libm.seq_rows(np.ascontiguousarray(g3).reshape(B * nout, 1, L), g3.dtype)
    if sums is None:  # no LuaJIT loop on this thread: numpy's accumulate, a block at a time
        # (over the whole gradient it held a copy of it: 12.8 MB in LeNet's first layer)
        step = max(1, _SUM_BLOCK // max(1, nout * L))
        sums = np.concatenate(
            [accreal.seq(g3[b0 : b0 + step], 2, g3.dtype).reshape(-1) for b0 in range(0, B, step)]
        )
    # gradBias += scale * sum, frame after frame, in real: an accumulation down the frames
    steps = np.empty((B + 1, nout), dtype=g3.dtype)
    steps[0] = gb
    np.multiply(sums.reshape(B, nout), real(scale), out=steps[1:])
    gb[...] = np.add.accumulate(steps, axis=0)[-1]


_SUM_BLOCK = 1 << 17  # elements of gradOutput per block of the bias sums without LuaJIT


# ------------------------------------------------------------------- module-shaped wrappers


_GEOMETRIES: dict[tuple, tuple] = {}


class _Conv:
    """Geometry of one convolution call: n spatial dims, sizes in array order (T, H, W)."""

    def __init__(
        self, input: Tensor, weight: Tensor, k, d, p, dil, n: int, nplanes: int, nout: int
    ) -> None:
        self.k, self.d, self.p, self.dil, self.n = k, d, p, dil, n
        self.nout = nout
        wsize = weight.nelement()
        # the checks and sizes of a geometry seen before (the Jacobian checks call a module
        # thousands of times on one geometry)
        key = (input.size, input.ttype, weight.ttype, wsize, k, d, p, dil, n, nplanes, nout)
        found = _GEOMETRIES.get(key)
        if found is None:
            found = self._geometry(input, weight, nplanes)
            if len(_GEOMETRIES) > 256:
                _GEOMETRIES.clear()
            _GEOMETRIES[key] = found
        self.batch, self.out, self.K, self.L = found
        self.x = input.arr if self.batch else input.arr[None]
        self.B, self.C = self.x.shape[:2]
        self.S = self.x.shape[2:]
        # locally connected weights (one filter bank per output position) are viewed later
        if wsize == nout * nplanes * self.K:
            self.w2 = weight.arr.reshape(nout, nplanes * self.K)

    def _geometry(self, input: Tensor, weight: Tensor, nplanes: int) -> tuple:
        """THNN's checks, in its order and words; (batch, out, K, L)."""
        k, d, p, dil, n = self.k, self.d, self.p, self.dil, self.n
        check_window(k, d, dil)
        x, batch = batchify(input, n, expected(n, n != 2))
        S = x.shape[2:]
        out = tuple(conv_out(S[i], k[i], d[i], p[i], dil[i]) for i in range(n))
        _check_conv(x, nplanes, S, out, self.nout, batch, n)
        if DTYPES[weight.ttype] != x.dtype:
            raise TorchError(f"expected {input.typename} weight, got {weight.typename}")
        return batch, out, math.prod(k), math.prod(out)

    def cols(self, finput: Tensor | None) -> np.ndarray:
        """The (C*K, B*L) column matrix of the locally connected kernels."""
        return buffer(finput, (self.C * self.K, self.B * self.L), self.x.dtype)

    def frame_shape(self) -> tuple[int, ...]:
        """THNN's finput: (B, C*K, L) in batch mode, (C*K, L) for a single frame."""
        shape = (self.B, self.C * self.K, self.L)
        return shape if self.batch else shape[1:]

    def frame_cols(self, t: Tensor | None) -> np.ndarray:
        """t resized to THNN's finput shape, seen (B, C*K, L)."""
        return buffer(t, self.frame_shape(), self.x.dtype).reshape(self.B, self.C * self.K, self.L)

    def forward(self, bias: Tensor | None, finput: Tensor | None, output: Tensor) -> None:
        y = out_view(output, (self.B, self.nout) + self.out, self.batch)
        cols3 = self.frame_cols(finput)
        conv_forward(
            self.x, self.w2, None if bias is None else bias.arr, self.k, self.d, self.p,
            self.dil, self.out, cols3, y.reshape(self.B, self.nout, self.L),
        )  # fmt: skip

    def grad_input(self, gradOutput: Tensor, gradInput: Tensor, fgradInput: Tensor | None) -> None:
        g3 = self.grad_output(gradOutput).reshape(self.B, self.nout, self.L)
        gx = out_view(gradInput, self.x.shape, self.batch)
        gcols3 = self.frame_cols(fgradInput)
        conv_grad_input(
            g3, self.w2, self.C, self.S, self.k, self.d, self.p, self.dil, self.out, gcols3, gx
        )

    def grad_params(
        self,
        gradOutput: Tensor,
        gradWeight: Tensor,
        gradBias: Tensor | None,
        finput: Tensor | None,
        scale: float,
        bias_gemv: bool = False,
    ) -> None:
        g3 = self.grad_output(gradOutput).reshape(self.B, self.nout, self.L)
        if (
            finput is not None
            and finput.size == self.frame_shape()
            and DTYPES[finput.ttype] == g3.dtype
            and finput.is_contiguous()
        ):
            cols3 = finput.arr.reshape(self.B, self.C * self.K, self.L)
        else:  # accGradParameters without a forward on this input: unfold again
            cols3 = scratch("conv_cols", (self.B, self.C * self.K, self.L), g3.dtype)
            unf = _unfold_view(self.x, self.k, self.d, self.p, self.dil, self.out)
            np.copyto(cols3.reshape(unf.shape), unf)
        gw2 = gradWeight.arr.reshape(self.nout, -1)
        if not np.shares_memory(gw2, gradWeight.arr):  # not contiguous: THNN refuses these
            gw, gb = conv_grad_params(g3, cols3)
            accumulate(gradWeight, gw, scale)
            accumulate(gradBias, gb, scale)
            return
        gb = None if gradBias is None else gradBias.arr
        conv_grad_params_frames(g3, cols3, gw2, gb, scale, bias_gemv)

    def grad_output(self, gradOutput: Tensor) -> np.ndarray:
        return grad_output(gradOutput, (self.B, self.nout) + self.out, self.batch)


def _conv2d(input, weight, kW, kH, dW, dH, padW, padH, dilW=1, dilH=1) -> _Conv:
    nout = weight.size[0]
    if weight.dim() == 2:
        nplanes = weight.size[1] // (kW * kH)
    elif weight.dim() == 4:
        nplanes = weight.size[1]
    else:
        raise TorchError(f"2D or 4D weight tensor expected, but got: {sizes(weight)}")
    return _Conv(input, weight, (kH, kW), (dH, dW), (padH, padW), (dilH, dilW), 2, nplanes, nout)


def SpatialConvolutionMM_updateOutput(
    input: Tensor,
    output: Tensor,
    weight: Tensor,
    bias: Tensor | None,
    finput: Tensor,
    fgradInput: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
) -> None:
    _conv2d(input, weight, kW, kH, dW, dH, padW, padH).forward(bias, finput, output)


def SpatialConvolutionMM_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    weight: Tensor,
    finput: Tensor,
    fgradInput: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
) -> None:
    _conv2d(input, weight, kW, kH, dW, dH, padW, padH).grad_input(gradOutput, gradInput, fgradInput)


def SpatialConvolutionMM_accGradParameters(
    input: Tensor,
    gradOutput: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor | None,
    finput: Tensor,
    fgradInput: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
    scale: float,
) -> None:
    _conv2d(input, gradWeight, kW, kH, dW, dH, padW, padH).grad_params(
        gradOutput, gradWeight, gradBias, finput, scale
    )


def SpatialDilatedConvolution_updateOutput(
    input: Tensor,
    output: Tensor,
    weight: Tensor,
    bias: Tensor | None,
    finput: Tensor,
    fgradInput: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
    dilationW: int,
    dilationH: int,
) -> None:
    _conv2d(input, weight, kW, kH, dW, dH, padW, padH, dilationW, dilationH).forward(
        bias, finput, output
    )


def SpatialDilatedConvolution_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    weight: Tensor,
    finput: Tensor,
    fgradInput: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
    dilationW: int,
    dilationH: int,
) -> None:
    _conv2d(input, weight, kW, kH, dW, dH, padW, padH, dilationW, dilationH).grad_input(
        gradOutput, gradInput, fgradInput
    )


def SpatialDilatedConvolution_accGradParameters(
    input: Tensor,
    gradOutput: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor | None,
    finput: Tensor,
    fgradInput: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
    dilationW: int,
    dilationH: int,
    scale: float,
) -> None:
    _conv2d(input, gradWeight, kW, kH, dW, dH, padW, padH, dilationW, dilationH).grad_params(
        gradOutput, gradWeight, gradBias, finput, scale, bias_gemv=True
    )


def _conv3d(input, weight, kT, kW, kH, dT, dW, dH, pT, pW, pH) -> _Conv:
    if weight.dim() not in (2, 5):
        raise TorchError(f"2D or 5D weight tensor expected, but got: {sizes(weight)}")
    nplanes = weight.size[1] if weight.dim() == 5 else weight.size[1] // (kT * kW * kH)
    k, d, p = args3(kT, kW, kH, dT, dW, dH, pT, pW, pH)
    return _Conv(input, weight, k, d, p, (1, 1, 1), 3, nplanes, weight.size[0])


def VolumetricConvolutionMM_updateOutput(
    input: Tensor,
    output: Tensor,
    weight: Tensor,
    bias: Tensor | None,
    finput: Tensor,
    fgradInput: Tensor,
    kT: int,
    kW: int,
    kH: int,
    dT: int,
    dW: int,
    dH: int,
    pT: int,
    pW: int,
    pH: int,
) -> None:
    _conv3d(input, weight, kT, kW, kH, dT, dW, dH, pT, pW, pH).forward(bias, finput, output)


def VolumetricConvolutionMM_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    weight: Tensor,
    finput: Tensor,
    fgradInput: Tensor,
    kT: int,
    kW: int,
    kH: int,
    dT: int,
    dW: int,
    dH: int,
    pT: int,
    pW: int,
    pH: int,
) -> None:
    _conv3d(input, weight, kT, kW, kH, dT, dW, dH, pT, pW, pH).grad_input(
        gradOutput, gradInput, fgradInput
    )


def VolumetricConvolutionMM_accGradParameters(
    input: Tensor,
    gradOutput: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor | None,
    finput: Tensor,
    fgradInput: Tensor,
    kT: int,
    kW: int,
    kH: int,
    dT: int,
    dW: int,
    dH: int,
    pT: int,
    pW: int,
    pH: int,
    scale: float,
) -> None:
    _conv3d(input, gradWeight, kT, kW, kH, dT, dW, dH, pT, pW, pH).grad_params(
        gradOutput, gradWeight, gradBias, finput, scale
    )


# ------------------------------------------------------------------------- temporal (1D)


def _frame_windows(a: np.ndarray, k: int, rows: int, step: int, width: int) -> np.ndarray:
    """The (rows, width) matrix of a contiguous (T, F) array starting at frame k whose rows are
    ``step`` frames apart (THNN's setStorage2d windows)."""
    F = a.shape[1]
    flat = a.reshape(-1)[k * F :]
    item = a.itemsize
    return np.lib.stride_tricks.as_strided(flat, (rows, width), (step * F * item, item))


def _temporal_passes(T: int, oT: int, kW: int, dW: int):
    """THNN's loop over output frames: pass k covers output frames k, k + ofs, ... (ofs =
    (kW-1)/dW + 1, so that the input windows of one pass never overlap) with one addmm; yields
    (k, number of frames, output frame step, input frame step)."""
    ofs = (kW - 1) // dW + 1
    ifs = ofs * dW
    k = 0
    while oT > 0:
        n = (T - k * dW - kW) // ifs + 1
        oT -= n
        yield k, n, ofs, ifs
        k += 1


def _temporal_input(input: Tensor, kW: int, dW: int, F: int | None) -> np.ndarray:
    check_temporal(kW, dW)
    return np.ascontiguousarray(temporal_frames(input, kW, F))


def TemporalConvolution_updateOutput(
    input: Tensor,
    output: Tensor,
    weight: Tensor,
    bias: Tensor,
    kW: int,
    dW: int,
    inputFrameSize: int,
    outputFrameSize: int,
) -> None:
    # THNN: each output frame starts as a copy of the bias, then one addmm per pass of
    # _temporal_passes and batch item adds windows x weight^T (beta 1) into it
    x = _temporal_input(input, kW, dW, inputFrameSize)
    B, T, F = x.shape
    oT = (T - kW) // dW + 1
    y = out_view(output, (B, oT, outputFrameSize), input.dim() == 3)
    w = weight.arr.reshape(outputFrameSize, kW * F)
    y[...] = bias.arr.reshape(1, 1, -1)
    for b in range(B):
        for k, n, ofs, ifs in _temporal_passes(T, oT, kW, dW):
            rows = _frame_windows(y[b], k, n, ofs, outputFrameSize)
            blas.gemm(rows, 1.0, _frame_windows(x[b], k * dW, n, ifs, kW * F), w.T, 1.0)


def TemporalConvolution_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, weight: Tensor, kW: int, dW: int
) -> None:
    # THNN: gradInput zeroed, then per pass and batch item windows += gradOutput rows x weight
    F = input.size[-1]
    x = _temporal_input(input, kW, dW, F)
    B, T, _ = x.shape
    batch = input.dim() == 3
    g = np.ascontiguousarray(gradOutput.arr if batch else gradOutput.arr[None])
    oT, nout = g.shape[1], g.shape[2]
    gx = out_view(gradInput, (B, T, F), batch)
    gx[...] = 0
    w = weight.arr.reshape(nout, kW * F)
    for b in range(B):
        for k, n, ofs, ifs in _temporal_passes(T, oT, kW, dW):
            rows = _frame_windows(gx[b], k * dW, n, ifs, kW * F)
            blas.gemm(rows, 1.0, _frame_windows(g[b], k, n, ofs, nout), w, 1.0)


def TemporalConvolution_accGradParameters(
    input: Tensor,
    gradOutput: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor,
    kW: int,
    dW: int,
    scale: float,
) -> None:
    # THNN, per batch item: gradBias += scale * each gradOutput frame in turn (in-place cadd:
    # BLAS axpy), then gradWeight += scale * rows^T x windows per pass (addmm, beta 1)
    F = input.size[-1]
    x = _temporal_input(input, kW, dW, F)
    B, T, _ = x.shape
    g = np.ascontiguousarray(gradOutput.arr if input.dim() == 3 else gradOutput.arr[None])
    oT, nout = g.shape[1], g.shape[2]
    gw = gradWeight.arr.reshape(nout, kW * F)  # a copy only when gradWeight is not contiguous
    gb = gradBias.arr
    real = g.dtype.type
    for b in range(B):
        if scale == 1:
            # axpy with alpha 1 is the plain sum, frame after frame
            steps = np.concatenate([gb.reshape(1, -1), g[b]])
            gb[...] = accreal.seq(steps, axis=0, dtype=real).reshape(gb.shape)
        else:
            for t in range(oT):
                blas.axpy(gb, scale, g[b, t])
        for k, n, ofs, ifs in _temporal_passes(T, oT, kW, dW):
            rows = _frame_windows(g[b], k, n, ofs, nout)
            blas.gemm(gw, scale, rows.T, _frame_windows(x[b], k * dW, n, ifs, kW * F), 1.0)
    if not np.shares_memory(gw, gradWeight.arr):
        gradWeight.arr[...] = gw.reshape(gradWeight.arr.shape)


# -------------------------------------------------------------- full (transposed) convolution


class _Full:
    def __init__(self, input: Tensor, weight: Tensor, k, d, p, adj, n: int) -> None:
        check_window(k, d)
        for i in range(n):
            if adj[i] >= d[i] and adj[i] >= 1 and adj[i] > p[i] + d[i] - 1:
                raise TorchError("adj should be smaller than stride or dilation")
        self.x, self.batch = batchify(input, n, expected(n, n != 2))
        self.k, self.d, self.p, self.adj, self.n = k, d, p, adj, n
        self.B, self.C = self.x.shape[:2]
        self.S = self.x.shape[2:]
        nin = weight.size[0]
        self.nout = weight.size[1]
        self.out = tuple((self.S[i] - 1) * d[i] - 2 * p[i] + k[i] + adj[i] for i in range(n))
        _check_conv(self.x, nin, self.S, self.out, self.nout, self.batch, n)
        self.K = math.prod(k)
        self.Lin = math.prod(self.S)
        self.w2 = weight.arr.reshape(nin, self.nout * self.K)
        self.ones = (1,) * n

    def frame_cols(self, t: Tensor | None) -> np.ndarray:
        """t resized to (B, nOut*K, Lin) (THNN's per-frame columns, (nOut*K, Lin), one frame
        after the other), as a contiguous array; a scratch buffer when t is None."""
        shape = (self.B, self.nout * self.K, self.Lin)
        if t is None:
            return scratch("full_cols", shape, self.x.dtype)
        return buffer(t, shape if self.batch else shape[1:], self.x.dtype).reshape(shape)

    def forward(self, bias: Tensor | None, finput: Tensor | None, output: Tensor) -> None:
        # THNN, per batch item: columns = weight^T input_b (gemm, beta 0), col2im into the
        # zeroed output, then the bias added (a gemm of ones and bias with k = 1: plain
        # additions)
        B = self.B
        x3 = self.x.reshape(B, self.C, self.Lin)
        cols3 = self.frame_cols(finput)
        gemm = blas.gemm_frames_plan(cols3, 1, _every(self.w2.T, B), x3, 0)
        y = out_view(output, (B, self.nout) + self.out, self.batch)
        b = None if bias is None else bias.arr.reshape((1, self.nout) + self.ones)
        geometry = (self.out, self.k, self.d, self.p, self.ones, self.S)
        if cols3.size <= _COL2IM_LIMIT:
            gemm(0, B)
            _col2im_small(cols3, self.nout, B, *geometry, y)
            if b is not None:
                y += b
            return
        gc = cols3.reshape((B, self.nout) + self.k + self.S)
        plan = _col2im_plan(*geometry)
        every = (slice(None), slice(None))

        def col2im(lo: int, hi: int) -> None:
            yc, gcc = y[lo:hi], gc[lo:hi]
            yc.fill(0)
            for j, src, dst in plan:
                yc[every + dst] += gcc[every + j + src]
            if b is not None:
                yc += b

        _in_turn(col2im, gemm, B, cols3[0].size, after=True, op_size=y[0].size)

    def grad_cols(self, gradOutput: Tensor, buf: Tensor | None) -> np.ndarray:
        """THNN's gradColumns of every frame, (B, nOut*K, Lin): im2col of gradOutput."""
        g = grad_output(gradOutput, (self.B, self.nout) + self.out, self.batch)
        gcols3 = self.frame_cols(buf)
        # the windows reach at most p past the end (the adj rows are never read)
        unf = _unfold_view(g, self.k, self.d, self.p, self.ones, self.S)
        np.copyto(gcols3.reshape(unf.shape), unf)
        return gcols3

    def grad_input(self, gradOutput: Tensor, gradInput: Tensor, buf: Tensor | None) -> None:
        # THNN, per batch item: gradInput_b = weight gradColumns_b (gemm, beta 0)
        gcols3 = self.grad_cols(gradOutput, buf)
        gx = out_view(gradInput, self.x.shape, self.batch).reshape(self.B, self.C, self.Lin)
        blas.gemm_frames(gx, 1, _every(self.w2, self.B), gcols3, 0)

    def grad_params(
        self, gradOutput: Tensor, gradWeight: Tensor, gradBias: Tensor | None, scale: float
    ) -> None:
        # THNN, per batch item: gradWeight += scale input_b gradColumns_b^T (gemm, beta 1) and
        # gradBias += scale gradOutput_b ones (gemv, beta 1)
        gcols3 = self.grad_cols(gradOutput, None)
        B = self.B
        x3 = self.x.reshape(B, self.C, self.Lin)
        gw2 = gradWeight.arr.reshape(self.C, self.nout * self.K)
        blas.gemm_frames(_every(gw2, B), scale, x3, gcols3.transpose(0, 2, 1), 1)
        if gradBias is not None:
            g = grad_output(gradOutput, (B, self.nout) + self.out, self.batch)
            g3 = g.reshape(B, self.nout, -1)
            ones = np.ones(g3.shape[2], dtype=g.dtype)
            for b in range(B):
                blas.gemv(gradBias.arr, scale, g3[b], ones, 1.0)
        if not np.shares_memory(gw2, gradWeight.arr):
            gradWeight.arr[...] = gw2.reshape(gradWeight.arr.shape)


def _full2(input: Tensor, weight: Tensor, *args: int) -> _Full:
    """A spatial full convolution from THNN's (kW, kH, dW, dH, padW, padH, adjW, adjH)."""
    return _Full(input, weight, *args2(*args), 2)


def _full3(input: Tensor, weight: Tensor, *args: int) -> _Full:
    """A volumetric full convolution from THNN's (kT, kW, kH, dT, ..., aT, aW, aH)."""
    return _Full(input, weight, *args3(*args), 3)


def SpatialFullConvolution_updateOutput(
    input: Tensor,
    output: Tensor,
    weight: Tensor,
    bias: Tensor | None,
    finput: Tensor,
    fgradInput: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
    adjW: int,
    adjH: int,
) -> None:
    _full2(input, weight, kW, kH, dW, dH, padW, padH, adjW, adjH).forward(bias, finput, output)


def SpatialFullConvolution_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    weight: Tensor,
    finput: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
    adjW: int,
    adjH: int,
) -> None:
    _full2(input, weight, kW, kH, dW, dH, padW, padH, adjW, adjH).grad_input(
        gradOutput, gradInput, finput
    )


def SpatialFullConvolution_accGradParameters(
    input: Tensor,
    gradOutput: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor | None,
    finput: Tensor,
    fgradInput: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
    adjW: int,
    adjH: int,
    scale: float,
) -> None:
    _full2(input, gradWeight, kW, kH, dW, dH, padW, padH, adjW, adjH).grad_params(
        gradOutput, gradWeight, gradBias, scale
    )


def VolumetricFullConvolution_updateOutput(
    input: Tensor,
    output: Tensor,
    weight: Tensor,
    bias: Tensor | None,
    finput: Tensor,
    fgradInput: Tensor,
    kT: int,
    kW: int,
    kH: int,
    dT: int,
    dW: int,
    dH: int,
    pT: int,
    pW: int,
    pH: int,
    aT: int,
    aW: int,
    aH: int,
) -> None:
    _full3(input, weight, kT, kW, kH, dT, dW, dH, pT, pW, pH, aT, aW, aH).forward(
        bias, finput, output
    )


def VolumetricFullConvolution_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    weight: Tensor,
    finput: Tensor,
    fgradInput: Tensor,
    kT: int,
    kW: int,
    kH: int,
    dT: int,
    dW: int,
    dH: int,
    pT: int,
    pW: int,
    pH: int,
    aT: int,
    aW: int,
    aH: int,
) -> None:
    _full3(input, weight, kT, kW, kH, dT, dW, dH, pT, pW, pH, aT, aW, aH).grad_input(
        gradOutput, gradInput, finput
    )


def VolumetricFullConvolution_accGradParameters(
    input: Tensor,
    gradOutput: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor | None,
    finput: Tensor,
    fgradInput: Tensor,
    kT: int,
    kW: int,
    kH: int,
    dT: int,
    dW: int,
    dH: int,
    pT: int,
    pW: int,
    pH: int,
    aT: int,
    aW: int,
    aH: int,
    scale: float,
) -> None:
    _full3(input, gradWeight, kT, kW, kH, dT, dW, dH, pT, pW, pH, aT, aW, aH).grad_params(
        gradOutput, gradWeight, gradBias, scale
    )


# ------------------------------------------------------------------------ locally connected


def _local(input: Tensor, weight: Tensor, kW, kH, dW, dH, padW, padH, iW, iH, oW, oH):
    conv = _Conv(
        input,
        weight,
        (kH, kW),
        (dH, dW),
        (padH, padW),
        (1, 1),
        2,
        weight.size[3] if weight.dim() == 6 else weight.size[2] // (kW * kH),
        weight.size[2] if weight.dim() == 6 else weight.size[1],
    )
    if conv.S != (iH, iW):
        raise TorchError(
            f"input size ({fmt(conv.S[::-1])}) inconsistent with the module's ({iW}x{iH})"
        )
    conv.w3 = weight.arr.reshape(oH * oW, conv.nout, conv.C * conv.K)
    return conv


def SpatialConvolutionLocal_updateOutput(
    input: Tensor,
    output: Tensor,
    weight: Tensor,
    bias: Tensor,
    finput: Tensor,
    fgradInput: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
    iW: int,
    iH: int,
    oW: int,
    oH: int,
) -> None:
    c = _local(input, weight, kW, kH, dW, dH, padW, padH, iW, iH, oW, oH)
    cols = c.cols(finput)
    _im2col(c.x, c.k, c.d, c.p, c.dil, c.out, cols)
    # THNN: per batch item, the output starts as the bias and baddbmm adds, position by
    # position, that position's weights (nOut x C*K) times its window column (C*K x 1):
    # one addmm (a BLAS gemm of one column) each
    cols3 = cols.reshape(c.C * c.K, c.B, c.L)
    y = out_view(output, (c.B, c.nout) + c.out, c.batch).reshape(c.B, c.nout, c.L)
    y[...] = bias.arr.reshape(1, c.nout, c.L)
    # (the columns carry THNN's strides for their size-1 dimension: TH's addmm picks its BLAS
    # call by them)
    L, nout, ck = c.L, c.nout, c.C * c.K
    for b in range(c.B):
        fb = np.ascontiguousarray(cols3[:, b, :])  # (C*K, L): THNN's finput of this item
        yb = y[b]
        for pos in range(L):
            out_col = as_strided(yb[:, pos:], (nout, 1), (yb.strides[0], nout * L * yb.itemsize))
            in_col = as_strided(fb[:, pos:], (ck, 1), (fb.strides[0], ck * L * fb.itemsize))
            blas.gemm(out_col, 1.0, c.w3[pos], in_col, 1.0)


def SpatialConvolutionLocal_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    weight: Tensor,
    finput: Tensor,
    fgradInput: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
    iW: int,
    iH: int,
    oW: int,
    oH: int,
) -> None:
    c = _local(input, weight, kW, kH, dW, dH, padW, padH, iW, iH, oW, oH)
    g = c.grad_output(gradOutput).reshape(c.B, c.nout, c.L)
    # THNN: per batch item and position, the window column (C*K x 1) = the position's weights
    # transposed times its gradOutput column (baddbmm, beta 0), with THNN's strides
    L, nout, ck = c.L, c.nout, c.C * c.K
    gc = np.zeros((c.B, ck, L), dtype=c.x.dtype)
    for b in range(c.B):
        gb = np.ascontiguousarray(g[b])  # (nOut, L)
        cb = gc[b]
        for pos in range(L):
            col = as_strided(cb[:, pos:], (ck, 1), (cb.strides[0], ck * L * cb.itemsize))
            gcol = as_strided(gb[:, pos:], (nout, 1), (gb.strides[0], nout * L * gb.itemsize))
            blas.gemm(col, 1.0, c.w3[pos].T, gcol, 0.0)
    gcols = np.ascontiguousarray(gc.transpose(1, 0, 2)).reshape(ck, c.B * L)
    acc = _col2im(gcols, c.C, c.B, c.S, c.k, c.d, c.p, c.dil, c.out)
    np.copyto(out_view(gradInput, c.x.shape, c.batch), acc.swapaxes(0, 1))


def SpatialConvolutionLocal_accGradParameters(
    input: Tensor,
    gradOutput: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor,
    finput: Tensor,
    fgradInput: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
    iW: int,
    iH: int,
    oW: int,
    oH: int,
    scale: float,
) -> None:
    c = _local(input, gradWeight, kW, kH, dW, dH, padW, padH, iW, iH, oW, oH)
    g = c.grad_output(gradOutput).reshape(c.B, c.nout, c.L)
    cols = scratch("local_cols", (c.C * c.K, c.B * c.L), c.x.dtype)
    _im2col(c.x, c.k, c.d, c.p, c.dil, c.out, cols)
    # THNN, per batch item: a baddbmm whose products have an inner dimension of 1 (each
    # gradWeight[l] gets scale * gradOutput[:, l] x input columns[:, l]^T, one rounded product
    # per element added in real), then gradBias += scale * gradOutput (axpy). With scale 1
    # these are plain additions; another scale goes through BLAS itself.
    colsL = cols.reshape(c.C * c.K, c.B, c.L).transpose(1, 2, 0)  # (B, L, C*K)
    gw3 = gradWeight.arr.reshape(c.L, c.nout, c.C * c.K)
    gb = gradBias.arr.reshape(c.nout, c.L)
    for b in range(c.B):
        gl = g[b].T  # (L, nOut)
        if scale == 1:
            gw3 += gl[:, :, None] * colsL[b][:, None, :]
            gb += g[b]
            continue
        for pos in range(c.L):
            blas.gemm(gw3[pos], scale, gl[pos][:, None], colsL[b][pos][None, :], 1.0)
        blas.axpy(gb, scale, g[b])
    if not np.shares_memory(gw3, gradWeight.arr):
        gradWeight.arr[...] = gw3.reshape(gradWeight.arr.shape)
