"""Normalization kernels: batch normalization (nn's cross-map LRN and local normalizations are
Lua over tensor methods, as in nn).

BatchNormalization (per feature f over batch and spatial positions, n values):
  train: mean, invstd = 1/sqrt(var_biased + eps) saved; running_mean/var move by momentum
         (running_var with the unbiased variance); eval uses the running statistics.
  y = (x - mean) * invstd * w + b
  dx = (g - mean(g) - (x - mean) * invstd^2 * sum(g * (x - mean)) / n) * invstd * w   (train)
  dw += scale * sum(g * (x - mean)) * invstd,  db += scale * sum(g)
"""

from __future__ import annotations

import numpy as np

from ..tensor import accreal, libm
from ..tensor.core import Tensor, TorchError
from ._grid import out_view, scratch, sizes

# elements of a block of frames in batch normalization's gradient (a small reused buffer)
_BLOCK = 1 << 15

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
    if a.ndim >= 2 and a.flags.c_contiguous:
        # read in place as (feature, batch, position) by a LuaJIT loop
        rows = a.reshape(a.shape[0], a.shape[1], -1).transpose(1, 0, 2)
        found = libm.seq_rows(rows, accreal.acc_type(a))
        if found is not None:
            return found
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
            y = out_view(output, x.shape, True)
            if np.shares_memory(y, x):
                dev = x - mean.reshape(bshape)
                ssq = _per_feature_sum(dev * dev)
            else:
                # the squared deviations made in the output buffer, overwritten below: two
                # temporaries of the input's size (8 MB of the residual block's peak) spared
                np.subtract(x, mean.reshape(bshape), out=y)
                np.multiply(y, y, out=y)
                ssq = _per_feature_sum(y)
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
                rm,
                momentum * mean.astype(np.float64) + (1 - momentum) * rm.astype(np.float64),
                casting="unsafe",
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
    if input.size != gradOutput.size:
        raise TorchError(
            f"input and gradOutput shapes do not match: input {sizes(input)}, "
            f"gradOutput {sizes(gradOutput)}"
        )
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
        gsum = _per_feature_sum(g)
        w = np.ones(C, x.dtype) if weight is None else weight.arr.astype(x.dtype)
        gi = None if gradInput is None else out_view(gradInput, x.shape, True)
        if (
            gi is not None
            and train
            and x.dtype == f64
            and not np.shares_memory(gi, g)
            and not np.shares_memory(gi, x)
        ):
            # the expression of the path below computed in gradInput's buffer, without
            # temporaries of the input's size (two of them and a third live at once: 12 MB of
            # the residual block's peak): (x - mean) * g summed there, then (x - mean) * k
            # made again (the same operations, the same bits), then (g - gradMean) - that,
            # a block of frames at a time through a small buffer
            mb = mean.reshape(bshape)
            np.subtract(x, mb, out=gi)
            np.multiply(gi, g, out=gi)
            dotp = _per_feature_sum(gi)
            k = dotp * invstd * invstd / real(n)
            np.subtract(x, mb, out=gi)
            np.multiply(gi, k.reshape(bshape), out=gi)
            gm = (gsum / n).reshape(bshape)
            step = max(1, _BLOCK // max(1, x[0].size))
            for b0 in range(0, x.shape[0], step):
                gb, gib = g[b0 : b0 + step], gi[b0 : b0 + step]
                t = np.subtract(gb, gm, out=scratch("bn_block", gb.shape, gb.dtype))
                np.subtract(t, gib, out=gib)
            gi *= invstd.reshape(bshape)
            gi *= w.reshape(bshape)
            gi = None
        else:
            centered = x - mean.reshape(bshape)
            dotp = _per_feature_sum(centered * g)
        if gi is not None:
            if train and x.dtype == f64 and not np.shares_memory(gi, g):
                work = np.empty_like(centered)
                # the same operations in the same order, in place (each temporary of the
                # expression below is a pass over the whole batch)
                k = dotp * invstd * invstd / real(n)
                np.multiply(centered, k.reshape(bshape), out=work)
                np.subtract(g, (gsum / n).reshape(bshape), out=gi)
                gi -= work
                gi *= invstd.reshape(bshape)
                gi *= w.reshape(bshape)
            elif train:
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
