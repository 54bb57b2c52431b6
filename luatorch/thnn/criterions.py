"""Criterions beyond MSE: the loss is returned as a number, gradients are written in place.

Formulas and checks follow THNN (and, for the criterions Torch writes in Lua, the Lua code):
sums over the batch run in element order in the tensor's own precision, as THNN's C loops do,
so losses round as Torch's do. Indices in targets are 1-based, as in Lua.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from ..tensor import accreal, libm
from ..tensor.core import Tensor, TorchError
from ._util import check_nelement, resize_as, sz


def _flat_target(input: Tensor, target: Tensor) -> np.ndarray:
    check_nelement(input, target, "input", "target")
    t = target.arr
    return t if t.shape == input.size else t.reshape(input.size)


def _seq(a: np.ndarray) -> float:
    """Sum in element order, in a's precision (THNN's ``real sum`` loops)."""
    return float(accreal.seq(a, None, a.dtype)) if a.size else 0.0


def _real_sum(terms: np.ndarray, like: np.ndarray) -> float:
    """THNN's ``real sum += term`` with terms computed in double (see libm.real_sum)."""
    return libm.real_sum(terms, like.dtype)


def _average(loss: float, input: Tensor, sizeAverage: bool) -> float:
    """THNN: ``if (sizeAverage) sum /= nElement`` in real."""
    if not sizeAverage:
        return loss
    real = input.arr.dtype.type
    return float(real(real(loss) / real(input.nelement())))


def _norm(input: Tensor, sizeAverage: bool) -> float:
    return 1.0 / input.nelement() if sizeAverage else 1.0


def _put(out: Tensor, like: Tensor, value: np.ndarray) -> None:
    np.copyto(resize_as(out, like), value, casting="unsafe")


# ------------------------------------------------------------------------------ element-wise
def AbsCriterion_updateOutput(input: Tensor, target: Tensor, sizeAverage: bool) -> float:
    loss = _seq(np.abs(input.arr - _flat_target(input, target)))
    return _average(loss, input, sizeAverage)


def AbsCriterion_updateGradInput(
    input: Tensor, target: Tensor, gradInput: Tensor, sizeAverage: bool
) -> None:
    norm = _norm(input, sizeAverage)
    d = input.arr - _flat_target(input, target)
    _put(gradInput, input, np.where(d >= 0, norm, -norm))


def SmoothL1Criterion_updateOutput(input: Tensor, target: Tensor, sizeAverage: bool) -> float:
    # THNN: real z = fabs(x - t); sum += z < 1 ? 0.5*z*z : z - 0.5 (terms in double)
    z = np.abs(input.arr - _flat_target(input, target)).astype(np.float64)
    loss = _real_sum(np.where(z < 1, 0.5 * z * z, z - 0.5), input.arr)
    return _average(loss, input, sizeAverage)


def SmoothL1Criterion_updateGradInput(
    input: Tensor, target: Tensor, gradInput: Tensor, sizeAverage: bool
) -> None:
    norm = _norm(input, sizeAverage)
    x = input.arr - _flat_target(input, target)
    _put(gradInput, input, np.where(x < -1, -norm, np.where(x > 1, norm, norm * x)))


def DistKLDivCriterion_updateOutput(input: Tensor, target: Tensor, sizeAverage: bool) -> float:
    # THNN: sum += t > 0 ? t * (log(t) - x) : 0, with the double log
    t = _flat_target(input, target)
    logt = libm.call("log", np.where(t > 0, t, 1))
    terms = np.where(t > 0, t * (logt - input.arr), 0)
    loss = _real_sum(terms, input.arr)
    return _average(loss, input, sizeAverage)


def DistKLDivCriterion_updateGradInput(
    input: Tensor, target: Tensor, gradInput: Tensor, sizeAverage: bool
) -> None:
    norm = _norm(input, sizeAverage)
    t = _flat_target(input, target)
    _put(gradInput, input, np.where(t > 0, -norm * t, 0))


def MarginCriterion_updateOutput(
    input: Tensor, target: Tensor, sizeAverage: bool, margin: float
) -> float:
    x = input.arr
    z = x.dtype.type(margin) - x * _flat_target(input, target)
    loss = _seq(np.where(z > 0, z, 0).astype(x.dtype))
    return _average(loss, input, sizeAverage)


def MarginCriterion_updateGradInput(
    input: Tensor, target: Tensor, gradInput: Tensor, sizeAverage: bool, margin: float
) -> None:
    norm = _norm(input, sizeAverage)
    t = _flat_target(input, target)
    _put(gradInput, input, np.where(input.arr * t < margin, -norm * t, 0))


def SoftMarginCriterion_updateOutput(input: Tensor, target: Tensor, sizeAverage: bool) -> float:
    # THNN: real z = log(1. + exp(-x * y)) (double exp and log, stored as real); sum += z
    x = input.arr
    z = libm.call("log", 1.0 + libm.call("exp", -x * _flat_target(input, target)))
    loss = _seq(z.astype(x.dtype))
    return _average(loss, input, sizeAverage)


def SoftMarginCriterion_updateGradInput(
    input: Tensor, target: Tensor, gradInput: Tensor, sizeAverage: bool
) -> None:
    # THNN: real z = exp(-y * x); -norm * y * z / (1. + z), the product in real
    x = input.arr
    real = x.dtype.type
    norm = real(_norm(input, sizeAverage))
    t = _flat_target(input, target)
    z = libm.call("exp", -t * x).astype(x.dtype)
    _put(gradInput, input, ((-norm * t) * z) / (1.0 + z.astype(np.float64)))


# ------------------------------------------------------------------------------ BCE
_EPS = 1e-12


def _bce_weights(input: Tensor, weights: Tensor | None) -> np.ndarray | float:
    # the module has made a 1-D weights the target's shape (view(1, n):expandAs(target))
    # when the target is not 1-D; THNN pairs the elements in their own orders
    if weights is None:
        return 1.0
    check_nelement(input, weights, "input", "weights")
    w = weights.arr
    return w if w.shape == input.size else w.reshape(input.size)


def _printf_f(v: float) -> str:
    """C's ``%f`` (a NaN with its sign bit set is ``-nan``)."""
    if v != v:
        return "-nan" if math.copysign(1.0, v) < 0 else "nan"
    return f"{v:f}"


def BCECriterion_updateOutput(
    input: Tensor, target: Tensor, sizeAverage: bool, weights: Tensor | None
) -> float:
    # THNN: sum -= (log(x + EPS) * y + log(1. - x + EPS) * (1. - y)) [* w], in double with
    # the C library's log, into a real sum
    x = input.arr
    t = _flat_target(input, target)
    w = _bce_weights(input, weights)
    xd = x.astype(np.float64)
    bad = ~((xd >= 0.0) & (xd <= 1.0))
    if bad.any():
        # THNN asserts every input in [0, 1] as its loop reaches it
        first = float(xd.reshape(-1)[int(np.argmax(bad.reshape(-1)))])
        raise TorchError(
            "Assertion `x >= 0. && x <= 1.' failed. input value should be between 0~1, "
            f"but got {_printf_f(first)}"
        )
    terms = libm.call("log", xd + _EPS) * t + libm.call("log", 1.0 - xd + _EPS) * (1.0 - t)
    if not isinstance(w, float):
        terms = terms * w
    loss = _real_sum(-terms, x)
    return _average(loss, input, sizeAverage)


def BCECriterion_updateGradInput(
    input: Tensor, target: Tensor, gradInput: Tensor, sizeAverage: bool, weights: Tensor | None
) -> None:
    # THNN: -norm * (y - x) / ((1. - x + EPS) * (x + EPS)), then cmul(weights) in real
    x = input.arr
    real = x.dtype.type
    t = _flat_target(input, target)
    w = _bce_weights(input, weights)
    norm = real(_norm(input, sizeAverage))
    xd = x.astype(np.float64)
    g = ((-norm * (t - x)) / ((1.0 - xd + _EPS) * (xd + _EPS))).astype(x.dtype)
    if not isinstance(w, float):
        g = g * w
    _put(gradInput, input, g)


# ------------------------------------------------------------------------------ ClassNLL
def _class_weights(weights: Tensor | None, n_classes: int) -> np.ndarray | None:
    if weights is None:
        return None
    if weights.nelement() != n_classes:
        raise TorchError(
            f"weight tensor should be defined either for all {n_classes} classes or "
            f"no classes but got weight tensor of shape: {sz(weights)}"
        )
    return weights.arr.reshape(-1)


def _nll_targets(input: Tensor, target: Tensor) -> np.ndarray:
    if target.dim() > 1:
        raise TorchError("multi-target not supported")
    if input.dim() > 2 or input.dim() == 0:
        raise TorchError("input tensor should be 1D or 2D")
    t = target.arr.reshape(-1)
    if input.dim() == 1:
        if t.size == 0:
            # THAssert's text ends "failed. " before TH's " at file:line", which is dropped
            raise TorchError("Assertion `cur_target >= 0 && cur_target < n_classes' failed. ")
        return t[:1].astype(np.int64) - 1
    if t.size != input.size[0]:
        raise TorchError("Assertion `THIndexTensor_(size)(target, 0) == batch_size' failed. ")
    # Torch converts the target with :long(), which truncates
    return (t if t.dtype == np.int64 else t.astype(np.int64)) - 1


def _checked(t: np.ndarray, ignoreIndex: int, n_classes: int) -> np.ndarray | None:
    """The rows that count (target != ignoreIndex), None when all do; out-of-range targets fail
    as in THNN."""
    ignored = t == ignoreIndex - 1
    if ignored.any():
        keep = ~ignored
        u = t[keep]
    else:
        keep = None
        u = t
    if u.size and (u.min() < 0 or u.max() >= n_classes):
        raise TorchError("Assertion `cur_target >= 0 && cur_target < n_classes' failed. ")
    return keep


def ClassNLLCriterion_updateOutput(
    input: Tensor,
    target: Tensor,
    sizeAverage: bool,
    weights: Tensor | None,
    total_weight: Tensor,
    ignoreIndex: int = -100,
) -> float:
    n_classes = input.size[-1] if input.dim() else 0
    t = _nll_targets(input, target)
    w = _class_weights(weights, n_classes)
    keep = _checked(t, ignoreIndex, n_classes)
    x = input.arr
    dtype = x.dtype
    if x.ndim == 1:
        if keep is None:
            cw = 1.0 if w is None else float(w[t[0]])
            tw, loss = cw, -float(x[t[0]] * dtype.type(cw))
        else:
            tw, loss = 0.0, 0.0
    else:
        rows = np.arange(x.shape[0]) if keep is None else np.flatnonzero(keep)
        cls = t if keep is None else t[keep]
        picked = x[rows, cls]
        if w is None:
            tw = float(len(rows))
            loss = -_seq(picked)
        else:
            cw = w[cls].astype(dtype)
            tw = _seq(cw)
            loss = -_seq(picked * cw)
        # THNN subtracts from 0, which never gives -0 (every row ignored: +0, not -(+0))
        loss += 0.0
    total_weight.resize((1,))
    total_weight.arr[0] = tw
    if sizeAverage and tw:
        loss = float(dtype.type(loss) / dtype.type(tw))
    return loss


def ClassNLLCriterion_updateGradInput(
    input: Tensor,
    target: Tensor,
    gradInput: Tensor,
    sizeAverage: bool,
    weights: Tensor | None,
    total_weight: Tensor,
    ignoreIndex: int = -100,
) -> None:
    n_classes = input.size[-1] if input.dim() else 0
    t = _nll_targets(input, target)
    w = _class_weights(weights, n_classes)
    g = resize_as(gradInput, input)
    g.fill(0)
    tw = float(total_weight.arr.reshape(-1)[0]) if total_weight.nelement() else 0.0
    if tw <= 0:
        return
    keep = _checked(t, ignoreIndex, n_classes)
    if input.dim() == 1:
        if keep is None:
            g[t[0]] = -w[t[0]] if (not sizeAverage and w is not None) else -1
        return
    rows = np.arange(g.shape[0]) if keep is None else np.flatnonzero(keep)
    cls = t if keep is None else t[keep]
    if w is None:
        g[rows, cls] = -1.0 / tw if sizeAverage else -1.0
    else:
        vals = -w[cls]
        g[rows, cls] = vals / tw if sizeAverage else vals


def _spatial_targets(input: Tensor, target: Tensor) -> np.ndarray:
    if target.dim() != 3:
        raise TorchError(
            "bad argument #3 to 'v' (only batches of spatial targets supported (3D tensors) "
            f"but got targets of dimension: {target.dim()})"
        )
    if input.dim() != 4:
        raise TorchError(
            "bad argument #2 to 'v' (only batches of spatial inputs supported (4D tensors), "
            f"but got input of dimension: {input.dim()})"
        )
    n, c, h, w = input.size
    if target.size != (n, h, w):
        raise TorchError(
            "Assertion `input0 == target0 && input2 == target1 && input3 == target2' failed. "
            f"size mismatch (got input: {n}x{c}x{h}x{w}, target: {'x'.join(map(str, target.size))})"
        )
    return target.arr.astype(np.int64) - 1


def _spatial_weights(input: Tensor, weights: Tensor | None) -> np.ndarray | None:
    if weights is None:
        return None
    if weights.nelement() != input.size[1]:
        raise TorchError("weight tensor should be defined either for all or no classes")
    return weights.arr.reshape(-1)


@functools.lru_cache(maxsize=64)
def _spatial_positions(n: int, c: int, hw: int) -> np.ndarray:
    """Flat index of class 0 at every (sample, position) of an n x c x hw input."""
    base = (np.arange(n)[:, None] * (c * hw) + np.arange(hw)[None, :]).reshape(-1)
    base.flags.writeable = False
    return base


def SpatialClassNLLCriterion_updateOutput(
    input: Tensor, target: Tensor, sizeAverage: bool, weights: Tensor | None, total_weight: Tensor
) -> float:
    t = _spatial_targets(input, target).reshape(-1)
    w = _spatial_weights(input, weights)
    n, n_classes, h, wd = input.size
    if t.size and (t.min() < 0 or t.max() >= n_classes):
        raise TorchError("Assertion `cur_target >= 0 && cur_target < n_classes' failed. ")
    x = input.arr
    flat = np.ascontiguousarray(x).reshape(-1)  # THNN's newContiguous
    picked = flat[_spatial_positions(n, n_classes, h * wd) + t * (h * wd)]
    # THNN: real total = 0, loss = 0; total += weight; loss -= input * weight, in order
    if w is None:
        # a sum of ones in real: exact until it sticks at 2^24 (float) or 2^53 (double)
        tw = float(min(t.size, 2 ** (np.finfo(x.dtype).nmant + 1)))
        loss = -_seq(picked)
    else:
        cw = w[t].astype(x.dtype)
        tw = _seq(cw)
        loss = -_seq((picked * cw).astype(x.dtype))
    total_weight.resize((1,))
    total_weight.arr[0] = tw
    if sizeAverage and tw:
        loss = float(x.dtype.type(loss) / x.dtype.type(tw))
    return loss


def SpatialClassNLLCriterion_updateGradInput(
    input: Tensor,
    target: Tensor,
    gradInput: Tensor,
    sizeAverage: bool,
    weights: Tensor | None,
    total_weight: Tensor,
) -> None:
    t = _spatial_targets(input, target)
    w = _spatial_weights(input, weights)
    n_classes = input.size[1]
    g = resize_as(gradInput, input)
    g[...] = 0
    tw = float(total_weight.arr.reshape(-1)[0]) if total_weight.nelement() else 0.0
    if tw <= 0:
        return
    if ((t < 0) | (t >= n_classes)).any():
        raise TorchError("Assertion `cur_target >= 0 && cur_target < n_classes' failed. ")
    vals = -(np.ones(t.shape) if w is None else w[t])
    if sizeAverage:
        vals = vals / tw
    np.put_along_axis(g, t[:, None], vals[:, None], axis=1)


# ------------------------------------------------------------------------------ margins
def _mm_frames(input: Tensor, target: Tensor) -> tuple[np.ndarray, np.ndarray]:
    if input.dim() not in (1, 2):
        raise TorchError("bad argument #2 to 'v' (vector or matrix expected)")
    x = input.arr
    if input.dim() == 1:
        x = x.reshape(1, -1)
        t = target.arr.reshape(-1)[:1]
    else:
        if target.dim() != 1 or target.size[0] != input.size[0]:
            raise TorchError("bad argument #3 to 'v' (inconsistent target size)")
        t = target.arr
    dim = x.shape[1]
    idx = t.astype(np.float64)
    if ((idx < 1) | (idx > dim)).any():
        raise TorchError("bad argument #3 to 'v' (target out of range)")
    return x, idx.astype(np.int64) - 1


def _mm_terms(x: np.ndarray, t: np.ndarray, margin: float) -> tuple[np.ndarray, np.ndarray]:
    """THNN's ``real z = margin - input_target + input_data[d]`` for every d (in real) and
    whether it counts (z > 0, d not the target)."""
    rows = np.arange(x.shape[0])
    z = x.dtype.type(margin) - x[rows, t][:, None] + x
    on = z > 0
    on[rows, t] = False
    return z, on


def _real_scale(n: int, real: type) -> np.generic:
    """THNN's ``real g = 1./((real)n)``: the division in double, stored as real."""
    return real(1.0 / float(real(n)))


def MultiMarginCriterion_updateOutput(
    input: Tensor, target: Tensor, sizeAverage: bool, p: int, weights: Tensor | None, margin: float
) -> float:
    x, t = _mm_frames(input, target)
    real = x.dtype.type
    z, on = _mm_terms(x, t, margin)
    h = z if p == 1 else z * z
    if weights is not None:
        h = h * weights.arr.reshape(-1)[t][:, None].astype(x.dtype)
    # ``real sum += h`` frame after frame; the divisions in real
    total = real(_seq(np.where(on, h, 0).astype(x.dtype)))
    nframe, dim = x.shape
    total = real(total / real(dim))
    if sizeAverage:
        total = real(total / real(nframe))
    return float(total)


def MultiMarginCriterion_updateGradInput(
    input: Tensor,
    target: Tensor,
    gradInput: Tensor,
    sizeAverage: bool,
    p: int,
    weights: Tensor | None,
    margin: float,
) -> None:
    x, t = _mm_frames(input, target)
    real = x.dtype.type
    nframe, dim = x.shape
    g = _real_scale(nframe * dim if sizeAverage else dim, real)
    z, on = _mm_terms(x, t, margin)
    h = np.full(z.shape, g) if p == 1 else real(2) * g * z
    if weights is not None:
        h = h * weights.arr.reshape(-1)[t][:, None].astype(x.dtype)
    h = np.where(on, h, real(0)).astype(x.dtype)
    rows = np.arange(nframe)
    # gradInput_target = 0 - h_1 - h_2 ... in real, d in order
    h[rows, t] = real(0) - accreal.seq(h, 1, x.dtype)
    _put(gradInput, input, h.reshape(input.size))


def _mlm_frames(input: Tensor, target: Tensor) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(input rows, 0-based targets, which target slots count: those before the first 0)."""
    if input.dim() not in (1, 2):
        raise TorchError("bad argument #2 to 'v' (vector or matrix expected)")
    if input.dim() == 1:
        dim = input.size[0]
        if target.dim() != 1 or target.size[0] != dim:
            raise TorchError("bad argument #3 to 'v' (inconsistent target size)")
    else:
        nframe, dim = input.size
        if target.dim() != 2 or target.size != (nframe, dim):
            raise TorchError("bad argument #3 to 'v' (inconsistent target size)")
    t = target.arr.astype(np.int64).reshape(-1, dim)
    if t.size and (t.min() < 0 or t.max() > dim):
        raise TorchError("bad argument #3 to 'v' (target out of range)")
    valid = np.cumprod(t > 0, axis=1).astype(bool)
    return input.arr.reshape(-1, dim), t - 1, valid


def _mlm_mask(
    x: np.ndarray, t: np.ndarray, valid: np.ndarray, isTarget: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    rows = np.arange(x.shape[0])[:, None]
    tc = np.where(valid, t, 0)
    xt = x[rows, tc]  # (n, slots)
    z = 1 - xt[:, :, None] + x[:, None, :]  # (n, slots, dim)
    on = (z > 0) & valid[:, :, None] & ~isTarget.astype(bool)[:, None, :]
    return z, on


def MultiLabelMarginCriterion_updateOutput(
    input: Tensor, target: Tensor, isTarget: Tensor, sizeAverage: bool
) -> float:
    x, t, valid = _mlm_frames(input, target)
    real = x.dtype.type
    n, dim = x.shape
    mark = np.zeros((n, dim), dtype=x.dtype)
    rows = np.broadcast_to(np.arange(n)[:, None], t.shape)
    mark[rows[valid], t[valid]] = 1
    isTarget.resize(input.size)
    np.copyto(isTarget.arr, mark.reshape(input.size), casting="unsafe")
    z, on = _mlm_mask(x, t, valid, mark)
    # ``real sum += z`` frame by frame, target by target, d in order; the divisions in real
    total = real(_seq(np.where(on, z, 0).astype(x.dtype)))
    total = real(total / real(dim))
    if sizeAverage:
        total = real(total / real(n))
    return float(total)


def MultiLabelMarginCriterion_updateGradInput(
    input: Tensor, target: Tensor, gradInput: Tensor, isTarget: Tensor, sizeAverage: bool
) -> None:
    x, t, valid = _mlm_frames(input, target)
    real = x.dtype.type
    n, dim = x.shape
    if isTarget.nelement() != x.size:
        raise TorchError("inconsistent isTarget size")
    mark = isTarget.arr.reshape(n, dim)
    g = _real_scale(n * dim if sizeAverage else dim, real)
    _, on = _mlm_mask(x, t, valid, mark)
    # THNN adds g to a non-target d, and subtracts it from the target, once per margin term,
    # each time in real: an element changed k times holds the k-th running sum of g
    adds = on.sum(axis=1)  # per d: += g
    counts = on.sum(axis=2)  # per target slot: -= g each
    rows = np.broadcast_to(np.arange(n)[:, None], t.shape)
    subs = np.zeros((n, dim), np.int64)
    np.add.at(subs, (rows[valid], t[valid]), counts[valid])
    steps = np.add.accumulate(
        np.full(max(int(adds.max(initial=0)), int(subs.max(initial=0))) + 1, g, x.dtype)
    )
    running = np.concatenate([np.zeros(1, x.dtype), steps])
    grad = np.where(subs > 0, -running[subs], running[adds])
    _put(gradInput, input, grad.reshape(input.size))


# ------------------------------------------------------------------------------ embeddings
def HingeEmbeddingCriterion_updateOutput(
    input: Tensor, y: Tensor, margin: float, sizeAverage: bool
) -> float:
    # nn's Lua: buffer sums (accreal), margin - x in real, the total and the average in double
    x = input.arr
    t = _flat_target(input, y)
    first = accreal.seq(np.where(t == -1, 0, x).astype(x.dtype))
    second = accreal.seq(
        np.where(t == 1, 0, np.maximum(x.dtype.type(margin) - x, 0)).astype(x.dtype)
    )
    loss = float(first) + float(second)
    return loss / input.nelement() if sizeAverage else loss


def HingeEmbeddingCriterion_updateGradInput(
    input: Tensor, y: Tensor, gradInput: Tensor, margin: float, sizeAverage: bool
) -> None:
    x = input.arr
    t = _flat_target(input, y)
    g = np.where((t == -1) & (x > margin), 0, t).astype(np.float64)
    if sizeAverage:
        g = g * (1 / input.nelement())
    _put(gradInput, input, g)


def _pair(x1: Tensor, x2: Tensor) -> tuple[np.ndarray, np.ndarray]:
    a, b = x1.arr, x2.arr
    if a.shape != b.shape:
        raise TorchError(f"inconsistent tensor size, expected {sz(x1)} and {sz(x2)} to match")
    if a.ndim == 1:
        return a.reshape(1, -1), b.reshape(1, -1)
    if a.ndim != 2:
        raise TorchError("vector or matrix expected")
    return a, b


def _cosine(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    w1 = (a * b).sum(axis=1)
    w22 = 1.0 / ((a * a).sum(axis=1) + 1e-12)
    w32 = 1.0 / ((b * b).sum(axis=1) + 1e-12)
    w = np.sqrt(w22 * w32)
    return w1, w22, w32, w


def _cosine_outputs(cos: np.ndarray, y: np.ndarray, margin: float) -> np.ndarray:
    out = cos.copy()
    neg = y == -1
    out[neg] = np.maximum(cos[neg] - margin, 0)
    pos = y == 1
    out[pos] = 1 - cos[pos]
    return out


def CosineEmbeddingCriterion_updateOutput(
    x1: Tensor, x2: Tensor, y: Tensor, margin: float, sizeAverage: bool
) -> float:
    a, b = _pair(x1, x2)
    yv = y.arr.reshape(-1)
    if yv.size != a.shape[0]:
        raise TorchError("inconsistent target size")
    w1, _, _, w = _cosine(a, b)
    out = _cosine_outputs(w1 * w, yv, margin)
    loss = _seq(out.astype(a.dtype))
    return loss / yv.size if sizeAverage else loss


def CosineEmbeddingCriterion_updateGradInput(
    x1: Tensor, x2: Tensor, y: Tensor, gw1: Tensor, gw2: Tensor, margin: float, sizeAverage: bool
) -> None:
    a, b = _pair(x1, x2)
    yv = y.arr.reshape(-1)
    if yv.size != a.shape[0]:
        raise TorchError("inconsistent target size")
    w1, w22, w32, w = _cosine(a, b)
    out = _cosine_outputs(w1 * w, yv, margin)
    g1 = (b - (w1 * w22)[:, None] * a) * w[:, None]
    g2 = (a - (w1 * w32)[:, None] * b) * w[:, None]
    dead = (out <= 0)[:, None]
    sign = np.where(yv == 1, -1.0, 1.0)[:, None]
    g1 = np.where(dead, 0, g1) * sign
    g2 = np.where(dead, 0, g2) * sign
    if sizeAverage:
        g1 = g1 / yv.size
        g2 = g2 / yv.size
    _put(gw1, x1, g1.reshape(x1.size))
    _put(gw2, x2, g2.reshape(x2.size))


def MarginRankingCriterion_updateOutput(
    x1: Tensor, x2: Tensor, y: Tensor, margin: float, sizeAverage: bool
) -> float:
    a = x1.arr
    b = _flat_target(x1, x2)
    yv = _flat_target(x1, y)
    out = np.maximum(-(a - b) * yv + margin, 0)
    loss = _seq(out.astype(a.dtype))
    return loss / y.size[0] if sizeAverage else loss


def MarginRankingCriterion_updateGradInput(
    x1: Tensor, x2: Tensor, y: Tensor, g1: Tensor, g2: Tensor, margin: float, sizeAverage: bool
) -> None:
    a = x1.arr
    b = _flat_target(x1, x2)
    yv = _flat_target(x1, y)
    mask = (-(a - b) * yv + margin >= 0).astype(np.float64)
    d1 = -mask * yv
    d2 = mask * yv
    if sizeAverage:
        d1 = d1 / y.size[0]
        d2 = d2 / y.size[0]
    _put(g1, x1, d1)
    _put(g2, x1, d2)


def WeightedMSECriterion_updateOutput(
    input: Tensor, target: Tensor, weight: Tensor, sizeAverage: bool
) -> float:
    d = input.arr - _weighted_target(input, target, weight)
    flat = d.reshape(-1)
    loss = float(np.dot(flat, flat))
    return loss / input.nelement() if sizeAverage else loss


def WeightedMSECriterion_updateGradInput(
    input: Tensor, target: Tensor, weight: Tensor, gradInput: Tensor, sizeAverage: bool
) -> None:
    norm = 2.0 / input.nelement() if sizeAverage else 2.0
    _put(gradInput, input, norm * (input.arr - _weighted_target(input, target, weight)))


def _weighted_target(input: Tensor, target: Tensor, weight: Tensor) -> np.ndarray:
    """Torch weights the target, not the difference: buffer = target .* weight (per sample)."""
    t = _flat_target(input, target)
    w = weight.arr
    if input.dim() - 1 == weight.dim():
        if w.size != math.prod(input.size[1:]):
            raise TorchError("inconsistent tensor size")
        return t * w.reshape((1,) + input.size[1:])
    if w.size != input.nelement():
        raise TorchError("inconsistent tensor size")
    return t * w.reshape(input.size)
