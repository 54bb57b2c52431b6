"""Kernels of the layers nn gained late (the ones nn's own test.lua checks last).

Kmeans:           y_b = argmin_k ||x_b - c_k||^2, loss = sum_b min_k ||x_b - c_k||^2
                  dc_k += -s/n_k * sum_{b in k} (x_b - c_k)
FeatureLPPooling: y = (sum over a window of features of |x|^p)^(1/p), stride along features
IndexLinear:      y_b = sum_i w[key_i] * v_i + bias, over sparse (key, value) lists
"""

from __future__ import annotations

import numpy as np

from ..tensor.core import Tensor, TorchError
from ._util import store


# ------------------------------------------------------------------------------ Kmeans
def Kmeans_updateOutput(input: Tensor, weight: Tensor, output: Tensor, minIndx: Tensor) -> float:
    """Nearest centre of each row of input (output and minIndx, 1-based); returns the loss."""
    x = input.arr
    c = weight.arr
    if x.ndim != 2:
        raise TorchError("Incorrect input dimensionality. Expecting 2D.")
    if x.shape[1] != c.shape[1]:
        raise TorchError("Dimensionality of input and weight don't match.")
    # Torch takes the norm and squares it again; keep that rounding
    dist = np.sqrt(np.square(x[None, :, :] - c[:, None, :]).sum(axis=2)) ** 2
    idx = np.argmin(dist, axis=0)
    store(minIndx, idx + 1)
    store(output, idx + 1)
    return float(dist[idx, np.arange(x.shape[0])].sum())


def Kmeans_accGradParameters(
    input: Tensor,
    weight: Tensor,
    gradWeight: Tensor,
    minIndx: Tensor,
    clusterSampleCount: Tensor,
    scale: float,
) -> None:
    """gradWeight += -scale * mean over each cluster's members of (x - c)."""
    x = input.arr
    c = weight.arr
    k = c.shape[0]
    idx = minIndx.arr.reshape(-1).astype(np.int64) - 1
    counts = np.bincount(idx, minlength=k).astype(c.dtype)
    store(clusterSampleCount, counts)
    step = np.zeros_like(c)
    np.add.at(step, idx, -scale * (x - c[idx]))
    # the tiny constant keeps empty clusters from dividing by zero, as nn does
    step /= (counts + 1e-7)[:, None]
    gradWeight.arr[...] += step


# ------------------------------------------------------------------------------ FeatureLPPooling
def _lp_input(input: Tensor, width: int, stride: int, batchMode: bool, arg: int) -> np.ndarray:
    """input as (batch, feature, rest) with THNN's checks."""
    nd = input.dim()
    if batchMode:
        if not 2 <= nd <= 4:
            raise TorchError(
                f"bad argument #{arg} to 'FeatureLPPooling': "
                "input must be 2-4 dimensions for batch mode"
            )
        x = input.arr
    else:
        if not 1 <= nd <= 3:
            raise TorchError(
                f"bad argument #{arg} to 'FeatureLPPooling': "
                "input must be 1-3 dimensions for non-batch mode"
            )
        x = input.arr[None]
    x = x.reshape(x.shape[0], x.shape[1], -1)
    if x.shape[1] < width:
        raise TorchError(
            "bad argument #3 to 'FeatureLPPooling': input: feature dimension must be >= width"
        )
    if not 2 <= width <= 16:
        raise TorchError("bad argument #5 to 'FeatureLPPooling': width must be between 2 - 16")
    if not 1 <= stride <= 4:
        raise TorchError("bad argument #6 to 'FeatureLPPooling': stride must be between 1 - 4")
    return x


def _lp_windows(x: np.ndarray, width: int, stride: int) -> np.ndarray:
    """(batch, outFeatures, width, rest) view of the feature windows."""
    nout = (x.shape[1] - width) // stride + 1
    s = x.strides
    return np.lib.stride_tricks.as_strided(
        x, (x.shape[0], nout, width, x.shape[2]), (s[0], s[1] * stride, s[1], s[2]), writeable=False
    )


def FeatureLPPooling_updateOutput(
    input: Tensor, output: Tensor, power: float, width: int, stride: int, batchMode: bool
) -> None:
    x = _lp_input(input, width, stride, batchMode, 2)
    win = _lp_windows(np.ascontiguousarray(x), width, stride)
    y = np.power(np.power(win.astype(np.float64), power).sum(axis=2), 1.0 / power)
    shape = list(input.size)
    shape[1 if batchMode else 0] = y.shape[1]
    store(output, y.astype(x.dtype).reshape(shape))


def FeatureLPPooling_updateGradInput(
    gradOutput: Tensor,
    input: Tensor,
    output: Tensor,
    gradInput: Tensor,
    power: float,
    width: int,
    stride: int,
    batchMode: bool,
) -> None:
    x = _lp_input(input, width, stride, batchMode, 3)
    B, F, R = x.shape
    nout = (F - width) // stride + 1
    y = output.arr.reshape(B, nout, R)
    g = gradOutput.arr.reshape(B, nout, R)
    win = _lp_windows(np.ascontiguousarray(x), width, stride)
    with np.errstate(divide="ignore", invalid="ignore"):
        part = g[:, :, None, :] * np.power(win / y[:, :, None, :], power - 1)
    # windows whose output is 0 send nothing back
    part = np.where((y == 0)[:, :, None, :], 0, part)
    gi = np.zeros((B, F, R), dtype=x.dtype)
    for i in range(width):
        gi[:, i : i + stride * (nout - 1) + 1 : stride] += part[:, :, i]
    store(gradInput, gi.reshape(input.size))
