"""Normalization kernels: batch normalization, cross-map LRN, local subtractive/divisive
normalization.

BatchNormalization (per feature f over batch and spatial positions, n values):
  train: mean, invstd = 1/sqrt(var_biased + eps) saved; running_mean/var move by momentum
         (running_var with the unbiased variance); eval uses the running statistics.
  y = (x - mean) * invstd * w + b
  dx = (g - mean(g) - (x - mean) * invstd^2 * sum(g * (x - mean)) / n) * invstd * w   (train)
  dw += scale * sum(g * (x - mean)) * invstd,  db += scale * sum(g)

SpatialCrossMapLRN: scale = k + alpha/size * sum of x^2 over the size neighbouring maps,
  y = x * scale^-beta.

Local normalization (the maths of nn.Spatial{Subtractive,Divisive}Normalization's module graph):
  S(z) = zero-padded 'same' correlation of z (summed over planes) with the kernel,
  coef = S(planes of ones); subtractive y = x - S(x)/coef;
  divisive  a = sqrt(S(x^2))/coef, t = a if a > threshold else thresval, y = x / t.
"""

from __future__ import annotations

from itertools import product

import numpy as np

from ..tensor import accreal
from ..tensor.core import Tensor, TorchError
from ._grid import out_view, sizes

# -------------------------------------------------------------------------- batch norm


def _bn_view(input: Tensor) -> tuple[np.ndarray, tuple[int, ...], tuple[int, ...]]:
    """Input as (N, C, M) plus the reduction axes and the broadcast shape of a per-feature
    vector."""
    x = input.arr
    if x.ndim < 2:
        raise TorchError(f"only mini-batch supported (2D tensor), got {x.ndim}D tensor instead")
    return x, (0,) + tuple(range(2, x.ndim)), (1, x.shape[1]) + (1,) * (x.ndim - 2)


def _per_feature_sum(a: np.ndarray) -> np.ndarray:
    """For each feature (axis 1), the accreal sum of its values in THNN's order (batch, then
    positions), as TH_TENSOR_APPLY over ``input:select(2, f)``."""
    return accreal.seq(np.moveaxis(a, 1, 0).reshape(a.shape[1], -1), 1)


def BatchNormalization_updateOutput(
    input: Tensor,
    output: Tensor,
    weight: Tensor | None,
    bias: Tensor | None,
    running_mean: Tensor,
    running_var: Tensor,
    save_mean: Tensor,
    save_std: Tensor,
    train: bool,
    momentum: float,
    eps: float,
) -> None:
    # THNN's per-feature formulas, their types included: ``mean = (real) sum / n`` in real,
    # squared deviations in real added in double, invstd = (real)(1 / sqrt(sum/n + eps))
    x, axes, bshape = _bn_view(input)
    C = x.shape[1]
    if running_mean.nelement() != C:
        raise TorchError(f"got {C}-feature tensor, expected {running_mean.nelement()}")
    n = x.size // C if C else 0
    real = x.dtype.type
    with np.errstate(divide="ignore", invalid="ignore"):
        if train:
            mean = (_per_feature_sum(x).astype(x.dtype) / real(n)).astype(x.dtype)
            dev = x - mean.reshape(bshape)
            ssq = _per_feature_sum(dev * dev)
            invstd = np.where((ssq == 0) & (eps == 0), 0.0, 1 / np.sqrt(ssq / n + eps)).astype(
                x.dtype
            )
            for t, v in ((save_mean, mean), (save_std, invstd)):
                if t.size != (C,):
                    t.resize((C,))
                np.copyto(t.arr, v, casting="unsafe")
            rm, rv = running_mean.arr, running_var.arr
            unbiased = ssq / (n - 1) if n > 1 else ssq / 0.0
            np.copyto(
                rm, momentum * mean.astype(np.float64) + (1 - momentum) * rm, casting="unsafe"
            )
            np.copyto(
                rv, momentum * unbiased + (1 - momentum) * rv.astype(np.float64), casting="unsafe"
            )
        else:
            mean = running_mean.arr.astype(x.dtype)
            invstd = (1 / np.sqrt(running_var.arr.astype(np.float64) + eps)).astype(x.dtype)
    w = np.ones(C, x.dtype) if weight is None else weight.arr.astype(x.dtype)
    b = np.zeros(C, x.dtype) if bias is None else bias.arr.astype(x.dtype)
    y = out_view(output, x.shape, True)
    # (((x - mean) * invstd) * w + b), all in real
    np.subtract(x, mean.reshape(bshape), out=y)
    y *= invstd.reshape(bshape)
    y *= w.reshape(bshape)
    y += b.reshape(bshape)


def BatchNormalization_backward(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor | None,
    gradWeight: Tensor | None,
    gradBias: Tensor | None,
    weight: Tensor | None,
    running_mean: Tensor,
    running_var: Tensor,
    save_mean: Tensor,
    save_std: Tensor,
    train: bool,
    scale: float,
    eps: float,
) -> None:
    x, axes, bshape = _bn_view(input)
    g = gradOutput.arr
    if g.shape != x.shape:
        raise TorchError(f"gradOutput {sizes(gradOutput)} does not match input {sizes(input)}")
    C = x.shape[1]
    n = x.size // C if C else 0
    real = x.dtype.type
    f64 = np.float64
    with np.errstate(divide="ignore", invalid="ignore"):
        if train:
            mean, invstd = save_mean.arr.astype(x.dtype), save_std.arr.astype(x.dtype)
        else:
            mean = running_mean.arr.astype(x.dtype)
            invstd = (1 / np.sqrt(running_var.arr.astype(f64) + eps)).astype(x.dtype)
        centered = x - mean.reshape(bshape)
        gsum = _per_feature_sum(g)
        dotp = _per_feature_sum(centered * g)
        w = np.ones(C, x.dtype) if weight is None else weight.arr.astype(x.dtype)
        if gradInput is not None:
            gi = out_view(gradInput, x.shape, True)
            if train:
                # k = (real) dotp * invstd * invstd / n in real; gradMean = sum / n in double;
                # (gradOut - gradMean - (x - mean) * k) * invstd * w in double
                k = ((dotp.astype(x.dtype) * invstd) * invstd / real(n)).astype(x.dtype)
                q = (centered * k.reshape(bshape)).astype(x.dtype)
                gm = (gsum / n).reshape(bshape)
                v = (
                    (g - gm - q)
                    * invstd.astype(f64).reshape(bshape)
                    * w.astype(f64).reshape(bshape)
                )
                np.copyto(gi, v, casting="unsafe")
            else:
                np.multiply(g, invstd.reshape(bshape), out=gi)
                gi *= w.reshape(bshape)
        if gradWeight is not None:
            gw = gradWeight.arr
            np.copyto(gw, gw + scale * dotp * invstd.astype(f64), casting="unsafe")
        if gradBias is not None:
            gb = gradBias.arr
            np.copyto(gb, gb + scale * gsum, casting="unsafe")


# ------------------------------------------------------------------------------- LRN


def _channel_window_sum(a: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """out[:, c] = sum of a[:, c - lo .. c + hi] (clipped to the channel range)."""
    B, C = a.shape[:2]
    cs = np.zeros((B, C + 1) + a.shape[2:], dtype=np.float64)
    np.cumsum(a, axis=1, out=cs[:, 1:])
    c = np.arange(C)
    top = np.minimum(c + hi, C - 1) + 1
    bot = np.maximum(c - lo, 0)
    return cs[:, top] - cs[:, bot]


def _lrn_input(input: Tensor) -> tuple[np.ndarray, bool]:
    if input.dim() not in (3, 4):
        raise TorchError("Input must be 3D or 4D")
    return (input.arr, True) if input.dim() == 4 else (input.arr[None], False)


def _lrn_scale(x: np.ndarray, size: int, alpha: float, k: float) -> tuple[np.ndarray, int, int]:
    lo = (size - 1) // 2
    hi = size - 1 - lo
    return k + alpha / size * _channel_window_sum(x.astype(np.float64) ** 2, lo, hi), lo, hi


def SpatialCrossMapLRN_updateOutput(
    input: Tensor, output: Tensor, scale: Tensor, size: int, alpha: float, beta: float, k: float
) -> None:
    x, batch = _lrn_input(input)
    sc, _, _ = _lrn_scale(x, size, alpha, k)
    np.copyto(out_view(scale, x.shape, batch), sc, casting="unsafe")
    np.copyto(out_view(output, x.shape, batch), x * sc**-beta, casting="unsafe")


def SpatialCrossMapLRN_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    scale: Tensor,
    output: Tensor,
    size: int,
    alpha: float,
    beta: float,
    k: float,
) -> None:
    x, batch = _lrn_input(input)
    g = (gradOutput.arr if batch else gradOutput.arr[None]).astype(np.float64)
    sc, lo, hi = _lrn_scale(x, size, alpha, k)
    y = x * sc**-beta
    ratio = _channel_window_sum(g * y / sc, hi, lo)  # the transposed window
    gx = g * sc**-beta - 2 * alpha * beta / size * x * ratio
    np.copyto(out_view(gradInput, x.shape, batch), gx, casting="unsafe")


# ----------------------------------------------------------------- local normalizations


def _kernel2d(kernel: Tensor) -> np.ndarray:
    k = kernel.arr.astype(np.float64)
    if k.ndim == 1:
        return np.outer(k, k)
    if k.ndim != 2:
        raise TorchError("averaging kernel must be 2D or 1D")
    return k


def _local_sum(z: np.ndarray, K: np.ndarray, transpose: bool = False) -> np.ndarray:
    """'Same' zero-padded correlation of z (B, H, W) with K (odd sizes), or its adjoint."""
    kh, kw = K.shape
    ph, pw = kh // 2, kw // 2
    B, H, W = z.shape
    if not transpose:
        zp = np.zeros((B, H + 2 * ph, W + 2 * pw))
        zp[:, ph : ph + H, pw : pw + W] = z
        out = np.zeros((B, H, W))
        for i, j in product(range(kh), range(kw)):
            out += K[i, j] * zp[:, i : i + H, j : j + W]
        return out
    acc = np.zeros((B, H + 2 * ph, W + 2 * pw))
    for i, j in product(range(kh), range(kw)):
        acc[:, i : i + H, j : j + W] += K[i, j] * z
    return acc[:, ph : ph + H, pw : pw + W]


def _local_input(input: Tensor, nInputPlane: int) -> tuple[np.ndarray, bool]:
    if input.dim() not in (3, 4):
        raise TorchError(
            f"3D or 4D (batch mode) tensor expected for input, but got: {sizes(input)}"
        )
    x, batch = (input.arr, True) if input.dim() == 4 else (input.arr[None], False)
    if x.shape[1] != nInputPlane:
        raise TorchError(
            f"Need input of dimension {input.dim()} and input.size["
            f"{1 if batch else 0}] == {nInputPlane} but got input to be of shape: "
            f"{sizes(input)}"
        )
    return x.astype(np.float64), batch


def _coef(x: np.ndarray, K: np.ndarray) -> np.ndarray:
    return _local_sum(np.full((1,) + x.shape[2:], float(x.shape[1])), K)


def SpatialSubtractiveNormalization_updateOutput(
    input: Tensor, output: Tensor, kernel: Tensor, nInputPlane: int
) -> None:
    x, batch = _local_input(input, nInputPlane)
    K = _kernel2d(kernel)
    mean = _local_sum(x.sum(1), K) / _coef(x, K)
    np.copyto(out_view(output, x.shape, batch), x - mean[:, None], casting="unsafe")


def SpatialSubtractiveNormalization_updateGradInput(
    input: Tensor, gradOutput: Tensor, gradInput: Tensor, kernel: Tensor, nInputPlane: int
) -> None:
    x, batch = _local_input(input, nInputPlane)
    K = _kernel2d(kernel)
    g = (gradOutput.arr if batch else gradOutput.arr[None]).astype(np.float64)
    back = _local_sum(g.sum(1) / _coef(x, K), K, transpose=True)
    np.copyto(out_view(gradInput, x.shape, batch), g - back[:, None], casting="unsafe")


def _divisive(x: np.ndarray, K: np.ndarray, threshold: float, thresval: float):
    v = _local_sum((x * x).sum(1), K)
    std = np.sqrt(v)
    coef = _coef(x, K)
    adj = std / coef
    keep = adj > threshold
    return v, std, coef, adj, keep, np.where(keep, adj, thresval)


def SpatialDivisiveNormalization_updateOutput(
    input: Tensor,
    output: Tensor,
    kernel: Tensor,
    nInputPlane: int,
    threshold: float,
    thresval: float,
) -> None:
    x, batch = _local_input(input, nInputPlane)
    *_, t = _divisive(x, _kernel2d(kernel), threshold, thresval)
    np.copyto(out_view(output, x.shape, batch), x / t[:, None], casting="unsafe")


def SpatialDivisiveNormalization_updateGradInput(
    input: Tensor,
    gradOutput: Tensor,
    gradInput: Tensor,
    kernel: Tensor,
    nInputPlane: int,
    threshold: float,
    thresval: float,
) -> None:
    x, batch = _local_input(input, nInputPlane)
    K = _kernel2d(kernel)
    g = (gradOutput.arr if batch else gradOutput.arr[None]).astype(np.float64)
    v, std, coef, adj, keep, t = _divisive(x, K, threshold, thresval)
    dt = -(g * x).sum(1) / (t * t)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Torch's Sqrt backward: 0.5 * gradOutput / output, replicated over the planes
        dv = np.where(keep, dt, 0.0) / coef * 0.5 / std
    gx = g / t[:, None] + 2 * x * _local_sum(dv, K, transpose=True)[:, None]
    np.copyto(out_view(gradInput, x.shape, batch), gx, casting="unsafe")
