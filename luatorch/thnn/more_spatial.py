"""Spatial and volumetric kernels of the modules nn gained late.

UpSampling:                  nearest (repeat by an integer factor) or (bi/tri)linear with aligned
                             corners, over the last 2 (4D input) or 3 (5D input) dimensions
VolumetricFractionalMaxPooling: max over pseudo-random windows; planes laid out (H, W, T)
SpatialDepthWiseConvolution: every input plane c convolved with its own m kernels;
                             output plane c*m + j, weight (m, n*kH*kW), bias (m, n)
"""

from __future__ import annotations

import numpy as np

from ..tensor import accreal, blas
from ..tensor.core import Tensor, TorchError
from ._grid import batchify, conv_out, expected, grad_output, pad, sizes, windows
from ._util import resize_as, store
from .extra_spatial import _intervals
from .pool import linear_forward, linear_grad, nearest_grad


# ------------------------------------------------------------------------------ UpSampling
def _spatial(input: Tensor) -> int:
    nd = input.dim()
    if nd not in (4, 5):
        raise TorchError("UpSampling only supports 4D or 5D tensors")
    return nd - 2


def UpSampling_updateOutput(
    input: Tensor, output: Tensor, scale: int, linear: bool, oT: int, oH: int, oW: int
) -> None:
    """oT, oH, oW: the output's spatial sizes in linear mode (oT unused for 4D input). As nn,
    THNN's Spatial/Volumetric up-sampling kernels (nearest, bilinear, trilinear)."""
    n = _spatial(input)
    osize = (oT, oH, oW)[3 - n :]
    x = input.arr
    if not linear:
        s = int(scale)
        y = x
        for axis in range(x.ndim - n, x.ndim):
            y = np.repeat(y, s, axis=axis)
        store(output, y)
        return
    store(output, linear_forward(x, tuple(int(v) for v in osize)))


def UpSampling_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, scale: int, linear: bool
) -> None:
    n = _spatial(input)
    x = input.arr
    g = gradOutput.arr
    if g.ndim != x.ndim:
        raise TorchError("Input and gradOutput should be of same dimension")
    S = x.shape[-n:]
    if not linear:
        s = int(scale)
        if g.shape != x.shape[:-n] + tuple(v * s for v in S):
            raise TorchError(f"gradOutput has the wrong size: {sizes(gradOutput)}")
    # into gradInput itself when it can take the result as is
    gi = resize_as(gradInput, input)
    direct = gi.flags.c_contiguous and gi.dtype == g.dtype
    into = gi if direct else None
    res = linear_grad(g, S, into) if linear else nearest_grad(g, n, int(scale), into)
    if not direct:
        np.copyto(gi, res, casting="unsafe")


# ------------------------------------------------------------------ VolumetricFractionalMaxPooling
def _vfrac(input: Tensor, out: tuple[int, int, int], pool: tuple[int, int, int]):
    """input as (B, C, H, W, T), batch flag; out and pool in (T, W, H) order as nn passes them."""
    x, batch = batchify(input, 3, expected(3))
    H, W, T = x.shape[2:]
    for o, p, size, name in (
        (out[2], pool[2], H, "H"),
        (out[1], pool[1], W, "W"),
        (out[0], pool[0], T, "T"),
    ):
        if not o + p - 1 < size:
            what = {"H": "height", "W": "width", "T": "time"}[name]
            raise TorchError(f"poolSize{name} ({p}) too large relative to input {what} ({size})")
    return x, batch


def VolumetricFractionalMaxPooling_updateOutput(
    input: Tensor,
    output: Tensor,
    outT: int,
    outW: int,
    outH: int,
    poolSizeT: int,
    poolSizeW: int,
    poolSizeH: int,
    indices: Tensor,
    randomSamples: Tensor,
) -> None:
    x, batch = _vfrac(input, (outT, outW, outH), (poolSizeT, poolSizeW, poolSizeH))
    B, C, H, W, T = x.shape
    r = randomSamples.arr
    if r.shape != (B, C, 3):
        raise TorchError(f"randomSamples must be of size {B}x{C}x3")
    N = B * C
    pos = _vfrac_positions(
        r.reshape(N, 3).astype(x.dtype),
        (H, W, T),
        (outH, outW, outT),
        (poolSizeH, poolSizeW, poolSizeT),
    )
    vals = x.reshape(-1)[pos]  # (N, windows, window cells)
    best = vals.argmax(axis=2)[..., None]
    shape = (B, C, outH, outW, outT)
    y = np.take_along_axis(vals, best, axis=2).reshape(shape)
    idx = np.take_along_axis(pos, best, axis=2).reshape(shape)
    idx -= (np.arange(N) * (H * W * T)).reshape(B, C, 1, 1, 1) - 1
    store(output, y if batch else y[0])
    if indices.ttype != "Long":
        raise TorchError("indices must be a LongTensor")
    store(indices, idx if batch else idx[0])


# the window cells of the last call: with fixed pooling regions (fixPoolingRegions, as in
# gradient checks) every call asks for the same ones
_vfrac_cache: dict[tuple, np.ndarray] = {}


def _vfrac_positions(samples: np.ndarray, size, out, pool) -> np.ndarray:
    """Flat input positions (N, oH*oW*oT, pH*pW*pT) of every window cell, scanned h, w, t as
    THNN's loops; samples (N, 3) hold the T, W, H samples of each plane."""
    key = (samples.tobytes(), samples.dtype.str, size, out, pool)
    cached = _vfrac_cache.get(key)
    if cached is not None:
        return cached
    H, W, T = size
    N = samples.shape[0]
    ts = _intervals(samples[:, 0], T, out[2], pool[2])[:, :, None] + np.arange(pool[2])
    ws = _intervals(samples[:, 1], W, out[1], pool[1])[:, :, None] + np.arange(pool[1])
    hs = _intervals(samples[:, 2], H, out[0], pool[0])[:, :, None] + np.arange(pool[0])
    pos = (
        hs[:, :, None, None, :, None, None] * (W * T)
        + ws[:, None, :, None, None, :, None] * T
        + ts[:, None, None, :, None, None, :]
        + (np.arange(N) * (H * W * T))[:, None, None, None, None, None, None]
    ).reshape(N, out[0] * out[1] * out[2], -1)
    _vfrac_cache.clear()
    _vfrac_cache[key] = pos
    return pos


def VolumetricFractionalMaxPooling_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    outT: int,
    outW: int,
    outH: int,
    poolSizeT: int,
    poolSizeW: int,
    poolSizeH: int,
    indices: Tensor,
) -> None:
    x, batch = _vfrac(input, (outT, outW, outH), (poolSizeT, poolSizeW, poolSizeH))
    B, C, H, W, T = x.shape
    g = grad_output(gradOutput, (B, C, outH, outW, outT), batch)
    idx = indices.arr if batch else indices.arr[None]
    if idx.shape != g.shape:
        raise TorchError("indices and gradOutput shapes do not match (call updateOutput first)")
    N = B * C
    plane = H * W * T
    flat = idx.reshape(N, -1) - 1 + (np.arange(N) * plane)[:, None]
    gi = np.bincount(flat.ravel(), weights=g.reshape(-1).astype(np.float64), minlength=N * plane)
    gi = gi.astype(x.dtype).reshape(x.shape)
    store(gradInput, gi if batch else gi[0])


# ------------------------------------------------------------------ SpatialDepthWiseConvolution
# THNN's kernel reads each input plane H x W as a W x H image (it takes size 3 for the height
# and size 2 for the width of the same memory) in updateOutput and accGradParameters, while
# updateGradInput works on the planes as they are. The results below follow it: identical to a
# plain depth-wise convolution on square inputs. The weight is reshaped in place to
# m x n x kH x kW on the first call, as THNN does.
def _depthwise_weight(weight: Tensor, kW: int, kH: int) -> tuple[np.ndarray, int, int]:
    m = weight.size[0]
    if weight.dim() == 2:
        n = weight.size[1] // (kH * kW)
        weight.resize((m, n, kH, kW))
    elif weight.dim() != 4:
        raise TorchError(f"2D or 4D weight tensor expected, but got: {sizes(weight)}")
    return weight.arr, m, weight.size[1]


def _depthwise_input(input: Tensor, n: int, kW, kH, dW, dH, padW, padH):
    """Input (B, n, H, W), batch flag and THNN's natural output size (oH, oW)."""
    if kW <= 0 or kH <= 0:
        raise TorchError(f"kernel size should be greater than zero, but got kH: {kH} kW: {kW}")
    if dW <= 0 or dH <= 0:
        raise TorchError(f"stride should be greater than zero, but got dH: {dH} dW: {dW}")
    x, batch = batchify(input, 2, expected(2, False))
    oH = conv_out(x.shape[2], kH, dH, padH)
    oW = conv_out(x.shape[3], kW, dW, padW)
    if oH < 1 or oW < 1:
        raise TorchError(
            f"Given input size: ({n} x {x.shape[2]} x {x.shape[3]}). Calculated output size: "
            f"(? x {oH} x {oW}). Output size is too small"
        )
    if x.shape[1] != n:
        raise TorchError(
            f"Need input of dimension {input.dim()} and input.size[{input.dim() - 3}] == {n} "
            f"but got input to be of shape: {sizes(input)}"
        )
    return x, batch, (oH, oW)


def _transposed_planes(x: np.ndarray, kW, kH, dW, dH, padW, padH):
    """The planes read as THNN's updateOutput reads them (H x W memory as W x H) and the
    matching output size."""
    B, n, H, W = x.shape
    xt = np.ascontiguousarray(x).reshape(B, n, W, H)
    return xt, (conv_out(W, kH, dH, padH), conv_out(H, kW, dW, padW))


def _depthwise_windows(x: np.ndarray, kW, kH, dW, dH, padW, padH, out) -> np.ndarray:
    xp = pad(x, (padH, padW), (padH, padW), 0.0, "depthwise")
    return windows(xp, (kH, kW), (dH, dW), (1, 1), out)  # (B, n, oH, oW, kH, kW)


def _depthwise_columns(x: np.ndarray, kW, kH, dW, dH, padW, padH, out) -> np.ndarray:
    """THNN's unfolded copy of each plane: (B, n, kH * kW, oH * oW), contiguous."""
    win = _depthwise_windows(x, kW, kH, dW, dH, padW, padH, out)  # (B, n, oH, oW, kH, kW)
    B, n = win.shape[:2]
    cols = np.ascontiguousarray(win.transpose(0, 1, 4, 5, 2, 3))
    return cols.reshape(B, n, kH * kW, out[0] * out[1])


def SpatialDepthWiseConvolution_updateOutput(
    input: Tensor,
    output: Tensor,
    weight: Tensor,
    bias: Tensor | None,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
) -> None:
    # THNN: per batch item and input plane i, the output rows (m x L) start as plane i's biases
    # (or zeros) and addmm the plane's weights (m x K) times its unfolded windows (K x L)
    w, m, n = _depthwise_weight(weight, kW, kH)
    x, batch, _ = _depthwise_input(input, n, kW, kH, dW, dH, padW, padH)
    xt, out = _transposed_planes(x, kW, kH, dW, dH, padW, padH)
    cols = _depthwise_columns(xt, kW, kH, dW, dH, padW, padH, out)  # (B, n, K, L)
    B, L = x.shape[0], out[0] * out[1]
    w3 = np.ascontiguousarray(w.reshape(m, n, kH * kW).transpose(1, 0, 2))  # (n, m, K)
    y = np.empty((B, n, m, L), dtype=x.dtype)
    y[...] = 0 if bias is None else bias.arr.T.reshape(1, n, m, 1)
    for b in range(B):
        for i in range(n):
            blas.gemm(y[b, i], 1.0, w3[i], cols[b, i], 1.0)
    y = y.reshape(B, n * m, *out)
    store(output, y if batch else y[0])


def SpatialDepthWiseConvolution_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    weight: Tensor,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
) -> None:
    w, m, n = _depthwise_weight(weight, kW, kH)
    x, batch, out = _depthwise_input(input, n, kW, kH, dW, dH, padW, padH)
    B, _, H, W = x.shape
    g = grad_output(gradOutput, (B, n * m) + out, batch).reshape(B, n, m, *out)
    # THNN: per batch item and plane, the columns (K x L) = plane i's weights transposed
    # (K x m) times its gradOutput rows (m x L), addmm with beta 0; then added back to the
    # planes kernel offset by kernel offset
    K, L = kH * kW, out[0] * out[1]
    w3 = np.ascontiguousarray(w.reshape(m, n, K).transpose(1, 0, 2))  # (n, m, K)
    g4 = np.ascontiguousarray(g).reshape(B, n, m, L)
    cols = np.zeros((B, n, K, L), dtype=x.dtype)
    for b in range(B):
        for i in range(n):
            blas.gemm(cols[b, i], 1.0, w3[i].T, g4[b, i], 0.0)
    # (B, n, oH, oW, kH, kW): what each window position sends back to each kernel offset
    back = cols.reshape(B, n, kH, kW, *out).transpose(0, 1, 4, 5, 2, 3)
    gp = np.zeros((B, n, H + 2 * padH + dH * out[0] + kH, W + 2 * padW + dW * out[1] + kW), x.dtype)
    for i in range(kH):
        for j in range(kW):
            gp[:, :, i : i + dH * out[0] : dH, j : j + dW * out[1] : dW] += back[..., i, j]
    gi = gp[:, :, padH : padH + H, padW : padW + W]
    store(gradInput, gi if batch else gi[0])


def SpatialDepthWiseConvolution_accGradParameters(
    input: Tensor,
    gradOutput: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor | None,
    kW: int,
    kH: int,
    dW: int,
    dH: int,
    padW: int,
    padH: int,
    scale: float,
) -> None:
    gw_arr, m, n = _depthwise_weight(gradWeight, kW, kH)
    x, batch, nat = _depthwise_input(input, n, kW, kH, dW, dH, padW, padH)
    B = x.shape[0]
    g = grad_output(gradOutput, (B, n * m) + nat, batch)
    xt, out = _transposed_planes(x, kW, kH, dW, dH, padW, padH)
    # gradOutput's positions pair with the transposed windows in memory order
    # THNN: per batch item and plane, the plane's weight gradients (m x K, in a contiguous
    # transposed copy) addmm scale * gradOutput rows (m x L) times the columns transposed;
    # the bias gradients add scale times each row's sum in real, in order
    K, L = kH * kW, out[0] * out[1]
    g4 = np.ascontiguousarray(g).reshape(B, n, m, L)
    cols = _depthwise_columns(xt, kW, kH, dW, dH, padW, padH, out)
    gw3 = np.ascontiguousarray(gw_arr.reshape(m, n, K).transpose(1, 0, 2))  # (n, m, K)
    gb = None if gradBias is None else np.ascontiguousarray(gradBias.arr.T)  # (n, m)
    for b in range(B):
        for i in range(n):
            blas.gemm(gw3[i], scale, g4[b, i], cols[b, i].T, 1.0)
            if gb is not None:
                sums = accreal.seq(g4[b, i], 1, gw3.dtype)
                gb[i] = (gb[i] + scale * sums.astype(np.float64)).astype(gw3.dtype)
    gw_arr[...] = gw3.transpose(1, 0, 2).reshape(gw_arr.shape)
    if gb is not None:
        gradBias.arr[...] = gb.T
