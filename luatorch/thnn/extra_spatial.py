"""Less common spatial and volumetric kernels: sub-sampling, connection-table convolutions,
fractional max pooling, dilated 3D convolution, 3D max unpooling and 3D replication padding.

Arrays are handled as (B, C, *S) with a leading batch axis added for single samples. Windows are
strided numpy views; loops run over kernel offsets only, never over elements or batch items.
Connection-table convolutions gather the planes each connection reads and reduce the per-
connection results onto their target planes with a one-hot matrix product.
"""

from __future__ import annotations

from itertools import product

import numpy as np

from ..tensor import accreal
from ..tensor.core import DTYPES, Tensor, TorchError
from ._grid import (
    args3,
    batchify,
    check_window,
    conv_out,
    expected,
    grad_output,
    scatter_planes,
    sizes,
    window_slices,
    windows,
)
from ._thconv import full_conv, valid_xcorr, valid_xcorr_rev
from ._util import store
from .conv import _Conv


# ------------------------------------------------------------------------------------- helpers
def _batched(input: Tensor, n: int, what: str) -> tuple[np.ndarray, bool]:
    """input as (B, C, *S) and whether it carried a batch dimension."""
    return batchify(input, n, what + ", but got: {}")


def _offset_slices(
    j: tuple[int, ...], d: tuple[int, ...], dil: tuple[int, ...], out: tuple[int, ...]
) -> tuple[slice, ...]:
    """Slices of the input (B, C, *S) that kernel offset j reads across all windows."""
    return (slice(None), slice(None)) + window_slices(j, d, dil, out)


def _put(out: Tensor, value: np.ndarray, batch: bool) -> None:
    store(out, value if batch else value[0])


def _same_type(input: Tensor, *others: Tensor | None) -> None:
    for t in others:
        if t is not None and DTYPES[t.ttype] != DTYPES[input.ttype]:
            raise TorchError(f"expected {input.typename} arguments, got {t.typename}")


# --------------------------------------------------------------------------- SpatialSubSampling
def _subsampling(
    input: Tensor, weight: Tensor, kW: int, kH: int, dW: int, dH: int
) -> tuple[np.ndarray, bool, tuple[int, int]]:
    x, batch = batchify(input, 2, expected(2, False))
    nplanes = weight.size[0]
    # THArgChecks on the input: argument 2 of Torch7's FFI call
    if x.shape[1] != nplanes:
        raise TorchError("bad argument #2 to 'v' (invalid number of input planes)")
    H, W = x.shape[2:]
    if W < kW or H < kH:
        raise TorchError("bad argument #2 to 'v' (input image smaller than kernel size)")
    if kW < 1 or kH < 1 or dW < 1 or dH < 1:
        raise TorchError("kernel size and stride should be greater than zero")
    return x, batch, ((H - kH) // dH + 1, (W - kW) // dW + 1)


def _window_sums(
    x: np.ndarray, kW: int, kH: int, dW: int, dH: int, out: tuple[int, int]
) -> np.ndarray:
    """THNN's ``real sum += input`` over each window, row after row: (B, C, oH, oW)."""
    win = windows(x, (kH, kW), (dH, dW), (1, 1), out)
    return accreal.seq(win.reshape(win.shape[:4] + (-1,)), -1, x.dtype)


def _acc_in_turn(t: Tensor, terms: np.ndarray) -> None:
    """t += terms[0]; t += terms[1]; ... each add in the tensor's type (THNN adds one batch
    item's parameter gradient after the other)."""
    a = t.arr
    start = a.reshape((1,) + terms.shape[1:])
    total = accreal.seq(np.concatenate([start, terms.astype(a.dtype)]), 0, a.dtype)
    np.copyto(a, total.reshape(a.shape))


def SpatialSubSampling_updateOutput(
    input: Tensor, output: Tensor, weight: Tensor, bias: Tensor, kW: int, kH: int, dW: int, dH: int
) -> None:
    _same_type(input, weight, bias)
    x, batch, out = _subsampling(input, weight, kW, kH, dW, dH)
    # THNN: output = bias, then output += weight * (the window's sum), all in real
    s = _window_sums(x, kW, kH, dW, dH, out)
    y = bias.arr[:, None, None] + weight.arr[:, None, None] * s
    _put(output, y, batch)


def SpatialSubSampling_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    weight: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
) -> None:
    x, batch, out = _subsampling(input, weight, kW, kH, dW, dH)
    g = grad_output(gradOutput, x.shape[:2] + out, batch) * weight.arr[:, None, None]
    gi = np.zeros(x.shape, dtype=x.dtype)
    # THNN spreads output pixel after output pixel, in real: an input pixel receives its
    # windows' terms with the kernel offsets in decreasing order
    for j in product(reversed(range(kH)), reversed(range(kW))):
        gi[_offset_slices(j, (dH, dW), (1, 1), out)] += g
    _put(gradInput, gi, batch)


def SpatialSubSampling_accGradParameters(
    input: Tensor,
    gradOutput: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    scale: float,
) -> None:
    x, batch, out = _subsampling(input, gradWeight, kW, kH, dW, dH)
    real = x.dtype.type
    g = grad_output(gradOutput, x.shape[:2] + out, batch)
    # per plane and batch item: a real sum of gradOutput, then of gradOutput * input over each
    # window (output pixel after output pixel), each added to the gradient as scale * sum
    gsum = accreal.seq(g.reshape(g.shape[:2] + (-1,)), -1, x.dtype)
    win = windows(x, (kH, kW), (dH, dW), (1, 1), out)
    prod = g[..., None, None] * win
    wsum = accreal.seq(prod.reshape(prod.shape[:2] + (-1,)), -1, x.dtype)
    _acc_in_turn(gradBias, real(scale) * gsum)
    _acc_in_turn(gradWeight, real(scale) * wsum)


# ---------------------------------------------------------------- connection-table convolutions
class _Table:
    """A connection table (nConn x 2, 1-based input plane, output plane) as 0-based index
    vectors."""

    def __init__(
        self, connTable: Tensor, weight: Tensor, nIn: int, nOut: int, what: str = "weight"
    ) -> None:
        if weight.dim() != 3 or connTable.dim() != 2 or connTable.size[0] != weight.size[0]:
            raise TorchError(f"3D {what} tensor expected (connTable:size(1) x kH x kW)")
        t = connTable.arr.astype(np.int64) - 1
        self.i, self.o = t[:, 0], t[:, 1]
        if len(t) and (
            self.i.min() < 0 or self.i.max() >= nIn or self.o.min() < 0 or self.o.max() >= nOut
        ):
            raise TorchError("connection table refers to a plane out of range")
        self.kH, self.kW = weight.size[1], weight.size[2]

    @staticmethod
    def in_turn(planes: np.ndarray) -> list[np.ndarray]:
        """The connections in the order THNN adds them into a plane: group r holds, for each
        plane, its r-th connection in table order (so the planes within a group differ)."""
        seen: dict[int, int] = {}
        rank = []
        for p in planes.tolist():
            rank.append(seen.get(p, 0))
            seen[p] = rank[-1] + 1
        rank_arr = np.array(rank, dtype=np.int64)
        return [np.flatnonzero(rank_arr == r) for r in range(max(seen.values(), default=0))]


def _map_input(input: Tensor, nIn: int) -> tuple[np.ndarray, bool]:
    if input.dim() not in (3, 4):
        raise TorchError("bad argument #2 to 'v' (3D or 4D(batch mode) tensor expected)")
    x, batch = _batched(input, 2, "3D or 4D(batch mode) tensor expected")
    if x.shape[1] < nIn:
        raise TorchError("bad argument #2 to 'v' (invalid number of input planes)")
    return x, batch


def _conv_map_geometry(x: np.ndarray, tb: _Table, dW: int, dH: int) -> tuple[int, int]:
    H, W = x.shape[2:]
    if W < tb.kW or H < tb.kH:
        raise TorchError("bad argument #2 to 'v' (input image smaller than kernel size)")
    return (H - tb.kH) // dH + 1, (W - tb.kW) // dW + 1


def _planes(a: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Planes idx of every batch item of a (B, C, h, w), as a stack (B * len(idx), h, w)."""
    return a[:, idx].reshape((-1,) + a.shape[2:])


def _kernels(w: np.ndarray, conns: np.ndarray, nbatch: int) -> np.ndarray:
    """The kernels of connections conns repeated for every batch item, stacked as _planes."""
    k = w[conns]
    return np.broadcast_to(k, (nbatch,) + k.shape).reshape((-1,) + k.shape[1:])


def _acc_each(t: Tensor, terms: np.ndarray) -> None:
    """t[k] += terms[k, 0]; t[k] += terms[k, 1]; ... in the tensor's type."""
    a = t.arr.reshape(-1)
    total = accreal.seq(np.concatenate([a[:, None], terms.astype(a.dtype)], axis=1), 1, a.dtype)
    np.copyto(t.arr, total.reshape(t.arr.shape))


# THNN's loops over planes: output (or gradInput) planes in turn, the connections into each in
# table order, each connection's plane computed by TH's 2D pointer functions (_thconv)
def SpatialConvolutionMap_updateOutput(
    input: Tensor,
    output: Tensor,
    weight: Tensor,
    bias: Tensor,
    connTable: Tensor,
    nInputPlane: int,
    nOutputPlane: int,
    dW: int,
    dH: int,
) -> None:
    _same_type(input, weight, bias)
    tb = _Table(connTable, weight, nInputPlane, nOutputPlane)
    x, batch = _map_input(input, nInputPlane)
    oh, ow = _conv_map_geometry(x, tb, dW, dH)
    B = x.shape[0]
    y = np.empty((B, nOutputPlane, oh, ow), dtype=x.dtype)
    y[...] = bias.arr[:, None, None]
    w = weight.arr
    for conns in tb.in_turn(tb.o):
        o = tb.o[conns]
        planes = _planes(y, o)
        valid_xcorr(planes, _planes(x, tb.i[conns]), _kernels(w, conns, B), dH, dW)
        y[:, o] = planes.reshape(B, len(conns), oh, ow)
    _put(output, y, batch)


def SpatialConvolutionMap_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    weight: Tensor,
    bias: Tensor,
    connTable: Tensor,
    nInputPlane: int,
    nOutputPlane: int,
    dW: int,
    dH: int,
) -> None:
    tb = _Table(connTable, weight, nInputPlane, nOutputPlane)
    x, batch = _map_input(input, nInputPlane)
    oh, ow = _conv_map_geometry(x, tb, dW, dH)
    B, _, H, W = x.shape
    g = np.ascontiguousarray(grad_output(gradOutput, (B, nOutputPlane, oh, ow), batch))
    gi = np.zeros(x.shape, dtype=x.dtype)
    # the full convolution covers ((oh - 1) * dH + kH) x ((ow - 1) * dW + kW) pixels
    fh, fw = (oh - 1) * dH + tb.kH, (ow - 1) * dW + tb.kW
    w = weight.arr
    for conns in tb.in_turn(tb.i):
        i = tb.i[conns]
        planes = _planes(gi, i)
        full_conv(planes[:, :fh, :fw], _planes(g, tb.o[conns]), _kernels(w, conns, B), dH, dW)
        gi[:, i] = planes.reshape(B, len(conns), H, W)
    _put(gradInput, gi, batch)


def SpatialConvolutionMap_accGradParameters(
    input: Tensor,
    gradOutput: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor,
    connTable: Tensor,
    nInputPlane: int,
    nOutputPlane: int,
    dW: int,
    dH: int,
    scale: float,
) -> None:
    tb = _Table(connTable, gradWeight, nInputPlane, nOutputPlane, "gradWeight")
    x, batch = _map_input(input, nInputPlane)
    real = x.dtype.type
    B = x.shape[0]
    g = grad_output(gradOutput, (B, nOutputPlane) + _conv_map_geometry(x, tb, dW, dH), batch)
    # gradBias[k] += scale * gradOutput, element after element, batch item after batch item
    gb_terms = (real(scale) * g).transpose(1, 0, 2, 3).reshape(nOutputPlane, -1)
    _acc_each(gradBias, gb_terms)
    gw = gradWeight.arr.copy()
    valid_xcorr_rev(gw, x[:, tb.i], g[:, tb.o], dH, dW, real(scale))
    np.copyto(gradWeight.arr, gw)


def _full_map_out(x: np.ndarray, tb: _Table, dW: int, dH: int) -> tuple[int, int]:
    H, W = x.shape[2:]
    return (H - 1) * dH + tb.kH, (W - 1) * dW + tb.kW


def _full_map_input(input: Tensor, nIn: int) -> np.ndarray:
    if input.dim() != 3:
        raise TorchError("3D tensor expected")
    x, _ = _map_input(input, nIn)
    return x[0]


def SpatialFullConvolutionMap_updateOutput(
    input: Tensor,
    output: Tensor,
    weight: Tensor,
    bias: Tensor,
    connTable: Tensor,
    nInputPlane: int,
    nOutputPlane: int,
    dW: int,
    dH: int,
) -> None:
    _same_type(input, weight, bias)
    tb = _Table(connTable, weight, nInputPlane, nOutputPlane)
    x = _full_map_input(input, nInputPlane)
    oh, ow = _full_map_out(x[None], tb, dW, dH)
    y = np.empty((nOutputPlane, oh, ow), dtype=x.dtype)
    y[...] = bias.arr[:, None, None]
    w = weight.arr
    for conns in tb.in_turn(tb.o):
        o = tb.o[conns]
        planes = y[o]
        full_conv(planes, x[tb.i[conns]], w[conns], dH, dW)
        y[o] = planes
    store(output, y)


def SpatialFullConvolutionMap_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    weight: Tensor,
    bias: Tensor,
    connTable: Tensor,
    nInputPlane: int,
    nOutputPlane: int,
    dW: int,
    dH: int,
) -> None:
    tb = _Table(connTable, weight, nInputPlane, nOutputPlane)
    x = _full_map_input(input, nInputPlane)
    want = (1, nOutputPlane) + _full_map_out(x[None], tb, dW, dH)
    g = np.ascontiguousarray(grad_output(gradOutput, want, False)[0])
    gi = np.zeros(x.shape, dtype=x.dtype)
    w = weight.arr
    for conns in tb.in_turn(tb.i):
        i = tb.i[conns]
        planes = gi[i]
        valid_xcorr(planes, g[tb.o[conns]], w[conns], dH, dW)
        gi[i] = planes
    store(gradInput, gi)


def SpatialFullConvolutionMap_accGradParameters(
    input: Tensor,
    gradOutput: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor,
    connTable: Tensor,
    nInputPlane: int,
    nOutputPlane: int,
    dW: int,
    dH: int,
    scale: float,
) -> None:
    tb = _Table(connTable, gradWeight, nInputPlane, nOutputPlane, "gradWeight")
    x = _full_map_input(input, nInputPlane)
    real = x.dtype.type
    want = (1, nOutputPlane) + _full_map_out(x[None], tb, dW, dH)
    g = grad_output(gradOutput, want, False)[0]
    _acc_each(gradBias, (real(scale) * g).reshape(nOutputPlane, -1))
    # the kernel gradient correlates gradOutput with the input plane as the "kernel"
    gw = gradWeight.arr.copy()
    valid_xcorr_rev(gw, g[tb.o][None], x[tb.i][None], dH, dW, real(scale))
    np.copyto(gradWeight.arr, gw)


# -------------------------------------------------------------------- SpatialFractionalMaxPooling
def _intervals(samples: np.ndarray, size: int, osize: int, pool: int) -> np.ndarray:
    """Window starts (N, osize) for one random sample per plane, computed in the tensor's own
    floating type as THNN does (float32 arithmetic for FloatTensors)."""
    dt = samples.dtype.type
    n = samples.shape[0]
    seq = np.empty((n, osize), dtype=np.int64)
    if osize > 1:
        alpha = dt(size - pool) / dt(osize - 1)
        i = np.arange(osize - 1, dtype=samples.dtype)
        s = samples[:, None]
        seq[:, :-1] = ((i + s) * alpha).astype(np.int64) - (s * alpha).astype(np.int64)
    seq[:, -1] = size - pool
    return seq


def _fractional(
    input: Tensor, outW: int, outH: int, poolSizeW: int, poolSizeH: int
) -> tuple[np.ndarray, bool]:
    x, batch = batchify(input, 2, expected(2))
    H, W = x.shape[2:]
    if outH + poolSizeH - 1 >= H:
        raise TorchError(
            f"bad argument #7 to 'v' (poolSizeH ({poolSizeH}) too large relative to input "
            f"height ({H}))"
        )
    if outW + poolSizeW - 1 >= W:
        raise TorchError(
            f"bad argument #6 to 'v' (poolSizeW ({poolSizeW}) too large relative to input "
            f"width ({W}))"
        )
    return x, batch


def SpatialFractionalMaxPooling_updateOutput(
    input: Tensor,
    output: Tensor,
    outW: int,
    outH: int,
    poolSizeW: int,
    poolSizeH: int,
    indices: Tensor,
    randomSamples: Tensor,
) -> None:
    x, batch = _fractional(input, outW, outH, poolSizeW, poolSizeH)
    B, C, H, W = x.shape
    r = randomSamples.arr
    if r.shape != (B, C, 2):
        raise TorchError(f"randomSamples must be of size {B}x{C}x2")
    r = r.reshape(B * C, 2).astype(x.dtype, copy=False)
    rows = _intervals(r[:, 1], H, outH, poolSizeH)[:, :, None] + np.arange(poolSizeH)
    cols = _intervals(r[:, 0], W, outW, poolSizeW)[:, :, None] + np.arange(poolSizeW)
    # flat in-plane positions (N, oH, oW, pH, pW), scanned h-major as THNN's loops
    pos = rows[:, :, None, :, None] * W + cols[:, None, :, None, :]
    N = B * C
    pos = pos.reshape(N, outH, outW, poolSizeH * poolSizeW)
    vals = np.take_along_axis(x.reshape(N, 1, 1, H * W), pos.reshape(N, 1, 1, -1), axis=3)
    vals = vals.reshape(pos.shape)
    best = vals.argmax(axis=3)[..., None]
    y = np.take_along_axis(vals, best, axis=3)[..., 0]
    idx = np.take_along_axis(pos, best, axis=3)[..., 0] + 1
    shape = (B, C, outH, outW)
    _put(output, y.reshape(shape), batch)
    if indices.ttype != "Long":
        raise TorchError("indices must be a LongTensor")
    _put(indices, idx.reshape(shape), batch)


def SpatialFractionalMaxPooling_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    outW: int,
    outH: int,
    poolSizeW: int,
    poolSizeH: int,
    indices: Tensor,
) -> None:
    x, batch = _fractional(input, outW, outH, poolSizeW, poolSizeH)
    B, C, H, W = x.shape
    g = grad_output(gradOutput, (B, C, outH, outW), batch)
    idx = indices.arr if batch else indices.arr[None]
    if idx.shape != g.shape:
        raise TorchError("indices and gradOutput shapes do not match (call updateOutput first)")
    N = B * C
    flat = idx.reshape(N, -1) - 1 + (np.arange(N) * (H * W))[:, None]
    gi = np.bincount(flat.ravel(), weights=g.reshape(-1).astype(np.float64), minlength=N * H * W)
    _put(gradInput, gi.astype(x.dtype).reshape(x.shape), batch)


# ------------------------------------------------------------------ VolumetricDilatedConvolution
def _vconv(input: Tensor, weight: Tensor, bias: Tensor | None, k, d, p, dil) -> _Conv:
    """The convolution's geometry, after THNN's checks (in its words)."""
    check_window(k, d, dil, dil_sep=", ")
    x, batch = batchify(input, 3, expected(3))
    nout = weight.size[0]
    nin = weight.nelement() // (nout * int(np.prod(k))) if nout else 0
    if x.shape[1] != nin:
        raise TorchError(
            f"Given input size: ({'x'.join(map(str, x.shape[1:]))}). Expected {nin} input channels"
        )
    S = x.shape[2:]
    out = tuple(conv_out(S[i], k[i], d[i], p[i], dil[i]) for i in range(3))
    if min(out) < 1:
        raise TorchError(
            f"Given input size: ({'x'.join(map(str, x.shape[1:]))}). Calculated "
            f"output size: ({nout}x{'x'.join(map(str, out))}). Output size is "
            "too small"
        )
    return _Conv(input, weight, k, d, p, dil, 3, nin, nout)


# THNN's VolumetricDilatedConvolution works item by item as SpatialConvolutionMM does (bias
# first, then a beta-1 gemm of the weight and the unfolded input; gradient columns from a
# beta-0 gemm; gradWeight by a beta-1 gemm), except for the bias gradient: a BLAS gemv of
# each item's gradOutput against ones


def VolumetricDilatedConvolution_updateOutput(
    input: Tensor,
    output: Tensor,
    weight: Tensor,
    bias: Tensor | None,
    columns: Tensor | None,
    ones: Tensor | None,
    kT: int,
    kW: int,
    kH: int,
    dT: int,
    dW: int,
    dH: int,
    padT: int,
    padW: int,
    padH: int,
    dilationT: int,
    dilationW: int,
    dilationH: int,
) -> None:
    _same_type(input, weight, bias)
    k, d, p, dil = args3(kT, kW, kH, dT, dW, dH, padT, padW, padH, dilationT, dilationW, dilationH)
    _vconv(input, weight, bias, k, d, p, dil).forward(bias, None, output)


def VolumetricDilatedConvolution_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    weight: Tensor,
    columns: Tensor | None,
    kT: int,
    kW: int,
    kH: int,
    dT: int,
    dW: int,
    dH: int,
    padT: int,
    padW: int,
    padH: int,
    dilationT: int,
    dilationW: int,
    dilationH: int,
) -> None:
    k, d, p, dil = args3(kT, kW, kH, dT, dW, dH, padT, padW, padH, dilationT, dilationW, dilationH)
    _vconv(input, weight, None, k, d, p, dil).grad_input(gradOutput, gradInput, None)


def VolumetricDilatedConvolution_accGradParameters(
    input: Tensor,
    gradOutput: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor | None,
    columns: Tensor | None,
    ones: Tensor | None,
    kT: int,
    kW: int,
    kH: int,
    dT: int,
    dW: int,
    dH: int,
    padT: int,
    padW: int,
    padH: int,
    dilationT: int,
    dilationW: int,
    dilationH: int,
    scale: float,
) -> None:
    k, d, p, dil = args3(kT, kW, kH, dT, dW, dH, padT, padW, padH, dilationT, dilationW, dilationH)
    conv = _vconv(input, gradWeight, None, k, d, p, dil)
    conv.grad_params(gradOutput, gradWeight, gradBias, None, scale, bias_gemv=True)


# ------------------------------------------------------------------------ VolumetricMaxUnpooling
def _unpool(
    input: Tensor, indices: Tensor, oT: int, oW: int, oH: int
) -> tuple[np.ndarray, np.ndarray, bool]:
    x, batch = batchify(input, 3, expected(3))
    if indices.ttype != "Long":
        raise TorchError("indices must be a LongTensor")
    if tuple(indices.size) != tuple(input.size):
        raise TorchError(
            f"input and indices shapes do not match: input {sizes(input)}, indices {sizes(indices)}"
        )
    idx = (indices.arr if batch else indices.arr[None]).reshape(x.shape[0] * x.shape[1], -1) - 1
    n = oT * oH * oW
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        bad = int(idx[(idx < 0) | (idx >= n)][0]) + 1
        raise TorchError(
            f"found an invalid max index {bad} (output volumes are of size {oT}x{oH}x{oW})"
        )
    return x, idx, batch


def VolumetricMaxUnpooling_updateOutput(
    input: Tensor,
    output: Tensor,
    indices: Tensor,
    oT: int,
    oW: int,
    oH: int,
    dT: int,
    dW: int,
    dH: int,
    pT: int,
    pW: int,
    pH: int,
) -> None:
    x, idx, batch = _unpool(input, indices, oT, oW, oH)
    B, C = x.shape[:2]
    y = np.zeros((B * C, oT * oH * oW), dtype=x.dtype)
    np.put_along_axis(y, idx, x.reshape(B * C, -1), axis=1)
    _put(output, y.reshape(B, C, oT, oH, oW), batch)


def VolumetricMaxUnpooling_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    indices: Tensor,
    oT: int,
    oW: int,
    oH: int,
    dT: int,
    dW: int,
    dH: int,
    pT: int,
    pW: int,
    pH: int,
) -> None:
    x, idx, batch = _unpool(input, indices, oT, oW, oH)
    B, C = x.shape[:2]
    g = grad_output(gradOutput, (B, C, oT, oH, oW), batch)
    gi = np.take_along_axis(g.reshape(B * C, -1), idx, axis=1)
    _put(gradInput, gi.reshape(x.shape), batch)


# ------------------------------------------------------------------ VolumetricReplicationPadding
def _rep_index(size: int, before: int, after: int) -> np.ndarray:
    """Source position of every output position along one axis (negative pads crop)."""
    return np.clip(np.arange(size + before + after) - before, 0, size - 1)


def _rep_geometry(input: Tensor, pads: tuple[int, ...]) -> tuple[np.ndarray, bool, list]:
    x, batch = batchify(input, 3, expected(3))
    S = x.shape[2:]
    out = [S[i] + pads[2 * i] + pads[2 * i + 1] for i in range(3)]
    if min(out) < 1:
        raise TorchError(
            f"input (D: {S[0]} H: {S[1]}, W: {S[2]})is too small. Calculated "
            f"output D: {out[0]} H: {out[1]} W: {out[2]}"
        )
    return x, batch, [_rep_index(S[i], pads[2 * i], pads[2 * i + 1]) for i in range(3)]


def VolumetricReplicationPadding_updateOutput(
    input: Tensor,
    output: Tensor,
    pleft: int,
    pright: int,
    ptop: int,
    pbottom: int,
    pfront: int,
    pback: int,
) -> None:
    x, batch, (it, ih, iw) = _rep_geometry(input, (pfront, pback, ptop, pbottom, pleft, pright))
    _put(output, x[:, :, it[:, None, None], ih[None, :, None], iw[None, None, :]], batch)


def VolumetricReplicationPadding_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    pleft: int,
    pright: int,
    ptop: int,
    pbottom: int,
    pfront: int,
    pback: int,
) -> None:
    x, batch, (it, ih, iw) = _rep_geometry(input, (pfront, pback, ptop, pbottom, pleft, pright))
    want = x.shape[:2] + (len(it), len(ih), len(iw))
    g = grad_output(gradOutput, want, batch)
    T, H, W = x.shape[2:]
    src = (it[:, None, None] * H + ih[None, :, None]) * W + iw[None, None, :]
    g = scatter_planes(g, src, T * H * W).reshape(x.shape)
    _put(gradInput, g, batch)
