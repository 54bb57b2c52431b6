"""Kernels of the layers nn gained late (the ones nn's own test.lua checks last).

Kmeans:           y_b = argmin_k ||x_b - c_k||^2, loss = sum_b min_k ||x_b - c_k||^2
                  dc_k += -s/n_k * sum_{b in k} (x_b - c_k)
FeatureLPPooling: y = (sum over a window of features of |x|^p)^(1/p), stride along features
IndexLinear:      y_b = sum_i w[key_i] * v_i + bias, over sparse (key, value) lists
"""

from __future__ import annotations

import numpy as np

from ..tensor import libm
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
    nout = (x.shape[1] - width) // stride + 1
    # x^p in double (C's pow, as TH) once per input element (windows overlap: TH takes the
    # same pow again for every window an element is in), then each window's sum in TH's
    # order, i = 0 .. width-1
    xp = libm.call("pow", x, power)
    acc = np.zeros((x.shape[0], nout, x.shape[2]))
    last = stride * (nout - 1) + 1
    for i in range(width):
        acc += xp[:, i : i + last : stride]
    y = libm.call("pow", acc, 1.0 / power)
    shape = list(input.size)
    shape[1 if batchMode else 0] = nout
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
    g = gradOutput.arr.reshape(B, nout, R).astype(np.float64)
    win = _lp_windows(np.ascontiguousarray(x), width, stride)
    # TH: real v = gradOutput * pow(x / y, p - 1): the ratio in the tensor's type, pow and the
    # product in double, one rounding back to the type
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = win / y[:, :, None, :]
        part = (g[:, :, None, :] * libm.call("pow", ratio, power - 1.0)).astype(x.dtype)
    # windows whose output is 0 send nothing back
    part[np.broadcast_to((y == 0)[:, :, None, :], part.shape)] = 0
    gi = np.zeros((B, F, R), dtype=x.dtype)
    # TH adds the windows' parts into an input feature by increasing output feature, that is by
    # decreasing offset i inside the window
    last = stride * (nout - 1) + 1
    for i in range(width - 1, -1, -1):
        gi[:, i : i + last : stride] += part[:, :, i]
    store(gradInput, gi.reshape(input.size))


# ------------------------------------------------------------------------------ IndexLinear
# Inputs are flattened as nn does: keys (LongTensor, all samples concatenated), values, and the
# number of keys of each sample (sizes, cumSumSizes). Row key + keysOffset of weight holds that
# input's output weights; with max-normalization (weight wider than bias by 4) the row starts with
# [max |value| seen, 1 / that max, update scale, value shift] and the weights follow.
def _segments(sizes: Tensor) -> np.ndarray:
    """The sample number of every key."""
    return np.repeat(np.arange(sizes.arr.shape[0]), sizes.arr.astype(np.int64))


def _segment_sums(values: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Sums of consecutive runs of rows of values (run lengths sizes, possibly 0)."""
    out = np.zeros((len(sizes),) + values.shape[1:], dtype=values.dtype)
    full = sizes > 0
    if values.shape[0] and full.any():
        starts = (np.cumsum(sizes) - sizes)[full]
        out[full] = np.add.reduceat(values, starts, axis=0)
    return out


# beyond this many distinct rows _add_rows sums through one bincount over every element
_ADD_ROWS_RUNS = 64


def _add_rows(w: np.ndarray, rows: np.ndarray, values: np.ndarray) -> None:
    """w[rows] += values with repeated rows summed first (in double, in input order, from 0,
    as bincount sums), then added in w's type."""
    if not rows.size:
        return
    uniq, inv = np.unique(rows, return_inverse=True)
    if values.ndim == 1 or values.shape[1] == 1:
        acc = np.bincount(inv, weights=values.reshape(-1), minlength=uniq.size)
        w[uniq] += acc.reshape((uniq.size,) + w.shape[1:]).astype(w.dtype, copy=False)
        return
    if uniq.size <= _ADD_ROWS_RUNS:
        # few distinct rows (nn's test updates one key 400k times): each one's rows summed
        # down the first axis, which numpy adds in sequence, without an index per element
        v = values.astype(np.float64, copy=False)
        for j, r in enumerate(uniq):
            part = v if uniq.size == 1 else v[inv == j]
            w[r] += np.add.reduce(part, axis=0, initial=0.0).astype(w.dtype, copy=False)
        return
    ncols = values.shape[1]
    flat = (inv[:, None] * ncols + np.arange(ncols)).ravel()
    acc = np.bincount(flat, weights=values.reshape(-1), minlength=uniq.size * ncols)
    w[uniq] += acc.reshape(uniq.size, ncols).astype(w.dtype, copy=False)


def _group_cummax(groups: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Running maximum of x within runs of equal (sorted) group ids, by doubling strides."""
    run = x.copy()
    s = 1
    while s < len(run):
        same = groups[s:] == groups[:-s]
        run[s:] = np.where(same, np.maximum(run[s:], run[:-s]), run[s:])
        s *= 2
    return run


def IndexLinear_updateOutput(
    keys: Tensor,
    keysOffset: int,
    values: Tensor,
    sizes: Tensor,
    cumSumSizes: Tensor,
    output: Tensor,
    weight: Tensor,
    bias: Tensor,
    normalizedValues: Tensor,
    train: int,
) -> None:
    w = weight.arr
    b = bias.arr
    out_dim = b.shape[0]
    norm = w.shape[1] - out_dim
    rows = keys.arr.astype(np.int64) + keysOffset
    v = values.arr
    if rows.size and (rows.min() < 0 or rows.max() >= w.shape[0]):
        raise TorchError("index out of range")
    if norm:
        a = np.abs(v)
        if train:
            # the running maximum of |value| per key, in input order, as nn's loop keeps it
            order = np.argsort(rows, kind="stable")
            r_sorted = rows[order]
            running = _group_cummax(r_sorted, np.maximum(a[order], w[r_sorted, 0]))
            seen = np.empty_like(running)
            seen[order] = running
            last = np.r_[r_sorted[1:] != r_sorted[:-1], True]
            w[r_sorted[last], 0] = running[last]
            w[r_sorted[last], 1] = 1 / running[last]
            w[rows, 2] = 1
            inv = 1 / seen
            clamp = a > seen
        else:
            inv = w[rows, 1]
            clamp = a > w[rows, 0]
        nv = np.where(clamp, np.sign(v), v * inv) + w[rows, 3]
        store(normalizedValues, nv.astype(v.dtype))
        contrib = w[rows, norm:] * nv[:, None]
    else:
        contrib = w[rows] * v[:, None]
    y = _segment_sums(contrib, sizes.arr.astype(np.int64))
    store(output, y + b)


def IndexLinear_accGradParameters(
    keys: Tensor,
    keysOffset: int,
    values: Tensor,
    sizes: Tensor,
    cumSumSizes: Tensor,
    gradOutput: Tensor,
    gradWeight: Tensor,
    gradBias: Tensor,
    weight: Tensor,
    bias: Tensor,
    valuesBuffer: Tensor,
    weightDecay: float,
    scale: float,
) -> None:
    """gradWeight becomes one dense row per key: scale * value * gradOutput of its sample
    (preceded by scale * gradOutput with max-normalization); gradBias accumulates."""
    out_dim = bias.arr.shape[0]
    norm = weight.arr.shape[1] > out_dim
    g = gradOutput.arr.reshape(-1, out_dim)
    seg = _segments(sizes)
    v = values.arr
    rows = g[seg] * (v * scale)[:, None]
    if norm:
        rows = np.concatenate([g[seg] * scale, rows], axis=1)
    store(gradWeight, rows)
    gradBias.arr[...] += scale * g.sum(axis=0)


def IndexLinear_updateParameters(
    gradWeight: Tensor,
    gradBias: Tensor,
    weight: Tensor,
    bias: Tensor,
    runningKeys: Tensor,
    cumSumSizes: Tensor,
    keysOffset: int,
    weightDecay: float,
    learningRate: float,
) -> None:
    w = weight.arr
    out_dim = bias.arr.shape[0]
    norm = w.shape[1] - out_dim
    bias.arr[...] -= learningRate * gradBias.arr
    rows = runningKeys.arr.astype(np.int64) + keysOffset
    gw = gradWeight.arr.reshape(rows.shape[0], -1)
    if norm:
        lr = learningRate * w[rows, 2]
        shift = -(gw[:, :out_dim] * w[rows, norm:]).sum(axis=1) * lr
        _add_rows(w[:, 3], rows, shift)
        if weightDecay:
            _add_rows(w[:, norm:], rows, -w[rows, norm:] * (weightDecay * w[rows, 2])[:, None])
        _add_rows(w[:, norm:], rows, -gw[:, out_dim:] * lr[:, None])
    else:
        if weightDecay:
            _add_rows(w, rows, -w[rows] * weightDecay)
        _add_rows(w, rows, -gw * learningRate)


def IndexLinear_accUpdateGradParameters(
    keys: Tensor,
    keysOffset: int,
    values: Tensor,
    sizes: Tensor,
    cumSumSizes: Tensor,
    gradOutput: Tensor,
    weight: Tensor,
    bias: Tensor,
    weightDecay: float,
    scale: float,
) -> None:
    """weight and bias updated in place by -scale * gradient (accUpdateGradParameters)."""
    w = weight.arr
    out_dim = bias.arr.shape[0]
    norm = w.shape[1] - out_dim
    g = gradOutput.arr.reshape(-1, out_dim)
    seg = _segments(sizes)
    rows = keys.arr.astype(np.int64) + keysOffset
    v = values.arr
    bias.arr[...] -= scale * g.sum(axis=0)
    if weightDecay:
        _add_rows(w[:, norm:], rows, -w[rows, norm:] * weightDecay)
    _add_rows(w[:, norm:], rows, -g[seg] * (v * scale)[:, None])
