"""Reductions in TH's order of operations, bit for bit.

TH (torch7's lib/TH/generic/THTensorMath.c) reduces element by element, in the tensor's logical
row-major order (TH_TENSOR_APPLY), into an accumulator of type ``accreal``: double for Float and
Double tensors, long for integer ones. numpy's ``sum`` adds pairwise and ``var`` uses another
formula, so results differ in the last bits; everything here adds in sequence, with
``np.add.accumulate`` (which is defined as r[i] = r[i-1] + a[i], in order) on the right type.

Some TH functions do not use accreal (``dist`` and ``renorm`` keep a ``real`` accumulator, the
strided branch of ``sum(dim)`` adds in the tensor's type) and some special values of ``p`` take
TH's general formula (``norm(math.huge)`` is ``pow(sum, 0) = 1``); each function follows its
TH counterpart, named in its docstring. Functions take numpy views and return numpy values;
the tensor methods in math.py store them.
"""

from __future__ import annotations

import numpy as np

from . import libm

F32 = np.float32
F64 = np.float64

# from this many terms a whole-array sum goes to libm's LuaJIT loop: the same additions without
# numpy's array of partial sums, 1 ns a term instead of 6, after some 10 us to get there
SEQ_LOOP_MIN = 2048


def acc_type(a: np.ndarray) -> type:
    """TH's accreal for a tensor's data: double for floating types, long for integers."""
    return F64 if a.dtype.kind == "f" else np.int64


def seq(a: np.ndarray, axis: int | None = None, dtype: type | None = None) -> np.ndarray:
    """Sum in sequence (a[0] + a[1] + ... in order) along ``axis`` (all elements in row-major
    order when None), adding in ``dtype`` (default: accreal). Integer sums wrap the same in
    any order, so they use numpy's sum."""
    dtype = dtype or acc_type(a)
    if axis is None:
        a = a.reshape(-1)
        axis = 0
    n = a.shape[axis]
    if n == 0:
        return np.zeros(a.shape[:axis] + a.shape[axis + 1 :], dtype)
    if np.dtype(dtype).kind != "f":
        return a.sum(axis=axis, dtype=dtype)
    if n == 1:
        return a.take(0, axis=axis).astype(dtype)
    if a.ndim == 1 and n >= SEQ_LOOP_MIN:
        total = libm.seq_sum(a, dtype)
        if total is not None:
            return np.dtype(dtype).type(total)
    return np.add.accumulate(a, axis=axis, dtype=dtype).take(-1, axis=axis)


def seq_prod(a: np.ndarray, axis: int | None = None, dtype: type | None = None) -> np.ndarray:
    """Product in sequence, as ``seq``."""
    dtype = dtype or acc_type(a)
    if axis is None:
        a = a.reshape(-1)
        axis = 0
    if a.shape[axis] == 0:
        return np.ones(a.shape[:axis] + a.shape[axis + 1 :], dtype)
    return np.multiply.accumulate(a, axis=axis, dtype=dtype).take(-1, axis=axis)


def sum_all(a: np.ndarray) -> float | int:
    """THTensor_(sumall): accreal, returned as accreal (a Float tensor's sum is not rounded)."""
    v = seq(a)
    return float(v) if a.dtype.kind == "f" else int(v)


def prod_all(a: np.ndarray) -> float | int:
    """THTensor_(prodall)."""
    v = seq_prod(a)
    return float(v) if a.dtype.kind == "f" else int(v)


def sum_dim(a: np.ndarray, axis: int, unit_stride: bool) -> np.ndarray:
    """THTensor_(sum) along axis, in the tensor's type. TH has two branches: when the reduced
    dimension has stride 1, each output adds its row in accreal; otherwise it adds slice by
    slice into the zeroed result, in the tensor's own type (float adds for Float tensors)."""
    if unit_stride:
        return seq(a, axis).astype(a.dtype)
    return seq(a, axis, a.dtype)


def prod_dim(a: np.ndarray, axis: int, unit_stride: bool) -> np.ndarray:
    """THTensor_(prod): as sum_dim."""
    if unit_stride:
        return seq_prod(a, axis).astype(a.dtype)
    return seq_prod(a, axis, a.dtype)


def cumulate(a: np.ndarray, axis: int, product: bool) -> np.ndarray:
    """THTensor_(cumsum) / (cumprod): running accreal, each partial result stored as real."""
    uf = np.multiply if product else np.add
    return uf.accumulate(a, axis=axis, dtype=acc_type(a)).astype(a.dtype)


def mean_dim(a: np.ndarray, axis: int, unit_stride: bool) -> np.ndarray:
    """THTensor_(mean): sum(dim) in the tensor's type, then divided by the size (in real)."""
    s = sum_dim(a, axis, unit_stride)
    if a.dtype.kind != "f":
        return s
    with np.errstate(all="ignore"):
        return s / a.dtype.type(a.shape[axis])


def mean_all(a: np.ndarray) -> float:
    """THTensor_(meanall): sumall / nElement, in double."""
    return float(seq(a)) / a.size


def var_all(a: np.ndarray, biased: bool) -> float:
    """THTensor_(varall): two passes, (x - mean)^2 added in double."""
    mean = F64(seq(a)) / a.size
    d = a.reshape(-1).astype(F64) - mean
    with np.errstate(all="ignore"):
        return float(F64(seq(d * d)) / (a.size - (0 if biased else 1)))


def std_all(a: np.ndarray, biased: bool) -> float:
    """THTensor_(stdall): sqrt(varall)."""
    return float(np.sqrt(F64(var_all(a, biased))))


def var_dim(a: np.ndarray, axis: int, biased: bool, root: bool) -> np.ndarray:
    """THTensor_(var) / THTensor_(std) along axis: one pass of sum and sum of squares in
    accreal (the square computed in real), then TH's formula, sqrt in real (sqrtf)."""
    real = a.dtype.type
    n = a.shape[axis]
    with np.errstate(all="ignore"):
        s = seq(a, axis) / F64(n)
        s2 = seq(a * a, axis)
        if biased:
            s2 = s2 / F64(n) - s * s
        else:
            ratio = F64(real(n) / real(n - 1))  # ((real)n) / ((real)(n - 1))
            s2 = s2 / F64(n - 1) - ratio * s * s
        s2 = np.where(s2 < 0, 0.0, s2)
        v = s2.astype(a.dtype)
        return libm.th("sqrt", v) if root else v


def _abs_pow(a: np.ndarray, p: float) -> np.ndarray:
    """TH_MATH_NAME(pow)(TH_MATH_NAME(fabs)(x), value): powf for floats (value as a float)."""
    return libm.th("pow", np.abs(a), a.dtype.type(p))


def _root(total: np.ndarray | float, p: float, real: type) -> np.ndarray:
    """TH_MATH_NAME(pow)(sum, 1.0 / value): value is real, 1.0 / value a double; powf takes
    both rounded to float."""
    inv = 1.0 / F64(real(p)) if p != 0 else F64(np.inf)
    if real is F32:
        return libm.call("powf", np.asarray(total, F64).astype(F32), F32(inv))
    return libm.call("pow", np.asarray(total, F64), inv)


def norm_all(a: np.ndarray, p: float) -> float:
    """THTensor_(normall): p = 0 counts non-zeros, 1 sums |x|, 2 takes the double sqrt of the
    double sum of squares; any other p (fractional, math.huge) is pow(sum |x|^p, 1/p) with
    pow of the tensor's type, so norm(math.huge) is pow(sum, 0) = 1."""
    real = a.dtype.type
    a = a.reshape(-1)
    if p == 0:
        return float(np.count_nonzero(a))
    if p == 1:
        return float(seq(np.abs(a)))
    if p == 2:
        z = a.astype(F64)
        return float(np.sqrt(seq(z * z)))
    return float(_root(seq(_abs_pow(a, p)), p, real))


def norm_dim(a: np.ndarray, axis: int, p: float) -> np.ndarray:
    """THTensor_(norm) along axis: p = 0 counts; every other p (1 and 2 included) is
    pow(sum pow(|x|, p), 1/p) with the tensor type's pow, sums in accreal."""
    if p == 0:
        return np.count_nonzero(a, axis=axis).astype(a.dtype)
    return _root(seq(_abs_pow(a, p), axis), p, a.dtype.type).astype(a.dtype)


def _seq_real(terms: np.ndarray, real: type) -> np.ndarray:
    """``real acc = 0; acc += term`` along axis 1, with double terms: each step adds in double
    and rounds to real (renorm's p = 2 branch)."""
    if real is F64:
        return seq(terms, 1, F64)
    acc = np.zeros(terms.shape[0], F32)
    for j in range(terms.shape[1]):
        acc = (acc.astype(F64) + terms[:, j]).astype(F32)
    return acc


def renorm(a: np.ndarray, axis: int, p: float, maxnorm: float) -> np.ndarray:
    """THTensor_(renorm): for each slice along axis, a norm accumulated in ``real`` (p = 1:
    |x|, p = 2: x*x in double, else powf), rooted with the double pow, and the slice scaled
    by maxnorm / (norm + 1e-7) when over maxnorm."""
    real = a.dtype.type
    rows = np.moveaxis(a, axis, 0).reshape(a.shape[axis], -1)
    if p == 1:
        norm = seq(np.abs(rows), 1, a.dtype)
    elif p == 2:
        z = rows.astype(F64)
        norm = _seq_real(z * z, real)
    else:
        norm = seq(_abs_pow(rows, p), 1, a.dtype)
    inv = F64(real(1) / real(p))  # 1/value: an int over a real, in real
    norm = libm.call("pow", norm.astype(F64), inv).astype(a.dtype)
    with np.errstate(all="ignore"):
        scale = (F64(real(maxnorm)) / (norm.astype(F64) + 1e-7)).astype(a.dtype)
    over = norm > real(maxnorm)
    shape = [1] * a.ndim
    shape[axis] = -1
    scaled = a * scale.reshape(shape)
    return np.where(over.reshape(shape), scaled, a)


def dist(a: np.ndarray, b: np.ndarray, p: float) -> float:
    """THTensor_(dist): ``real sum`` of pow(|a - b|, p) (the tensor type's pow and adds),
    then pow(sum, 1/p): no special case for p = 0 or math.huge."""
    real = a.dtype.type
    d = (a - b).reshape(-1)
    total = seq(_abs_pow(d, p), None, a.dtype)
    return float(_root(total, p, real))
