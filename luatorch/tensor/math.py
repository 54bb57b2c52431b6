"""Torch7's tensor maths on numpy, registered with their calling forms (see dispatch.py).

Every function writes into its result tensor, resized as Torch resizes it, and returns the result
(or a Python number). Integer types compute in their own type with C semantics: a number operand is
first cast to the tensor's type (truncated), integer division truncates toward zero.
"""

from __future__ import annotations

import math as _m

import numpy as np

from .core import DTYPES, FLOAT_TYPES, Tensor, TorchError, new_tensor, tensor_from_array
from .dispatch import register


def real(ttype: str, v: float) -> np.generic:
    """A Lua number converted to the tensor's C type, as TH does."""
    dt = DTYPES[ttype]
    if ttype in FLOAT_TYPES:
        return dt.type(v)
    if v != v or v in (float("inf"), float("-inf")):
        return dt.type(0)
    return np.array(int(v)).astype(dt)[()]


def resize_as(res: Tensor, src: Tensor) -> None:
    if res.size != src.size:
        res.resize(src.size)


def put(res: Tensor, like: Tensor, value: np.ndarray | np.generic) -> Tensor:
    """Resize res as like and store value (cast unsafely, as C would) into it."""
    resize_as(res, like)
    if res.size:
        np.copyto(res.arr, value, casting="unsafe")
    return res


def _check_same_numel(a: Tensor, b: Tensor, fname: str) -> None:
    if a.nelement() != b.nelement():
        raise TorchError(f"inconsistent tensor size, expected {_sz(a)} and {_sz(b)} to have "
                         f"the same number of elements, but got {a.nelement()} and "
                         f"{b.nelement()} elements respectively")


def _sz(t: Tensor) -> str:
    return "[" + " x ".join(str(s) for s in t.size) + "]"


def _same_shape(a: Tensor, b: Tensor) -> np.ndarray:
    """b's values in a's shape (Torch accepts equal element counts in any shape)."""
    _check_same_numel(a, b, "")
    bv = b.arr
    if a.size != b.size and a.size:
        bv = bv.reshape(a.size)
    return bv


def _int_div(a: np.ndarray, b: np.ndarray | np.generic) -> np.ndarray:
    """C division for integers: truncate toward zero; division by zero raises like TH would crash."""
    if np.any(np.asarray(b) == 0):
        raise TorchError("integer division by zero")
    q = np.floor_divide(a, b)
    fix = (np.remainder(a, b) != 0) & ((a < 0) != (np.asarray(b) < 0))
    return q + fix


def _int_fmod(a: np.ndarray, b: np.ndarray | np.generic) -> np.ndarray:
    if np.any(np.asarray(b) == 0):
        raise TorchError("integer division by zero")
    return np.fmod(a, b)


# ------------------------------------------------------------------ element-wise binary


def _add_n(res: Tensor, src: Tensor, v: float) -> Tensor:
    return put(res, src, src.arr + real(src.ttype, v))


def _add_t(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
    return put(res, a, a.arr + _same_shape(a, b))


def _add_ntt(res: Tensor, a: Tensor, v: float, b: Tensor) -> Tensor:
    return put(res, a, a.arr + real(a.ttype, v) * _same_shape(a, b))


register("add", [("T n", _add_n, "same"), ("T T", _add_t, "same"), ("T n T", _add_ntt, "same")])


def _csub_n(res: Tensor, src: Tensor, v: float) -> Tensor:
    return put(res, src, src.arr - real(src.ttype, v))


def _csub_t(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
    return put(res, a, a.arr - _same_shape(a, b))


def _csub_ntt(res: Tensor, a: Tensor, v: float, b: Tensor) -> Tensor:
    return put(res, a, a.arr - real(a.ttype, v) * _same_shape(a, b))


register("csub", [("T n", _csub_n, "same"), ("T T", _csub_t, "same"),
                  ("T n T", _csub_ntt, "same")])


def _mul(res: Tensor, src: Tensor, v: float) -> Tensor:
    return put(res, src, src.arr * real(src.ttype, v))


def _div(res: Tensor, src: Tensor, v: float) -> Tensor:
    if src.ttype in FLOAT_TYPES:
        return put(res, src, src.arr / real(src.ttype, v))
    return put(res, src, _int_div(src.arr, real(src.ttype, v)))


def _cmul(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
    return put(res, a, a.arr * _same_shape(a, b))


def _cdiv(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
    if a.ttype in FLOAT_TYPES:
        return put(res, a, a.arr / _same_shape(a, b))
    return put(res, a, _int_div(a.arr, _same_shape(a, b)))


register("mul", [("T n", _mul, "same")])
register("div", [("T n", _div, "same")])
register("cmul", [("T T", _cmul, "same")])
register("cdiv", [("T T", _cdiv, "same")])


def _fmod(res: Tensor, src: Tensor, v: float) -> Tensor:
    r = real(src.ttype, v)
    if src.ttype in FLOAT_TYPES:
        return put(res, src, np.fmod(src.arr, r))
    return put(res, src, _int_fmod(src.arr, r))


def _cfmod(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
    if a.ttype in FLOAT_TYPES:
        return put(res, a, np.fmod(a.arr, _same_shape(a, b)))
    return put(res, a, _int_fmod(a.arr, _same_shape(a, b)))


def _remainder(res: Tensor, src: Tensor, v: float) -> Tensor:
    r = real(src.ttype, v)
    if src.ttype not in FLOAT_TYPES and r == 0:
        raise TorchError("integer division by zero")
    return put(res, src, src.arr - np.floor(src.arr / r) * r
               if src.ttype in FLOAT_TYPES else np.remainder(src.arr, r))


def _cremainder(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
    bv = _same_shape(a, b)
    if a.ttype in FLOAT_TYPES:
        return put(res, a, a.arr - np.floor(a.arr / bv) * bv)
    return put(res, a, np.remainder(a.arr, bv))


register("fmod", [("T n", _fmod, "same")])
register("cfmod", [("T T", _cfmod, "same")])
register("remainder", [("T n", _remainder, "same")])
register("cremainder", [("T T", _cremainder, "same")])


def _pow_tn(res: Tensor, src: Tensor, v: float) -> Tensor:
    return put(res, src, np.power(src.arr, real(src.ttype, v)))


def _pow_nt(res: Tensor, v: float, src: Tensor) -> Tensor:
    return put(res, src, np.power(real(src.ttype, v), src.arr))


def _cpow(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
    return put(res, a, np.power(a.arr, _same_shape(a, b)))


register("pow", [("T n", _pow_tn, "same"), ("n T", _pow_nt, "same")])
register("cpow", [("T T", _cpow, "same")])


def _cmax_t(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
    return put(res, a, np.maximum(a.arr, _same_shape(a, b)))


def _cmax_n(res: Tensor, a: Tensor, v: float) -> Tensor:
    return put(res, a, np.maximum(a.arr, real(a.ttype, v)))


def _cmin_t(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
    return put(res, a, np.minimum(a.arr, _same_shape(a, b)))


def _cmin_n(res: Tensor, a: Tensor, v: float) -> Tensor:
    return put(res, a, np.minimum(a.arr, real(a.ttype, v)))


register("cmax", [("T T", _cmax_t, "same"), ("T n", _cmax_n, "same")])
register("cmin", [("T T", _cmin_t, "same"), ("T n", _cmin_n, "same")])


def _clamp(res: Tensor, src: Tensor, lo: float, hi: float) -> Tensor:
    return put(res, src, np.clip(src.arr, real(src.ttype, lo), real(src.ttype, hi)))


register("clamp", [("T n n", _clamp, "same")])


def _addcmul(res: Tensor, src: Tensor, v: float | None, a: Tensor, b: Tensor) -> Tensor:
    v = 1 if v is None else v
    return put(res, src, src.arr + real(src.ttype, v) * _same_shape(src, a) * _same_shape(src, b))


def _addcdiv(res: Tensor, src: Tensor, v: float | None, a: Tensor, b: Tensor) -> Tensor:
    v = 1 if v is None else v
    return put(res, src, src.arr + real(src.ttype, v) * _same_shape(src, a) / _same_shape(src, b))


register("addcmul", [("T n? T T", _addcmul, "same")])
register("addcdiv", [("T n? T T", _addcdiv, "same")])


def _lerp(res: Tensor, a: Tensor, b: Tensor, w: float) -> Tensor:
    return put(res, a, a.arr + real(a.ttype, w) * (_same_shape(a, b) - a.arr))


def _atan2(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
    return put(res, a, np.arctan2(a.arr, _same_shape(a, b)))


register("lerp", [("T T n", _lerp, "same")])
register("atan2", [("T T", _atan2, "same")])

# ------------------------------------------------------------------- element-wise unary


def _unary(name: str, f, floats_only: bool = True) -> None:
    def run(res: Tensor, src: Tensor) -> Tensor:
        if floats_only and src.ttype not in FLOAT_TYPES:
            raise TorchError(f"{name} is only defined for float and double tensors")
        with np.errstate(all="ignore"):
            return put(res, src, f(src.arr))

    register(name, [("T", run, "same")])


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _round(x: np.ndarray) -> np.ndarray:
    # C round(): halves away from zero
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


for _name, _f in [("exp", np.exp), ("log", np.log), ("log1p", np.log1p), ("sqrt", np.sqrt),
                  ("rsqrt", lambda x: 1.0 / np.sqrt(x)), ("sigmoid", _sigmoid),
                  ("tanh", np.tanh), ("sin", np.sin), ("cos", np.cos), ("tan", np.tan),
                  ("asin", np.arcsin), ("acos", np.arccos), ("atan", np.arctan),
                  ("sinh", np.sinh), ("cosh", np.cosh), ("floor", np.floor), ("ceil", np.ceil),
                  ("round", _round), ("trunc", np.trunc), ("frac", lambda x: x - np.trunc(x)),
                  ("cinv", lambda x: 1.0 / x), ("expm1", np.expm1)]:
    _unary(_name, _f)
_unary("abs", np.abs, floats_only=False)
_unary("neg", np.negative, floats_only=False)
_unary("sign", np.sign, floats_only=False)

# ----------------------------------------------------------------------- filling & copy


def fill(t: Tensor, v: float) -> Tensor:
    if t.size:
        t.arr[...] = real(t.ttype, v)
    return t


def zero(t: Tensor) -> Tensor:
    if t.size:
        t.arr[...] = 0
    return t


def copy(dst: Tensor, src: Tensor) -> Tensor:
    """Copy any type into dst; element counts must agree, shapes need not."""
    if dst.nelement() != src.nelement():
        raise TorchError(f"inconsistent tensor size, expected r_ {_sz(dst)} and t {_sz(src)} to "
                         f"have the same number of elements, but got {dst.nelement()} and "
                         f"{src.nelement()} elements respectively")
    if dst.size:
        sv = src.arr
        if sv.shape != dst.size:
            sv = np.ascontiguousarray(sv).reshape(dst.size)
        np.copyto(dst.arr, sv, casting="unsafe")
    return dst


# ------------------------------------------------------------------------------- BLAS


def _need_dims(t: Tensor, n: int, argn: int, fname: str, what: str) -> None:
    if t.dim() != n:
        raise TorchError(f"{what} expected, got {t.dim()}D")


def _mm_check(m1: Tensor, m2: Tensor) -> None:
    if m1.dim() != 2 or m2.dim() != 2:
        raise TorchError(f"matrices expected, got {m1.dim()}D, {m2.dim()}D tensors")
    if m1.size[1] != m2.size[0]:
        raise TorchError(f"size mismatch, m1: {_sz(m1)}, m2: {_sz(m2)}")


def _addmm(res: Tensor, beta: float | None, src: Tensor, alpha: float | None, m1: Tensor,
           m2: Tensor) -> Tensor:
    _mm_check(m1, m2)
    n, p = m1.size[0], m2.size[1]
    if src.size != (n, p):
        raise TorchError(f"size mismatch, get {_sz(src)}, expected [{n} x {p}]")
    beta = 1 if beta is None else beta
    alpha = 1 if alpha is None else alpha
    prod = m1.arr @ m2.arr
    if res is not src:
        res.resize((n, p))
    if beta == 0:
        value = prod if alpha == 1 else alpha * prod
    else:
        value = (src.arr if beta == 1 else beta * src.arr) + (prod if alpha == 1 else alpha * prod)
    np.copyto(res.arr, value, casting="unsafe")
    return res


def _addmm_short(res: Tensor, src: Tensor, m1: Tensor, m2: Tensor) -> Tensor:
    return _addmm(res, None, src, None, m1, m2)


def _addmm_alpha(res: Tensor, src: Tensor, alpha: float, m1: Tensor, m2: Tensor) -> Tensor:
    return _addmm(res, None, src, alpha, m1, m2)


register("addmm", [("n? T n? T T", _addmm, "same"), ("T T T", _addmm_short, "same"),
                   ("T n T T", _addmm_alpha, "same")])


def _mm(res: Tensor, m1: Tensor, m2: Tensor) -> Tensor:
    _mm_check(m1, m2)
    res.resize((m1.size[0], m2.size[1]))
    np.matmul(m1.arr, m2.arr, out=res.arr) if res.is_contiguous() and not _overlaps(
        res, m1, m2) else np.copyto(res.arr, m1.arr @ m2.arr, casting="unsafe")
    return res


def _overlaps(res: Tensor, *others: Tensor) -> bool:
    return any(o.storage is res.storage for o in others)


register("mm", [("T T", _mm, "same")])


def _mv_check(m: Tensor, v: Tensor) -> None:
    if m.dim() != 2 or v.dim() != 1:
        raise TorchError(f"vector and matrix expected, got {m.dim()}D, {v.dim()}D")
    if m.size[1] != v.size[0]:
        raise TorchError(f"size mismatch, {_sz(m)}, {_sz(v)}")


def _mv(res: Tensor, m: Tensor, v: Tensor) -> Tensor:
    _mv_check(m, v)
    value = m.arr @ v.arr
    res.resize((m.size[0],))
    np.copyto(res.arr, value, casting="unsafe")
    return res


def _addmv(res: Tensor, beta: float | None, src: Tensor, alpha: float | None, m: Tensor,
           v: Tensor) -> Tensor:
    _mv_check(m, v)
    if src.size != (m.size[0],):
        raise TorchError(f"size mismatch, get {src.size[0] if src.size else 0}, "
                         f"{m.size[0]}x{m.size[1]}, {v.size[0]}")
    beta = 1 if beta is None else beta
    alpha = 1 if alpha is None else alpha
    value = beta * src.arr + alpha * (m.arr @ v.arr)
    if res is not src:
        res.resize(src.size)
    np.copyto(res.arr, value, casting="unsafe")
    return res


register("mv", [("T T", _mv, "same")])
register("addmv", [("n? T n? T T", _addmv, "same")])


def _addr(res: Tensor, beta: float | None, src: Tensor, alpha: float | None, v1: Tensor,
          v2: Tensor) -> Tensor:
    if v1.dim() != 1 or v2.dim() != 1:
        raise TorchError("vector and vector expected")
    if src.size != (v1.size[0], v2.size[0]):
        raise TorchError("size mismatch")
    beta = 1 if beta is None else beta
    alpha = 1 if alpha is None else alpha
    value = beta * src.arr + alpha * np.outer(v1.arr, v2.arr)
    if res is not src:
        res.resize(src.size)
    np.copyto(res.arr, value, casting="unsafe")
    return res


def _ger(res: Tensor, v1: Tensor, v2: Tensor) -> Tensor:
    if v1.dim() != 1 or v2.dim() != 1:
        raise TorchError("vector and vector expected")
    res.resize((v1.size[0], v2.size[0]))
    np.copyto(res.arr, np.outer(v1.arr, v2.arr), casting="unsafe")
    return res


register("addr", [("n? T n? T T", _addr, "same")])
register("ger", [("T T", _ger, "same")])


def _bmm_check(b1: Tensor, b2: Tensor) -> None:
    if b1.dim() != 3 or b2.dim() != 3:
        raise TorchError("expected 3D tensors")
    if b1.size[0] != b2.size[0] or b1.size[2] != b2.size[1]:
        raise TorchError(f"size mismatch, b1: {_sz(b1)}, b2: {_sz(b2)}")


def _bmm(res: Tensor, b1: Tensor, b2: Tensor) -> Tensor:
    _bmm_check(b1, b2)
    value = np.matmul(b1.arr, b2.arr)
    res.resize(value.shape)
    np.copyto(res.arr, value, casting="unsafe")
    return res


def _baddbmm(res: Tensor, beta: float | None, src: Tensor, alpha: float | None, b1: Tensor,
             b2: Tensor) -> Tensor:
    _bmm_check(b1, b2)
    beta = 1 if beta is None else beta
    alpha = 1 if alpha is None else alpha
    value = beta * src.arr + alpha * np.matmul(b1.arr, b2.arr)
    if res is not src:
        res.resize(src.size)
    np.copyto(res.arr, value, casting="unsafe")
    return res


def _addbmm(res: Tensor, beta: float | None, src: Tensor, alpha: float | None, b1: Tensor,
            b2: Tensor) -> Tensor:
    _bmm_check(b1, b2)
    beta = 1 if beta is None else beta
    alpha = 1 if alpha is None else alpha
    value = beta * src.arr + alpha * np.matmul(b1.arr, b2.arr).sum(0)
    if res is not src:
        res.resize(src.size)
    np.copyto(res.arr, value, casting="unsafe")
    return res


register("bmm", [("T T", _bmm, "same")])
register("baddbmm", [("n? T n? T T", _baddbmm, "same")])
register("addbmm", [("n? T n? T T", _addbmm, "same")])


def dot(a: Tensor, b: Tensor) -> float:
    _check_same_numel(a, b, "dot")
    return _num(a.ttype, np.dot(a.arr.reshape(-1), b.arr.reshape(-1)))


register("dot", [("T T", dot, None)], inplace=False)

# ------------------------------------------------------------------------- reductions


def _num(ttype: str, v: np.generic | float) -> float | int:
    """Torch returns reductions as Lua numbers (accreal: double for floats, long for ints)."""
    if ttype in FLOAT_TYPES:
        return float(v)
    return int(v)


def _reduce_dim(res: Tensor, src: Tensor, d: int, value: np.ndarray, fname: str) -> Tensor:
    size = list(src.size)
    size[d] = 1
    res.resize(tuple(size))
    np.copyto(res.arr, np.expand_dims(value, d), casting="unsafe")
    return res


def _dim0(src: Tensor, d: float, fname: str, argn: int = 2) -> int:
    d = int(d)
    if not 1 <= d <= src.dim():
        raise TorchError(f"bad argument #{argn} to '{fname}' (dimension {d} out of range of "
                         f"{src.dim()}D tensor)")
    return d - 1


def _reduction(name: str, whole, along, int_result: bool = False) -> None:
    def all_(src: Tensor) -> float:
        if not src.size:
            return _num(src.ttype, whole(np.empty(0, dtype=DTYPES[src.ttype])))
        return _num(src.ttype, whole(src.arr))

    def dim_(res: Tensor, src: Tensor, d: float) -> Tensor:
        d0 = _dim0(src, d, name)
        return _reduce_dim(res, src, d0, along(src.arr, d0), name)

    register(name, [("T", all_, None), ("T n", dim_, "same")], inplace=False)


def _sum_whole(a: np.ndarray):
    return a.sum(dtype=np.float64 if a.dtype.kind == "f" else np.int64)


_reduction("sum", _sum_whole, lambda a, d: a.sum(d))
_reduction("prod", lambda a: a.prod(dtype=np.float64 if a.dtype.kind == "f" else np.int64),
           lambda a, d: a.prod(d))


def _mean_whole(src: Tensor) -> float:
    if not src.size:
        return float("nan")
    return float(src.arr.mean(dtype=np.float64))


def _mean_dim(res: Tensor, src: Tensor, d: float) -> Tensor:
    d0 = _dim0(src, d, "mean")
    return _reduce_dim(res, src, d0, src.arr.mean(d0), "mean")


register("mean", [("T", _mean_whole, None), ("T n", _mean_dim, "same")], inplace=False)


def _cum(name: str, f) -> None:
    def run(res: Tensor, src: Tensor, d: float | None) -> Tensor:
        d0 = _dim0(src, 1 if d is None else d, name)
        return put(res, src, f(src.arr, axis=d0, dtype=src.arr.dtype))

    register(name, [("T n?", run, "same")], inplace=False)


_cum("cumsum", np.cumsum)
_cum("cumprod", np.cumprod)


def _minmax(name: str, pick, argpick) -> None:
    def whole(src: Tensor) -> float:
        if not src.size:
            raise TorchError(f"{name}(): cannot be applied to an empty tensor")
        a = src.arr
        if a.dtype.kind == "f" and np.isnan(a).any():
            return float("nan")
        return _num(src.ttype, pick(a))

    def along(res: Tensor, idx: Tensor, src: Tensor, d: float) -> tuple[Tensor, Tensor]:
        d0 = _dim0(src, d, name)
        a = src.arr
        ind = argpick(a, axis=d0)
        _reduce_dim(res, src, d0, np.take_along_axis(a, np.expand_dims(ind, d0), d0).squeeze(d0),
                    name)
        _reduce_dim(idx, src, d0, ind + 1, name)
        return res, idx

    register(name, [("T", whole, None)], inplace=False)
    REGISTRY_MINMAX[name] = along


REGISTRY_MINMAX: dict = {}
_minmax("max", np.max, np.argmax)
_minmax("min", np.min, np.argmin)


def _std_var(name: str, sq: bool) -> None:
    def whole(src: Tensor, flag: bool | None = None) -> float:
        a = src.arr.astype(np.float64)
        n = a.size
        v = a.var(ddof=0 if flag else 1) if n > 1 or flag else 0.0
        return float(v if sq else _m.sqrt(v))

    def dim_(res: Tensor, src: Tensor, d: float, flag: bool | None) -> Tensor:
        d0 = _dim0(src, d, name)
        a = src.arr
        v = a.var(d0, ddof=0 if flag else 1) if a.shape[d0] > 1 or flag else np.zeros(
            a.shape[:d0] + a.shape[d0 + 1:])
        return _reduce_dim(res, src, d0, v if sq else np.sqrt(v), name)

    register(name, [("T b?", whole, None), ("T n b?", dim_, "same")], inplace=False)


_std_var("var", True)
_std_var("std", False)


def _norm_whole(src: Tensor, p: float | None = None) -> float:
    p = 2 if p is None else p
    a = src.arr.astype(np.float64).reshape(-1)
    if p == 0:
        return float(np.count_nonzero(a))
    if p == 2:
        return float(_m.sqrt(float(np.dot(a, a))))
    return float(np.sum(np.abs(a) ** p) ** (1.0 / p))


def _norm_dim(res: Tensor, src: Tensor, p: float, d: float) -> Tensor:
    d0 = _dim0(src, d, "norm", 3)
    a = src.arr
    if p == 0:
        v = np.count_nonzero(a, axis=d0)
    else:
        v = np.sum(np.abs(a) ** p, axis=d0) ** (1.0 / p)
    return _reduce_dim(res, src, d0, v, "norm")


register("norm", [("T n?", _norm_whole, None), ("T n n", _norm_dim, "same")], inplace=False)


def _dist(a: Tensor, b: Tensor, p: float | None = None) -> float:
    p = 2 if p is None else p
    diff = (a.arr.astype(np.float64) - _same_shape(a, b)).reshape(-1)
    if p == 0:
        return float(np.count_nonzero(diff))
    return float(np.sum(np.abs(diff) ** p) ** (1.0 / p))


register("dist", [("T T n?", _dist, None)], inplace=False)


def _trace(src: Tensor) -> float:
    if src.dim() != 2:
        raise TorchError("expected a matrix")
    return _num(src.ttype, np.trace(src.arr))


register("trace", [("T", _trace, None)], inplace=False)

# ------------------------------------------------------------------------ comparisons


def _compare(name: str, f) -> None:
    def tn(res: Tensor, src: Tensor, v: float) -> Tensor:
        return put(res, src, f(src.arr, real(src.ttype, v)))

    def tt(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
        return put(res, a, f(a.arr, _same_shape(a, b)))

    register(name, [("T n", tn, "Byte"), ("T T", tt, "Byte")], inplace=False)


for _name, _f in [("eq", np.equal), ("ne", np.not_equal), ("lt", np.less),
                  ("le", np.less_equal), ("gt", np.greater), ("ge", np.greater_equal)]:
    _compare(_name, _f)


def equal(a: Tensor, b: Tensor) -> bool:
    if a.size != b.size:
        return False
    return bool(np.array_equal(a.arr, b.arr))


register("equal", [("T T", equal, None)], inplace=False)


def _all(src: Tensor) -> bool:
    return bool(np.all(src.arr)) if src.size else True


def _any(src: Tensor) -> bool:
    return bool(np.any(src.arr)) if src.size else False


register("all", [("T", _all, None)], inplace=False)
register("any", [("T", _any, None)], inplace=False)

# ---------------------------------------------------------------------- constructors


def zeros(ttype: str, size: tuple[int, ...]) -> Tensor:
    t = new_tensor(ttype, size)
    return zero(t)


def ones(ttype: str, size: tuple[int, ...]) -> Tensor:
    return fill(new_tensor(ttype, size), 1)


def arange(ttype: str, start: float, stop: float, step: float = 1) -> Tensor:
    """torch.range: both ends included."""
    if step == 0:
        raise TorchError("step must be a non-null number")
    if (stop - start) / step < 0:
        raise TorchError("upper bound and larger bound incoherent with step sign")
    n = int(_m.floor((stop - start) / step)) + 1
    return tensor_from_array(start + step * np.arange(n, dtype=np.float64), ttype)


def linspace(ttype: str, a: float, b: float, n: int = 100) -> Tensor:
    if n < 1:
        raise TorchError("invalid number of points")
    return tensor_from_array(np.linspace(a, b, int(n)), ttype)


def logspace(ttype: str, a: float, b: float, n: int = 100) -> Tensor:
    if n < 1:
        raise TorchError("invalid number of points")
    return tensor_from_array(np.logspace(a, b, int(n)), ttype)


def eye(ttype: str, n: int, m: int | None = None) -> Tensor:
    return tensor_from_array(np.eye(int(n), int(n if m is None else m)), ttype)
