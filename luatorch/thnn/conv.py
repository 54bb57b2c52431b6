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
from itertools import product

import numpy as np

from ..tensor import accreal, blas
from ..tensor.core import DTYPES, Tensor, TorchError
from ..tensor.threadpool import gemm_work, parallel
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
_COL2IM_TABLES: dict[tuple, np.ndarray] = {}


def _col2im_table(C, B, S, k, d, p, dil, out) -> np.ndarray:
    """Flat (B, C, *S) target of every column element (C, *k, B, *out), in the columns' order;
    padding positions go to the extra slot B*C*P."""
    key = (C, B, S, k, d, p, dil, out)
    table = _COL2IM_TABLES.get(key)
    if table is None:
        n = len(k)
        P = math.prod(S)
        # position along dim i of kernel offset j, output o: o * d - p + j * dil
        shape_all = (C,) + tuple(k) + (B,) + tuple(out)
        nd = len(shape_all)
        flat = np.zeros((1,) * nd, dtype=np.int64)
        inside = np.ones((1,) * nd, dtype=bool)
        st = 1
        for i in reversed(range(n)):
            jshape = [1] * nd
            jshape[1 + i] = k[i]
            oshape = [1] * nd
            oshape[2 + n + i] = out[i]
            a = (np.arange(out[i]) * d[i] - p[i]).reshape(oshape) + (
                np.arange(k[i]) * dil[i]
            ).reshape(jshape)
            flat = flat + a * st
            inside = inside & (a >= 0) & (a < S[i])
            st *= S[i]
        cshape = [1] * nd
        cshape[0] = C
        bshape = [1] * nd
        bshape[1 + n] = B
        plane = np.arange(B).reshape(bshape) * C + np.arange(C).reshape(cshape)
        table = np.where(inside, plane * P + flat, B * C * P).reshape(-1)
        if len(_COL2IM_TABLES) > 64:
            _COL2IM_TABLES.clear()
        _COL2IM_TABLES[key] = table
    return table


def _col2im_small(gcols, C, B, S, k, d, p, dil, out, gx) -> None:
    """gx (B, C, *S) = the columns gcols (C*K, B*L) summed back onto their input positions in
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
        raise TorchError(
            f"Given input size: ({fmt((nplanes,) + S)}). Calculated output size: "
            f"({fmt((nout,) + out)}). Output size is too small"
        )


def _frames(cols: np.ndarray, B: int) -> np.ndarray:
    """The (B, rows, L) stack of the batch items' column blocks cols[:, b*L:(b+1)*L] (a view,
    whatever cols' strides)."""
    rows, L = cols.shape[0], cols.shape[1] // B
    s0, s1 = cols.strides
    return np.lib.stride_tricks.as_strided(cols, (B, rows, L), (L * s1, s0, s1))


def _every(m: np.ndarray, B: int) -> np.ndarray:
    """m repeated for B frames (a zero-stride stack, no copy; writable: a gradient every frame
    adds into is one)."""
    return np.lib.stride_tricks.as_strided(m, (B,) + m.shape, (0,) + m.strides)


def _gT_part(g3: np.ndarray, gT: np.ndarray, L: int, lo: int, hi: int) -> np.ndarray:
    """Columns [lo*L, hi*L) of gT (nOut, B*L) from gradOutput g3 (B, nOut, L); returns them."""
    gt = gT[:, lo * L : hi * L]
    np.copyto(gt.reshape(gT.shape[0], hi - lo, L), g3[lo:hi].transpose(1, 0, 2))
    return gt


def conv_forward(
    x: np.ndarray,
    w2: np.ndarray,
    bias: np.ndarray | None,
    k,
    d,
    p,
    dil,
    cols: np.ndarray,
    y: np.ndarray,
    per_frame: bool = False,
) -> None:
    """y (B, nOut, L) = convolution of x (B, C, *S); cols (C*K, B*L) receives the unfolding.

    Batch items are split over threads; each part unfolds its items, multiplies its block of
    columns and writes its outputs (one GEMM per part, no Python loop over items).

    ``per_frame``: THNN's SpatialConvolutionMM order instead, bit for bit: for each batch
    item, the output planes filled with the bias, then ``addmm(output, 1, output, 1, weight,
    finput)`` (a gemm with beta 1, which adds its inner blocks into the bias in turn)."""
    n = len(k)
    B, C = x.shape[:2]
    out = tuple(conv_out(x.shape[2 + i], k[i], d[i], p[i], dil[i]) for i in range(n))
    L = math.prod(out)
    nout, CK = w2.shape
    win = _unfolded(x, k, d, p, dil, out)
    colsv = cols.reshape((C,) + k + (B,) + out)
    b3 = None if bias is None else bias.reshape(1, nout, 1)
    ax = (slice(None),) * (1 + n)

    if per_frame:
        np.copyto(colsv, win)
        y[...] = 0 if bias is None else bias.reshape(1, nout, 1)
        blas.gemm_frames(y, 1, _every(w2, B), _frames(cols, B), 1)
        return

    res = scratch("conv_res", (nout, B * L), x.dtype)

    def part(lo: int, hi: int) -> None:
        np.copyto(colsv[ax + (slice(lo, hi),)], win[ax + (slice(lo, hi),)])
        r = res[:, lo * L : hi * L]
        np.matmul(w2, cols[:, lo * L : hi * L], out=r)
        r = r.reshape(nout, hi - lo, L).transpose(1, 0, 2)
        if b3 is None:
            np.copyto(y[lo:hi], r)
        else:
            np.add(r, b3, out=y[lo:hi])

    parallel(part, B, gemm_work(nout, CK, B * L) + cols.size)


def conv_grad_input(
    g: np.ndarray,
    w2: np.ndarray,
    C: int,
    S: tuple[int, ...],
    k,
    d,
    p,
    dil,
    out: tuple[int, ...],
    gcols: np.ndarray,
    gx: np.ndarray,
    per_frame: bool = False,
) -> None:
    """gx (B, C, *S) = gradient of the convolution w.r.t. its input, gradOutput g (B, nOut, L).

    Split over batch items: each part multiplies its columns of gradOutput and sums them back
    onto its own input items (col2im), so parts never write the same memory."""
    B = g.shape[0]
    nout, CK = w2.shape
    L = math.prod(out)
    g3 = g.reshape(B, nout, L)
    # the per-frame products read gradOutput in place: no transposed copy
    gT = None if per_frame else scratch("conv_gT", (nout, B * L), g.dtype)
    gc = gcols.reshape((C,) + k + (B,) + out)
    inner = interior(p, S)
    wT = w2.T

    if per_frame and gcols.size <= _COL2IM_LIMIT:
        blas.gemm_frames(_frames(gcols, B), 1, _every(wT, B), g3, 0)
        _col2im_small(gcols, C, B, S, k, d, p, dil, out, gx)
        return
    # without padding the windows sum straight into gradInput, seen (C, B, *S): the same
    # additions in the same order, without a scratch copy of the input's size
    direct = not any(p) and scatter_extent(S, k, d, p, dil, out) == tuple(S)
    acc = gx.swapaxes(0, 1) if direct else _col2im_acc(C, B, S, k, d, p, dil, out, g.dtype)

    def part(lo: int, hi: int) -> None:
        if per_frame:  # THNN: fgradInput = weight^T gradOutput (beta 0), one item at a time
            blas.gemm_frames(_frames(gcols, B)[lo:hi], 1, _every(wT, hi - lo), g3[lo:hi], 0)
        else:
            gt = _gT_part(g3, gT, L, lo, hi)
            np.matmul(wT, gt, out=gcols[:, lo * L : hi * L])
        _col2im_part(gc, acc, k, d, dil, out, lo, hi)
        if not direct:
            np.copyto(gx[lo:hi], acc[inner][:, lo:hi].swapaxes(0, 1))

    parallel(part, B, gemm_work(nout, CK, B * L) + gcols.size)


def conv_grad_params(g: np.ndarray, cols: np.ndarray, nout: int) -> tuple[np.ndarray, np.ndarray]:
    """(G @ cols^T, sum of G per output plane) for g (B, nOut, L); the batch is split over
    threads and the partial products summed."""
    B = g.shape[0]
    CK = cols.shape[0]
    L = cols.shape[1] // B
    g3 = g.reshape(B, nout, L)
    gT = scratch("conv_gT", (nout, B * L), g.dtype)

    def part(lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        gt = _gT_part(g3, gT, L, lo, hi)
        return gt @ cols[:, lo * L : hi * L].T, gt.sum(1)

    parts = parallel(part, B, gemm_work(nout, CK, B * L) + cols.size)
    gw, gb = parts[0]
    for w, b in parts[1:]:
        gw += w
        gb += b
    return gw, gb


def conv_grad_params_frames(
    g: np.ndarray,
    cols: np.ndarray,
    gw2: np.ndarray,
    gb: np.ndarray | None,
    scale: float,
    bias_gemv: bool = False,
) -> None:
    """THNN SpatialConvolutionMM's accGradParameters, item by item: gradWeight (gw2, viewed
    (nOut, C*K)) += scale * gradOutput_b finput_b^T with a beta-1 gemm, and each gradBias
    entry += scale * (the ``real`` sum of its gradOutput plane, in order). With bias_gemv,
    the bias gradient is the dilated kernels' BLAS gemv of gradOutput_b against ones."""
    B, nout = g.shape[:2]
    L = cols.shape[1] // B
    g3 = g.reshape(B, nout, L)
    real = g.dtype.type
    blas.gemm_frames(_every(gw2, B), scale, g3, _frames(cols, B).transpose(0, 2, 1), 1)
    if gb is None:
        return
    if bias_gemv:
        ones = np.ones(L, dtype=g.dtype)
        for b in range(B):
            blas.gemv(gb, scale, g3[b], ones, 1)
        return
    # each plane's ``real`` sum, in order, for a block of frames at a time: one accumulate over
    # the whole gradient held a copy of it (12.8 MB in LeNet's first layer)
    step = max(1, _SUM_BLOCK // max(1, nout * L))
    for b0 in range(0, B, step):
        for s in accreal.seq(g3[b0 : b0 + step], 2, g.dtype):
            gb += real(scale) * s


_SUM_BLOCK = 1 << 17  # elements of gradOutput per block of conv_grad_params_frames' bias sums


# ------------------------------------------------------------------- module-shaped wrappers


class _Conv:
    """Geometry of one convolution call: n spatial dims, sizes in array order (T, H, W)."""

    def __init__(
        self, input: Tensor, weight: Tensor, k, d, p, dil, n: int, nplanes: int, nout: int
    ) -> None:
        check_window(k, d, dil)
        self.x, self.batch = batchify(input, n, expected(n))
        self.k, self.d, self.p, self.dil, self.n = k, d, p, dil, n
        self.B, self.C = self.x.shape[:2]
        self.S = self.x.shape[2:]
        self.out = tuple(conv_out(self.S[i], k[i], d[i], p[i], dil[i]) for i in range(n))
        self.K = math.prod(k)
        self.L = math.prod(self.out)
        self.nout = nout
        _check_conv(self.x, nplanes, self.S, self.out, nout, self.batch, n)
        if DTYPES[weight.ttype] != self.x.dtype:
            raise TorchError(f"expected {input.typename} weight, got {weight.typename}")
        # locally connected weights (one filter bank per output position) are viewed later
        if weight.nelement() == nout * nplanes * self.K:
            self.w2 = weight.arr.reshape(nout, nplanes * self.K)

    def cols(self, finput: Tensor | None) -> np.ndarray:
        return buffer(finput, (self.C * self.K, self.B * self.L), self.x.dtype)

    def forward(self, bias: Tensor | None, finput: Tensor | None, output: Tensor) -> None:
        y = out_view(output, (self.B, self.nout) + self.out, self.batch)
        conv_forward(
            self.x,
            self.w2,
            None if bias is None else bias.arr,
            self.k,
            self.d,
            self.p,
            self.dil,
            self.cols(finput),
            y.reshape(self.B, self.nout, self.L),
            per_frame=True,
        )

    def grad_input(self, gradOutput: Tensor, gradInput: Tensor, fgradInput: Tensor | None) -> None:
        g = self.grad_output(gradOutput)
        gx = out_view(gradInput, self.x.shape, self.batch)
        gcols = buffer(fgradInput, (self.C * self.K, self.B * self.L), self.x.dtype)
        conv_grad_input(
            g,
            self.w2,
            self.C,
            self.S,
            self.k,
            self.d,
            self.p,
            self.dil,
            self.out,
            gcols,
            gx,
            per_frame=True,
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
        g = self.grad_output(gradOutput)
        shape = (self.C * self.K, self.B * self.L)
        if finput is not None and finput.size == shape and DTYPES[finput.ttype] == g.dtype:
            cols = finput.arr
        else:  # accGradParameters without a forward on this input: unfold again
            cols = scratch("conv_cols", shape, g.dtype)
            _im2col(self.x, self.k, self.d, self.p, self.dil, self.out, cols)
        gw2 = gradWeight.arr.reshape(self.nout, -1)
        if not np.shares_memory(gw2, gradWeight.arr):  # not contiguous: THNN refuses these
            gw, gb = conv_grad_params(g, cols, self.nout)
            accumulate(gradWeight, gw, scale)
            accumulate(gradBias, gb, scale)
            return
        gb = None if gradBias is None else gradBias.arr
        conv_grad_params_frames(g, cols, gw2, gb, scale, bias_gemv)

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
        self.x, self.batch = batchify(input, n, expected(n))
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

    def forward(self, bias: Tensor | None, finput: Tensor | None, output: Tensor) -> None:
        # THNN, per batch item: columns = weight^T input_b (gemm, beta 0), col2im into the
        # output, then the bias added (a gemm of ones and bias with k = 1: plain additions)
        x3 = self.x.reshape(self.B, self.C, self.Lin)
        cols = buffer(finput, (self.nout * self.K, self.B * self.Lin), self.x.dtype)
        for b in range(self.B):
            blas.gemm(cols[:, b * self.Lin : (b + 1) * self.Lin], 1.0, self.w2.T, x3[b], 0.0)
        acc = _col2im(cols, self.nout, self.B, self.out, self.k, self.d, self.p, self.ones, self.S)
        y = out_view(output, (self.B, self.nout) + self.out, self.batch)
        if bias is not None:
            np.add(acc.swapaxes(0, 1), bias.arr.reshape((1, self.nout) + self.ones), out=y)
        else:
            np.copyto(y, acc.swapaxes(0, 1))

    def grad_cols(self, gradOutput: Tensor, buf: Tensor | None) -> np.ndarray:
        g = grad_output(gradOutput, (self.B, self.nout) + self.out, self.batch)
        gcols = buffer(buf, (self.nout * self.K, self.B * self.Lin), self.x.dtype)
        # windows past the end (the adj rows) are never read; pad enough to keep views in range
        after = tuple(
            max(self.p[i], (self.S[i] - 1) * self.d[i] + self.k[i] - self.out[i] - self.p[i])
            for i in range(self.n)
        )
        gp = pad(g, self.p, after, 0.0, "full_gpad")
        win = windows(gp, self.k, self.d, self.ones, self.S)
        np.copyto(
            gcols.reshape((self.nout,) + self.k + (self.B,) + self.S), win.transpose(_perm(self.n))
        )
        return gcols

    def grad_input(self, gradOutput: Tensor, gradInput: Tensor, buf: Tensor | None) -> None:
        # THNN, per batch item: gradInput_b = weight gradColumns_b (gemm, beta 0)
        gcols = self.grad_cols(gradOutput, buf)
        gx = out_view(gradInput, self.x.shape, self.batch).reshape(self.B, self.C, self.Lin)
        for b in range(self.B):
            blas.gemm(gx[b], 1.0, self.w2, gcols[:, b * self.Lin : (b + 1) * self.Lin], 0.0)

    def grad_params(
        self, gradOutput: Tensor, gradWeight: Tensor, gradBias: Tensor | None, scale: float
    ) -> None:
        # THNN, per batch item: gradWeight += scale input_b gradColumns_b^T (gemm, beta 1) and
        # gradBias += scale gradOutput_b ones (gemv, beta 1)
        gcols = self.grad_cols(gradOutput, None)
        x3 = self.x.reshape(self.B, self.C, self.Lin)
        gw2 = gradWeight.arr.reshape(self.C, self.nout * self.K)
        g = grad_output(gradOutput, (self.B, self.nout) + self.out, self.batch)
        g3 = g.reshape(self.B, self.nout, -1)
        ones = np.ones(g3.shape[2], dtype=g.dtype)
        for b in range(self.B):
            blas.gemm(gw2, scale, x3[b], gcols[:, b * self.Lin : (b + 1) * self.Lin].T, 1.0)
            if gradBias is not None:
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
    colsL = np.ascontiguousarray(cols.reshape(c.C * c.K, c.B, c.L).transpose(2, 0, 1))
    res = np.matmul(c.w3, colsL)  # (L, nOut, B)
    y = out_view(output, (c.B, c.nout) + c.out, c.batch).reshape(c.B, c.nout, c.L)
    np.add(res.transpose(2, 1, 0), bias.arr.reshape(1, c.nout, c.L), out=y)


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
    gL = np.ascontiguousarray(g.transpose(2, 1, 0))  # (L, nOut, B)
    gcolsL = np.matmul(c.w3.transpose(0, 2, 1), gL)  # (L, C*K, B)
    gcols = np.ascontiguousarray(gcolsL.transpose(1, 2, 0)).reshape(c.C * c.K, c.B * c.L)
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
