"""Torch7's tensor maths on numpy, registered with their calling forms (see dispatch.py).

Every function writes into its result tensor, resized as Torch resizes it, and returns the result
(or a Python number). Integer types compute in their own type with C semantics: a number operand is
first cast to the tensor's type (truncated), integer division truncates toward zero. Functions that
TH defines for Float and Double only (``log``, ``mean``, ``norm``...) refuse integer tensors with
Torch's error.
"""

from __future__ import annotations

import math as _m
import warnings

import numpy as np

from . import accreal, blas, libm, native
from .core import (
    DTYPES,
    FLOAT_TYPES,
    Storage,
    Tensor,
    TorchError,
    cast_copy,
    contiguous_strides,
    empty,
    new_tensor,
    tensor_from_array,
)
from .dispatch import CwrapMismatch, register

# C arithmetic overflows and divides by zero silently: so do we, without numpy's RuntimeWarning
# (a filter on this package's modules costs nothing until a warning is raised)
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"luatorch\.tensor\.")

# ----------------------------------------------------------------------------- helpers


def real(ttype: str, v: float) -> np.generic:
    """A Lua number converted to the tensor's C type, as TH does (truncation for integers)."""
    dt = DTYPES[ttype]
    if ttype in FLOAT_TYPES:
        return dt.type(v)
    if ttype == "Half":
        return dt.type(np.float32(v))  # TH_float2half((float) v)
    # C converts a double to long (to int for the narrower types, then wraps it to their width);
    # out of range, NaN and the infinities included, x86's conversion gives the smallest
    # integer, and so does Torch7 on the machines it runs on
    bits = 63 if ttype == "Long" else 31
    iv = int(v) if _m.isfinite(v) else -(1 << bits)
    if not -(1 << bits) <= iv < 1 << bits:
        iv = -(1 << bits)
    return np.array(iv).astype(dt)[()]


def resize_as(res: Tensor, src: Tensor) -> None:
    if res.size != src.size:
        res.resize(src.size)


def adopt(res: Tensor, value: np.ndarray) -> Tensor:
    """Make res a contiguous tensor over value's own buffer (value: a fresh array that nobody
    else holds). Cheaper than resizing then copying: numpy allocated the memory already."""
    dt = DTYPES[res.ttype]
    shape = value.shape
    if value.dtype is not dt and value.dtype != dt:
        value = np.array(value, dtype=dt, order="C")
    item = value.itemsize
    if len(shape) == 1:
        if value.strides[0] != item:
            value = np.ascontiguousarray(value)
        stride: tuple = (1,)
        flat = value
    else:
        stride = contiguous_strides(shape)
        if value.strides != tuple(s * item for s in stride):
            value = np.ascontiguousarray(value)
        flat = value.reshape(-1)
    res.set(Storage(res.ttype, flat), 0, shape, stride)
    res._arr = value
    res._src = flat
    return res


def put(res: Tensor, like: Tensor, value: np.ndarray | np.generic) -> Tensor:
    """Resize res as like and store value (cast unsafely, as C would) into it."""
    if (
        res.storage is None
        and like.size
        and type(value) is np.ndarray
        and value.shape == like.size
        and not np.shares_memory(value, like.arr)
    ):
        return adopt(res, value)
    resize_as(res, like)
    if res.size:
        np.copyto(res.arr, value, casting="unsafe")
    return res


def sz(t: Tensor) -> str:
    return "[" + " x ".join(str(s) for s in t.size) + "]"


_sz = sz


def numel_error(*named: tuple[str, Tensor]) -> TorchError:
    """TH_TENSOR_APPLY2/3's error for tensors of different element counts: "expected r_ [2 x 3],
    t [2 x 3] and src [5] to have the same number of elements, but got 6, 6 and 5 elements
    respectively" (the names are the C function's variables)."""
    shapes = [f"{n} {sz(t)}" for n, t in named]
    counts = [str(t.nelement()) for _, t in named]
    return TorchError(
        f"inconsistent tensor size, expected {', '.join(shapes[:-1])} and {shapes[-1]} to have "
        f"the same number of elements, but got {', '.join(counts[:-1])} and {counts[-1]} "
        "elements respectively"
    )


def check_numel(a: Tensor, b: Tensor, names: tuple[str, ...] = ("r_", "t", "src")) -> None:
    """b must have a's element count; names: the variables TH's message names (three: the
    result r_, shaped as a, then a and b; two: a and b)."""
    if a.nelement() != b.nelement():
        if len(names) == 2:
            raise numel_error((names[0], a), (names[1], b))
        raise numel_error((names[0], a), (names[1], a), (names[2], b))


def like(a: Tensor, b: Tensor, names: tuple[str, ...] = ("r_", "t", "src")) -> np.ndarray:
    """b's values in a's shape (Torch accepts equal element counts in any shape); names as
    check_numel's."""
    if a.size == b.size:
        return b.arr
    check_numel(a, b, names)
    bv = b.arr
    if a.size:
        bv = np.ascontiguousarray(bv).reshape(a.size)
    return bv


_same_shape = like


def ufunc_into(res: Tensor, src: Tensor, uf: np.ufunc, *operands) -> Tensor:
    """res = uf(src, *operands), numpy writing straight into res (overlap is handled by numpy)."""
    if res.storage is None:  # a fresh result
        if src.size:
            a = src.arr
            if a.size >= _PAR_ELEMS and a.dtype.kind == "f" and _same_shaped(a, operands):
                out = empty(a.shape, a.dtype)
                _split_ufunc(uf, a, operands, out)
                adopt(res, out)
            else:
                adopt(res, uf(a, *operands))
        return res
    if res is not src and res.size != src.size:
        res.resize(src.size)
    if src.size:
        a, out = src.arr, res.arr
        if uf.nin == 2 and len(operands) == 1 and _accumulates_in_place(a, out):
            _in_order_into(uf, out, operands[0])
            return res
        if (
            a.size >= _PAR_ELEMS
            and _same_shaped(a, operands)
            and (res is src or not np.may_share_memory(out, a))
        ):
            _split_ufunc(uf, a, operands, out)
        else:
            uf(a, *operands, out=out, casting="unsafe")
    return res


def _accumulates_in_place(a: np.ndarray, out: np.ndarray) -> bool:
    """An in-place operation on an expanded tensor (a zero stride over more than one element):
    TH then updates each memory element once per logical element, in turn."""
    strides = out.strides
    if 0 not in strides:  # the common case, checked first
        return False
    return (
        any(st == 0 and n > 1 for st, n in zip(strides, out.shape, strict=True))
        and a.strides == strides
        and a.shape == out.shape
        and a.__array_interface__["data"][0] == out.__array_interface__["data"][0]
    )


def _in_order_into(uf: np.ufunc, out: np.ndarray, operand: np.ndarray | np.generic) -> None:
    """out = uf(out, operand) element by element in row-major order, as TH_TENSOR_APPLY runs
    over a tensor whose zero strides make several elements one: each memory element takes the
    operands of its logical elements in turn (their order is the row-major order of the
    zero-stride indices), with the ufunc's accumulate."""
    shape = out.shape
    zero = [i for i in range(out.ndim) if out.strides[i] == 0 and shape[i] > 1]
    rest = [i for i in range(out.ndim) if i not in zero]
    rest_shape = tuple(shape[i] for i in rest)
    terms = np.broadcast_to(np.asarray(operand), shape).transpose(zero + rest)
    terms = terms.reshape((-1,) + rest_shape)
    # one element of each group of aliased elements: index 0 along the zero-stride axes
    base = out[tuple(slice(0, 1) if i in zero else slice(None) for i in range(out.ndim))]
    seq = np.concatenate([base.reshape((1,) + rest_shape), terms.astype(out.dtype, copy=False)])
    with np.errstate(all="ignore"):
        total = uf.accumulate(seq, axis=0, dtype=out.dtype)[-1]
    np.copyto(base, total.reshape(base.shape))


# element-wise ufuncs on at least this many elements split over the kernel threads (threadpool.py)
_PAR_ELEMS = 1 << 19


def _same_shaped(a: np.ndarray, operands: tuple) -> bool:
    """Operands are numbers or arrays of a's shape not overlapping it: row blocks split safely."""
    return all(
        not isinstance(o, np.ndarray) or (o.shape == a.shape and o is not a) for o in operands
    )


_NATIVE = {np.multiply: "mul", np.add: "add"}


def _split_ufunc(uf: np.ufunc, a: np.ndarray, operands: tuple, out: np.ndarray) -> None:
    # products and sums of two arrays: native.py's pool (its worker needs no GIL)
    name = _NATIVE.get(uf)
    if (
        name is not None
        and len(operands) == 1
        and isinstance(operands[0], np.ndarray)
        and native.binary(name, out, a, operands[0])
    ):
        return
    # lanes.py's hand-off, not threadpool.parallel's: at these sizes the executor's queue and
    # futures cost more than the second core saved (lanes.py has the figures)
    from .lanes import split
    from .threadpool import parts

    def part(lo: int, hi: int) -> None:
        ops = [o[lo:hi] if isinstance(o, np.ndarray) else o for o in operands]
        uf(a[lo:hi], *ops, out=out[lo:hi], casting="unsafe")

    split(part, a.shape[0], parts(a.size))


def not_float(name: str, ttype: str) -> TorchError:
    return TorchError(f"torch.{ttype}Tensor does not implement the torch.{name}() function")


def _int_div(a: np.ndarray, b: np.ndarray | np.generic) -> np.ndarray:
    """C division for integers: truncate toward zero."""
    if np.any(np.asarray(b) == 0):
        raise TorchError("integer division by zero")
    q = np.floor_divide(a, b)
    fix = (np.remainder(a, b) != 0) & ((a < 0) != (np.asarray(b) < 0))
    return q + fix.astype(q.dtype)


def _int_fmod(a: np.ndarray, b: np.ndarray | np.generic) -> np.ndarray:
    if np.any(np.asarray(b) == 0):
        raise TorchError("integer division by zero")
    return np.fmod(a, b)


def num(ttype: str, v) -> float | int:
    """Torch returns reductions as Lua numbers (accreal: double for floats, long for ints)."""
    if ttype in FLOAT_TYPES:
        return float(v)
    return int(v)


_num = num


def _c_number(name: str):
    """The number form of a C maths function (``torch.exp(2)``): the C library's double one."""

    def run(*xs: float) -> float:
        return libm.scalar(name, *xs)

    return run


def _scalar(f):
    """The number form of a maths function (``torch.log(2)``): C maths on doubles."""

    def run(*xs: float) -> float:
        with np.errstate(all="ignore"):
            return float(f(*(np.float64(x) for x in xs)))

    return run


# ------------------------------------------------------------------ element-wise binary


def _additive(ufunc: np.ufunc) -> list:
    """add and csub: ``x (op) v``, ``x (op) y`` and ``x (op) v*y``."""

    def n(res: Tensor, src: Tensor, v: float) -> Tensor:
        return ufunc_into(res, src, ufunc, real(src.ttype, v))

    def t(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
        return ufunc_into(res, a, ufunc, like(a, b))

    def ntt(res: Tensor, a: Tensor, v: float, b: Tensor) -> Tensor:
        if v != 1 and a.ttype in FLOAT_TYPES:
            return _cadd(res, a, v if ufunc is np.add else -v, b)
        bv = like(a, b)
        if v != 1:
            bv = bv * real(a.ttype, v)
        return ufunc_into(res, a, ufunc, bv)

    return [("T n", n, "same"), ("T T", t, "same"), ("T n T", ntt, "same")]


def _cadd(res: Tensor, a: Tensor, v: float, b: Tensor) -> Tensor:
    """THTensor_(cadd) of floats, r = t + v * src: on contiguous tensors, in place with BLAS
    axpy, else with THVector cadd (fused multiply-adds on AVX2 machines); other layouts
    multiply then add."""
    bv = like(a, b)
    value = real(a.ttype, v)
    same = res is a or (
        res.storage is a.storage
        and res.offset == a.offset
        and res.size == a.size
        and res.stride == a.stride
    )
    if same and a.is_contiguous() and b.is_contiguous() and a.size:
        blas.axpy(a.arr, float(value), bv)
        return res
    if a.is_contiguous() and b.is_contiguous() and (res.storage is None or res.is_contiguous()):
        fma = "fma" if value.dtype == np.float64 else "fmaf"
        return put(res, a, libm.call(fma, bv, value, a.arr))
    return ufunc_into(res, a, np.add, bv * value)


register("add", _additive(np.add))
register("csub", _additive(np.subtract))


def _mul(res: Tensor, src: Tensor, v: float) -> Tensor:
    return ufunc_into(res, src, np.multiply, real(src.ttype, v))


def _div(res: Tensor, src: Tensor, v: float) -> Tensor:
    if src.ttype in FLOAT_TYPES:
        with np.errstate(all="ignore"):
            return ufunc_into(res, src, np.divide, real(src.ttype, v))
    return put(res, src, _int_div(src.arr, real(src.ttype, v)))


def _cmul(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
    return ufunc_into(res, a, np.multiply, like(a, b))


def _cdiv(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
    if a.ttype in FLOAT_TYPES:
        with np.errstate(all="ignore"):
            return ufunc_into(res, a, np.divide, like(a, b))
    return put(res, a, _int_div(a.arr, like(a, b)))


register("mul", [("T n", _mul, "same")])
register("div", [("T n", _div, "same")])
register("cmul", [("T T", _cmul, "same")])
register("cdiv", [("T T", _cdiv, "same")])


def _fmod(res: Tensor, src: Tensor, v: float) -> Tensor:
    r = real(src.ttype, v)
    if src.ttype in FLOAT_TYPES:
        with np.errstate(all="ignore"):
            return put(res, src, np.fmod(src.arr, r))
    return put(res, src, _int_fmod(src.arr, r))


def _cfmod(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
    if a.ttype in FLOAT_TYPES:
        with np.errstate(all="ignore"):
            return put(res, a, np.fmod(a.arr, like(a, b)))
    return put(res, a, _int_fmod(a.arr, like(a, b)))


def _float_remainder(a: np.ndarray, b) -> np.ndarray:
    # TH: a - b * floor(a / b), with C's double floor(): for floats the quotient is a float,
    # the product and the difference are doubles, rounded to float once at the end
    with np.errstate(all="ignore"):
        if a.dtype == np.float32:
            q = np.floor((a / b).astype(np.float32)).astype(np.float64)
            bd = np.asarray(b, dtype=np.float32).astype(np.float64)
            return (a.astype(np.float64) - bd * q).astype(np.float32)
        return a - b * np.floor(a / b)


def _remainder(res: Tensor, src: Tensor, v: float) -> Tensor:
    r = real(src.ttype, v)
    if src.ttype in FLOAT_TYPES:
        return put(res, src, _float_remainder(src.arr, r))
    if r == 0:
        raise TorchError("integer division by zero")
    return put(res, src, np.remainder(src.arr, r))


def _cremainder(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
    bv = like(a, b)
    if a.ttype in FLOAT_TYPES:
        return put(res, a, _float_remainder(a.arr, bv))
    if np.any(bv == 0):
        raise TorchError("integer division by zero")
    return put(res, a, np.remainder(a.arr, bv))


register("fmod", [("T n", _fmod, "same")])
register("mod", [("T n", _fmod, "same")])
register("cfmod", [("T T", _cfmod, "same")])
register("cmod", [("T T", _cfmod, "same")])
register("remainder", [("T n", _remainder, "same")])
register("cremainder", [("T T", _cremainder, "same")])


def _int_only(name: str, f, scalar: bool):
    def run(res: Tensor, a, b) -> Tensor:
        if a.ttype in FLOAT_TYPES:
            raise not_float(name, a.ttype)  # TH: bit operations are for integer types
        bv = real(a.ttype, b) if scalar else like(a, b)
        return put(res, a, f(a.arr, bv))

    return run


for _name, _f in [
    ("lshift", np.left_shift),
    ("rshift", np.right_shift),
    ("bitand", np.bitwise_and),
    ("bitor", np.bitwise_or),
    ("bitxor", np.bitwise_xor),
]:
    register(_name, [("T n", _int_only(_name, _f, True), "same")])
    register("c" + _name, [("T T", _int_only("c" + _name, _f, False), "same")])


def _pow_value(base, expo, ttype: str):
    with np.errstate(all="ignore"):
        if ttype in FLOAT_TYPES:
            # TH_MATH_NAME(pow): the C library's powf / pow
            dt = DTYPES[ttype]
            return libm.th("pow", np.asarray(base, dt), np.asarray(expo, dt))
        # C: (real) pow((double) x, (double) y)
        return np.power(np.asarray(base, dtype=np.float64), np.asarray(expo, dtype=np.float64))


def th_pow(x: np.ndarray, v: float) -> np.ndarray:
    """THTensor_(pow) of a float array: its special exponents (1, 2, 3, 0.5, -0.5, -1, -2)
    in the tensor's arithmetic, else the C library's powf / pow."""
    v = x.dtype.type(v)
    one = x.dtype.type(1)
    special = {
        1: lambda: x.copy(),
        2: lambda: x * x,
        3: lambda: x * x * x,
        0.5: lambda: libm.th("sqrt", x),
        -0.5: lambda: one / libm.th("sqrt", x),
        -1: lambda: one / x,
        -2: lambda: one / (x * x),
    }.get(float(v))
    with np.errstate(all="ignore"):
        if special is not None:
            return special()
        return libm.th("pow", x, v)


def _pow_tn(res: Tensor, src: Tensor, v: float) -> Tensor:
    if src.ttype in FLOAT_TYPES:
        return put(res, src, th_pow(src.arr, v))
    return put(res, src, _pow_value(src.arr, real(src.ttype, v), src.ttype))


def _pow_nt(res: Tensor, v: float, src: Tensor) -> Tensor:
    if src.ttype in FLOAT_TYPES:  # THTensor_(tpow): the double pow, for floats too
        return put(res, src, libm.call("pow", real(src.ttype, v), src.arr))
    return put(res, src, _pow_value(real(src.ttype, v), src.arr, src.ttype))


def _cpow(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
    if a.ttype in FLOAT_TYPES:  # THTensor_(cpow): the double pow, for floats too
        return put(res, a, libm.call("pow", a.arr, like(a, b)))
    return put(res, a, _pow_value(a.arr, like(a, b), a.ttype))


register(
    "pow",
    [("T n", _pow_tn, "same"), ("n T", _pow_nt, "same"), ("n n", _c_number("pow"), None)],
)
register("cpow", [("T T", _cpow, "same")])


def _th_pick(res: Tensor, a: Tensor, uf: np.ufunc, b) -> Tensor:
    """TH's cmax/cmin: ``a > b ? a : b`` (``<``), which gives b whenever a comparison is
    false: NaN only where b is NaN (numpy's maximum/minimum give NaN where either is)."""
    ufunc_into(res, a, uf, b)
    out = res.arr if res.size else None
    if out is not None and out.dtype.kind == "f" and np.isnan(out).any():
        bb = np.broadcast_to(np.asarray(b, dtype=out.dtype), out.shape)
        m = np.isnan(out) & ~np.isnan(bb)
        out[m] = bb[m]
    return res


def _cmax_t(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
    return _th_pick(res, a, np.maximum, like(a, b, ("r", "t", "src")))


def _cmax_n(res: Tensor, a: Tensor, v: float) -> Tensor:
    return _th_pick(res, a, np.maximum, real(a.ttype, v))


def _cmin_t(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
    return _th_pick(res, a, np.minimum, like(a, b, ("r", "t", "src")))


def _cmin_n(res: Tensor, a: Tensor, v: float) -> Tensor:
    return _th_pick(res, a, np.minimum, real(a.ttype, v))


register("cmax", [("T T", _cmax_t, "same"), ("T n", _cmax_n, "same")])
register("cmin", [("T T", _cmin_t, "same"), ("T n", _cmin_n, "same")])


def _clamp(res: Tensor, src: Tensor, lo: float, hi: float) -> Tensor:
    a = src.arr
    # TH: (x < lo) ? lo : ((x > hi) ? hi : x)
    value = np.where(
        a < real(src.ttype, lo),
        real(src.ttype, lo),
        np.where(a > real(src.ttype, hi), real(src.ttype, hi), a),
    )
    return put(res, src, value)


register("clamp", [("T n n", _clamp, "same")])


def _src12(src: Tensor, a: Tensor, b: Tensor) -> None:
    # THTensor_(addcmul) and (addcdiv) apply over (r_, src1, src2), r_ shaped as t
    if not src.nelement() == a.nelement() == b.nelement():
        raise numel_error(("r_", src), ("src1", a), ("src2", b))


def _addcmul(res: Tensor, src: Tensor, v: float | None, a: Tensor, b: Tensor) -> Tensor:
    # TH: t + value * a * b, evaluated as t + ((value * a) * b)
    _src12(src, a, b)
    av, bv = like(src, a), like(src, b)
    prod = av * bv if v is None else (real(src.ttype, v) * av) * bv
    return ufunc_into(res, src, np.add, prod)


def _addcdiv(res: Tensor, src: Tensor, v: float | None, a: Tensor, b: Tensor) -> Tensor:
    # TH: t + value * a / b, evaluated as t + ((value * a) / b)
    _src12(src, a, b)
    av, bv = like(src, a), like(src, b)
    if v is not None:
        av = real(src.ttype, v) * av
    if src.ttype in FLOAT_TYPES:
        with np.errstate(all="ignore"):
            q = av / bv
    else:
        q = _int_div(av.astype(av.dtype, copy=False), bv)
    return ufunc_into(res, src, np.add, q)


register("addcmul", [("T n? T T", _addcmul, "same")])
register("addcdiv", [("T n? T T", _addcdiv, "same")])


def _lerp(res: Tensor, a: Tensor, b: Tensor, w: float) -> Tensor:
    if a.ttype not in FLOAT_TYPES:
        raise not_float("lerp", a.ttype)
    if a.nelement() != b.nelement():
        raise TorchError("bad argument #2 to 'lerp' (sizes do not match)")
    return put(res, a, a.arr + real(a.ttype, w) * (like(a, b) - a.arr))


def _atan2(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
    if a.ttype not in FLOAT_TYPES:
        raise not_float("atan2", a.ttype)
    return put(res, a, libm.th("atan2", a.arr, like(a, b, ("r_", "tx", "ty"))))


register(
    "lerp", [("T T n", _lerp, "same"), ("n n n", _scalar(lambda a, b, w: a + w * (b - a)), None)]
)
register("atan2", [("T T", _atan2, "same"), ("n n", _c_number("atan2"), None)])

# ------------------------------------------------------------------- element-wise unary


def _unary(name: str, f, floats_only: bool = True, number=None, into=None) -> None:
    """Register torch.name / x:name(); ``into(a, out)``, when given, writes f(a) into a
    contiguous array of a's shape and type (r:exp(x) then writes r without a temporary)."""

    def run(res: Tensor, src: Tensor) -> Tensor:
        if floats_only and src.ttype not in FLOAT_TYPES:
            raise not_float(name, src.ttype)
        with np.errstate(all="ignore"):
            if isinstance(f, np.ufunc) and src.ttype in FLOAT_TYPES:
                return ufunc_into(res, src, f)
            if into is not None and res.storage is not None and src.size:
                resize_as(res, src)
                a, out = src.arr, res.arr
                if _writable_into(out, a):
                    into(a, out)
                    return res
            return put(res, src, f(src.arr))

    sigs = [("T", run, "same")]
    if number is not False:
        sigs.append(("n", _scalar(number or f), None))
    register(name, sigs)


def _writable_into(out: np.ndarray, a: np.ndarray) -> bool:
    """out, a contiguous array of a's shape and type, is either a itself or apart from it."""
    if not (out.flags.c_contiguous and out.dtype == a.dtype and out.shape == a.shape):
        return False
    if out.__array_interface__["data"][0] == a.__array_interface__["data"][0]:
        return out.strides == a.strides or out.size <= 1
    return not np.may_share_memory(out, a)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # TH_sigmoid: 1.0 / (1.0 + exp(-x)), in float with expf for floats
    return libm.sigmoid(x)


def _libm(name: str):
    """TH_MATH_NAME(name) element-wise: the C library's function (numpy's differ in the last
    bit for transcendental functions: see libm.py)."""

    def run(x: np.ndarray) -> np.ndarray:
        return libm.th(name, x)

    return run


def _libm_into(name: str):
    def run(x: np.ndarray, out: np.ndarray) -> None:
        libm.th(name, x, out=out)

    return run


def _sign(x: np.ndarray) -> np.ndarray:
    # TH_sign: (x > 0) - (x < 0), so NaN gives 0
    return (x > 0).astype(np.int8) - (x < 0).astype(np.int8)


# sqrt, floor, ceil, trunc are exact in numpy as in C; the rest are the C library's
for _name in "exp log log1p tanh sin cos tan asin acos atan sinh cosh round expm1".split():
    _unary(_name, _libm(_name), number=_c_number(_name), into=_libm_into(_name))
for _name, _f in [
    ("sqrt", np.sqrt),
    ("rsqrt", lambda x: x.dtype.type(1) / np.sqrt(x)),
    ("sigmoid", _sigmoid),
    ("floor", np.floor),
    ("ceil", np.ceil),
    ("trunc", np.trunc),
    ("frac", lambda x: x - np.trunc(x)),
]:
    _unary(_name, _f)
_unary("cinv", lambda x: 1.0 / x, number=False)
_unary("neg", np.negative, floats_only=False, number=False)
_unary("abs", np.abs, floats_only=False)
_unary("sign", _sign, floats_only=False, number=False)

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
        raise TorchError(
            f"inconsistent tensor size, expected tensor {sz(dst)} and src {sz(src)} to "
            f"have the same number of elements, but got {dst.nelement()} and "
            f"{src.nelement()} elements respectively"
        )
    if dst.size:
        sv = src.arr
        if sv.shape != dst.size:
            sv = np.ascontiguousarray(sv).reshape(dst.size)
        cast_copy(dst.arr, sv)
    return dst


# ------------------------------------------------------------------------------- BLAS


def _t_dims(src: Tensor, d: int) -> None:
    # cwrap's forms want t (and a result) of the result's dimension
    if src.dim() != d:
        raise CwrapMismatch(f"expected {d}D tensor, got {src.dim()}D")


def _mm_check(m1: Tensor, m2: Tensor) -> None:
    if m1.dim() != 2 or m2.dim() != 2:
        raise CwrapMismatch(f"matrices expected, got {m1.dim()}D, {m2.dim()}D tensors")
    if m1.size[1] != m2.size[0]:
        raise TorchError(f"size mismatch, m1: {sz(m1)}, m2: {sz(m2)}")


def _prepare(res: Tensor, src: Tensor, beta: float, size: tuple[int, ...]) -> None:
    """TH's BLAS-backed functions: a result other than t takes t's size, and t's values unless
    beta is 0 (BLAS then ignores them)."""
    if res is src:
        return
    if res.size != size:
        res.resize(size)
    if beta != 0 and res.size:
        np.copyto(res.arr, src.arr, casting="unsafe")


def _addmm(
    res: Tensor, beta: float | None, src: Tensor, alpha: float | None, m1: Tensor, m2: Tensor
) -> Tensor:
    _t_dims(src, 2)
    _mm_check(m1, m2)
    n, p = m1.size[0], m2.size[1]
    if src.size != (n, p):
        raise TorchError(f"size mismatch, t: {sz(src)}, m1: {sz(m1)}, m2: {sz(m2)}")
    beta = 1 if beta is None else beta
    _prepare(res, src, beta, (n, p))
    blas.gemm(res.arr, 1 if alpha is None else alpha, m1.arr, m2.arr, beta)
    return res


def _addmm_ba(
    res: Tensor, src: Tensor, beta: float, alpha: float, m1: Tensor, m2: Tensor
) -> Tensor:
    return _addmm(res, beta, src, alpha, m1, m2)


register("addmm", [("n? T n? T T", _addmm, "same"), ("T n n T T", _addmm_ba, "same")])


def _mm(res: Tensor, m1: Tensor, m2: Tensor) -> Tensor:
    # Torch: the result resized and zeroed, then addmm with beta 0
    _mm_check(m1, m2)
    size = (m1.size[0], m2.size[1])
    if res.size != size:
        res.resize(size)
    blas.gemm(res.arr, 1, m1.arr, m2.arr, 0)
    return res


register("mm", [("T T", _mm, "same")])


def _mv_check(m: Tensor, v: Tensor) -> None:
    if m.dim() != 2 or v.dim() != 1:
        raise CwrapMismatch(f"vector and matrix expected, got {m.dim()}D, {v.dim()}D")
    if m.size[1] != v.size[0]:
        raise TorchError(f"size mismatch, {sz(m)}, {sz(v)}")


def _mv(res: Tensor, m: Tensor, v: Tensor) -> Tensor:
    _mv_check(m, v)
    res.resize((m.size[0],))
    blas.gemv(res.arr, 1, m.arr, v.arr, 0)
    return res


def _addmv(
    res: Tensor, beta: float | None, src: Tensor, alpha: float | None, m: Tensor, v: Tensor
) -> Tensor:
    _t_dims(src, 1)
    _mv_check(m, v)
    if src.size != (m.size[0],):
        raise TorchError(f"size mismatch, t: {sz(src)}, mat: {sz(m)}")
    beta = 1 if beta is None else beta
    # TH's addmv copies t into the result whatever beta is
    _prepare(res, src, 1, src.size)
    blas.gemv(res.arr, 1 if alpha is None else alpha, m.arr, v.arr, beta)
    return res


def _addmv_ba(res: Tensor, src: Tensor, beta: float, alpha: float, m: Tensor, v: Tensor) -> Tensor:
    return _addmv(res, beta, src, alpha, m, v)


register("mv", [("T T", _mv, "same")])
register("addmv", [("n? T n? T T", _addmv, "same"), ("T n n T T", _addmv_ba, "same")])


def _vv_check(v1: Tensor, v2: Tensor) -> None:
    if v1.dim() != 1 or v2.dim() != 1:
        raise CwrapMismatch(f"vector and vector expected, got {v1.dim()}D, {v2.dim()}D tensors")


def _addr(
    res: Tensor, beta: float | None, src: Tensor, alpha: float | None, v1: Tensor, v2: Tensor
) -> Tensor:
    _t_dims(src, 2)
    _vv_check(v1, v2)
    if src.size != (v1.size[0], v2.size[0]):
        raise TorchError(f"size mismatch, t: {sz(src)}, vec1: {sz(v1)}, vec2: {sz(v2)}")
    beta = 1 if beta is None else beta
    _prepare(res, src, 1, src.size)
    r = res.arr
    if res.size:
        # TH: zero for beta 0, scale for another beta than 1, then ger
        if beta == 0:
            r[...] = 0
        elif beta != 1:
            r *= real(res.ttype, beta)
    blas.ger(r, 1 if alpha is None else alpha, v1.arr, v2.arr)
    return res


def _addr_ba(res: Tensor, src: Tensor, beta: float, alpha: float, v1: Tensor, v2: Tensor) -> Tensor:
    return _addr(res, beta, src, alpha, v1, v2)


def _ger(res: Tensor, v1: Tensor, v2: Tensor) -> Tensor:
    # Torch: the result resized and zeroed, then addr
    _vv_check(v1, v2)
    res.resize((v1.size[0], v2.size[0]))
    if res.size:
        res.arr[...] = 0
    blas.ger(res.arr, 1, v1.arr, v2.arr)
    return res


register("addr", [("n? T n? T T", _addr, "same"), ("T n n T T", _addr_ba, "same")])
register("ger", [("T T", _ger, "same")])


def _bmm_check(b1: Tensor, b2: Tensor) -> None:
    if b1.dim() != 3 or b2.dim() != 3:
        raise CwrapMismatch(f"expected 3D tensor, got {b1.dim()}D, {b2.dim()}D tensors")
    if b1.size[0] != b2.size[0]:
        raise TorchError(
            f"bad argument #2 to '?' (equal number of batches expected, got {b1.size[0]}, "
            f"{b2.size[0]})"
        )
    if b1.size[2] != b2.size[1]:
        raise TorchError(
            f"bad argument #2 to '?' (wrong matrix size, batch1: {b1.size[1]}x{b1.size[2]}, "
            f"batch2: {b2.size[1]}x{b2.size[2]})"
        )


def _bmm(res: Tensor, b1: Tensor, b2: Tensor) -> Tensor:
    # Torch: the result resized and zeroed, then baddbmm with beta 0
    _bmm_check(b1, b2)
    res.resize((b1.size[0], b1.size[1], b2.size[2]))
    r, x, y = res.arr, b1.arr, b2.arr
    for i in range(b1.size[0]):
        blas.gemm(r[i], 1, x[i], y[i], 0)
    return res


def _baddbmm(
    res: Tensor, beta: float | None, src: Tensor, alpha: float | None, b1: Tensor, b2: Tensor
) -> Tensor:
    _t_dims(src, 3)
    _bmm_check(b1, b2)
    size = (b1.size[0], b1.size[1], b2.size[2])
    if src.size != size:
        raise TorchError("bad argument #1 to '?' (output tensor of incorrect size)")
    beta = 1 if beta is None else beta
    _prepare(res, src, beta, size)
    r, x, y = res.arr, b1.arr, b2.arr
    for i in range(size[0]):  # TH: one addmm per batch
        blas.gemm(r[i], 1 if alpha is None else alpha, x[i], y[i], beta)
    return res


def _addbmm(
    res: Tensor, beta: float | None, src: Tensor, alpha: float | None, b1: Tensor, b2: Tensor
) -> Tensor:
    _t_dims(src, 2)
    _bmm_check(b1, b2)
    size = (b1.size[1], b2.size[2])
    if src.size != size:
        raise TorchError("bad argument #1 to '?' (output tensor of incorrect size)")
    beta = 1 if beta is None else beta
    _prepare(res, src, beta, size)
    r, x, y = res.arr, b1.arr, b2.arr
    for i in range(b1.size[0]):  # TH: addmm per batch into the result, beta only the first
        blas.gemm(r, 1 if alpha is None else alpha, x[i], y[i], beta)
        beta = 1
    return res


def _baddbmm_ba(res, src, beta, alpha, b1, b2):
    return _baddbmm(res, beta, src, alpha, b1, b2)


def _addbmm_ba(res, src, beta, alpha, b1, b2):
    return _addbmm(res, beta, src, alpha, b1, b2)


register("bmm", [("T T", _bmm, "same")])
register("baddbmm", [("n? T n? T T", _baddbmm, "same"), ("T n n T T", _baddbmm_ba, "same")])
register("addbmm", [("n? T n? T T", _addbmm, "same"), ("T n n T T", _addbmm_ba, "same")])


def dot(a: Tensor, b: Tensor) -> float:
    if a.nelement() != b.nelement():  # TH_TENSOR_APPLY2(tensor, src)'s words
        raise TorchError(
            f"inconsistent tensor size, expected tensor {sz(a)} and src {sz(b)} to have the "
            f"same number of elements, but got {a.nelement()} and {b.nelement()} elements "
            "respectively"
        )
    if not a.size:
        return num(a.ttype, 0)
    if a.ttype in FLOAT_TYPES:
        return blas.dot(a.arr, like(a, b))
    av = a.arr.reshape(-1)
    bv = b.arr.reshape(-1)
    return int(np.dot(av.astype(np.int64), bv.astype(np.int64)))


register("dot", [("T T", dot, None)], inplace=False)

# ------------------------------------------------------------------------- reductions


def dim0(
    src: Tensor, d: float, fname: str, argn: int = 2, words: str = "dimension {d} out of range"
) -> int:
    """0-based d, checked as TH's THArgCheck: argument number argn (counting the tensor a
    method is called on), ``words`` its text ({d}: the 1-based dimension given)."""
    d = int(d)
    if not 1 <= d <= src.dim():
        raise TorchError(f"bad argument #{argn} to '{fname}' ({words.format(d=d)})")
    return d - 1


_dim0 = dim0


def reduce_into(res: Tensor, src: Tensor, d: int, value: np.ndarray) -> Tensor:
    """Store a reduction along 0-based d into res, which keeps d with size 1 (Torch's keepdim)."""
    size = list(src.size)
    size[d] = 1
    size = tuple(size)
    if res.size != size:
        res.resize(size)
    np.copyto(res.arr, np.expand_dims(value, d), casting="unsafe")
    return res


_reduce_dim = reduce_into


def _floats_only(name: str, src: Tensor) -> None:
    if src.ttype not in FLOAT_TYPES:
        raise not_float(name, src.ttype)


def _unit_stride(src: Tensor, d0: int) -> bool:
    """TH's reductions along a dimension take another branch when its stride is 1."""
    return src.stride[d0] == 1


def _sum_all(src: Tensor) -> float | int:
    if not src.size:
        return num(src.ttype, 0)
    return accreal.sum_all(src.arr)


def _sum_dim(res: Tensor, src: Tensor, d: float) -> Tensor:
    d0 = dim0(src, d, "sum")
    return reduce_into(res, src, d0, accreal.sum_dim(src.arr, d0, _unit_stride(src, d0)))


def _prod_all(src: Tensor) -> float | int:
    if not src.size:
        return num(src.ttype, 1)
    return accreal.prod_all(src.arr)


def _prod_dim(res: Tensor, src: Tensor, d: float) -> Tensor:
    d0 = dim0(src, d, "prod")
    return reduce_into(res, src, d0, accreal.prod_dim(src.arr, d0, _unit_stride(src, d0)))


register("sum", [("T", _sum_all, None), ("T n", _sum_dim, "same")], inplace=False)
register("sumall", [("T", _sum_all, None)], inplace=False)
register("prod", [("T", _prod_all, None), ("T n", _prod_dim, "same")], inplace=False)
register("prodall", [("T", _prod_all, None)], inplace=False)


def _mean_all(src: Tensor) -> float:
    _floats_only("mean", src)
    if not src.size:
        raise TorchError("bad argument #1 to 'mean' (empty Tensor)")
    return accreal.mean_all(src.arr)


def _mean_dim(res: Tensor, src: Tensor, d: float) -> Tensor:
    _floats_only("mean", src)
    d0 = dim0(src, d, "mean", 2, "invalid dimension {d}")
    return reduce_into(res, src, d0, accreal.mean_dim(src.arr, d0, _unit_stride(src, d0)))


register("mean", [("T", _mean_all, None), ("T n", _mean_dim, "same")], inplace=False)
register("meanall", [("T", _mean_all, None)], inplace=False)


def _cum(name: str, product: bool) -> None:
    def run(res: Tensor, src: Tensor, d: float | None) -> Tensor:
        d0 = dim0(src, 1 if d is None else d, name)
        return put(res, src, accreal.cumulate(src.arr, d0, product))

    register(name, [("T n?", run, "same")], inplace=False)


_cum("cumsum", False)
_cum("cumprod", True)


def _minmax(name: str, pick, argpick) -> None:
    def whole(src: Tensor) -> float:
        if not src.size:
            raise TorchError(f"bad argument #1 to '{name}' (tensor must have one dimension)")
        return num(src.ttype, pick(src.arr))  # numpy's max/min propagate NaN, as TH's

    def along(res: Tensor, idx: Tensor, src: Tensor, d: float) -> tuple[Tensor, Tensor]:
        d0 = dim0(src, d, name)
        a = src.arr
        ind = argpick(a, axis=d0)
        if a.dtype.kind == "f":
            nan = np.isnan(a)
            if nan.any():  # TH stops at the first NaN
                ind = np.where(nan.any(axis=d0), np.argmax(nan, axis=d0), ind)
        vals = np.take_along_axis(a, np.expand_dims(ind, d0), d0).squeeze(d0)
        reduce_into(res, src, d0, vals)
        reduce_into(idx, src, d0, ind + 1)
        return res, idx

    register(name, [("T", whole, None), ("T n", along, ("same", "Long"))], inplace=False)
    register(name + "all", [("T", whole, None)], inplace=False)


_minmax("max", np.max, np.argmax)
_minmax("min", np.min, np.argmin)


def _std_var(name: str, sq: bool) -> None:
    def whole(src: Tensor, flag: bool | None = None) -> float:
        _floats_only(name, src)
        if not src.size:  # TH's varall goes through meanall
            raise TorchError(f"bad argument #1 to '{name}' (empty Tensor)")
        f = accreal.var_all if sq else accreal.std_all
        return f(src.arr, bool(flag))

    def dim_(res: Tensor, src: Tensor, d: float, flag: bool | None) -> Tensor:
        _floats_only(name, src)
        d0 = dim0(src, d, name, 3, "invalid dimension {d}")
        return reduce_into(res, src, d0, accreal.var_dim(src.arr, d0, bool(flag), not sq))

    register(name, [("T b?", whole, None), ("T n b?", dim_, "same")], inplace=False)
    register(name + "all", [("T b?", whole, None)], inplace=False)


_std_var("var", True)
_std_var("std", False)


def _norm_all(src: Tensor, p: float | None = None) -> float:
    _floats_only("norm", src)
    p = 2 if p is None else float(real(src.ttype, p))
    if not src.size:
        return 0.0
    return accreal.norm_all(src.arr, p)


def _norm_dim(res: Tensor, src: Tensor, p: float, d: float) -> Tensor:
    _floats_only("norm", src)
    d0 = dim0(src, d, "norm", 3, "invalid dimension {d}")
    return reduce_into(res, src, d0, accreal.norm_dim(src.arr, d0, float(real(src.ttype, p))))


register("norm", [("T n?", _norm_all, None), ("T n n", _norm_dim, "same")], inplace=False)
register("normall", [("T n?", _norm_all, None)], inplace=False)


def _renorm(res: Tensor, src: Tensor, p: float, d: float, maxnorm: float) -> Tensor:
    _floats_only("renorm", src)
    d0 = dim0(src, d, "renorm", 3, "invalid dimension {d}")
    if p <= 0:
        raise TorchError("bad argument #2 to 'renorm' (non-positive-norm not supported)")
    if src.dim() <= 1:
        raise TorchError(
            f"bad argument #1 to 'renorm' (need at least 2 dimensions, got {src.dim()} dimensions)"
        )
    p = float(real(src.ttype, p))
    return put(res, src, accreal.renorm(src.arr, d0, p, maxnorm))


register("renorm", [("T n n n", _renorm, "same")])


def _dist(a: Tensor, b: Tensor, p: float | None = None) -> float:
    _floats_only("dist", a)
    p = 2 if p is None else float(real(a.ttype, p))
    if not a.size:
        return 0.0
    return accreal.dist(a.arr, like(a, b, ("tensor", "src")), p)


register("dist", [("T T n?", _dist, None)], inplace=False)


def _trace(src: Tensor) -> float:
    if src.dim() != 2:
        raise TorchError("bad argument #1 to 'trace' (expected a matrix)")
    return num(src.ttype, accreal.seq(np.diagonal(src.arr)))


register("trace", [("T", _trace, None)], inplace=False)

# ---------------------------------------------------- sorting: sort, topk, kthvalue, ...


def _lastdim(
    src: Tensor, d: float | None, fname: str, argn: int = 2, words: str = "invalid dimension {d}"
) -> int:
    # (cwrap's default is the last dimension: none of an empty tensor, which TH then rejects)
    return dim0(src, src.dim() if d is None else d, fname, argn, words)


def _sorted_idx(a: np.ndarray, d0: int, descending: bool) -> np.ndarray:
    """Stable sort order along d0 (descending keeps equal values in index order)."""
    if descending:
        key = -a if a.dtype.kind == "f" else -a.astype(np.int64)
        return np.argsort(key, axis=d0, kind="stable")
    return np.argsort(a, axis=d0, kind="stable")


def _sort(
    rv: Tensor, ri: Tensor, src: Tensor, d: float | None, descending: bool | None
) -> tuple[Tensor, Tensor]:
    d0 = _lastdim(src, d, "sort")
    a = src.arr
    done = libm.th_sort(a, d0, bool(descending))
    if done is None:
        # without the loop: a stable sort (equal values may come in another order than TH's)
        idx = _sorted_idx(a, d0, bool(descending))
        done = np.take_along_axis(a, idx, d0), idx
    put(rv, src, done[0])
    put(ri, src, done[1] + 1)
    return rv, ri


register("sort", [("T n? b?", _sort, ("same", "Long"))], inplace=False)


def _topk(
    rv: Tensor,
    ri: Tensor,
    src: Tensor,
    k: float | None,
    d: float | None,
    largest: bool | None,
    sort: bool | None,
) -> tuple[Tensor, Tensor]:
    d0 = _lastdim(src, d, "topk", 3, "dim not in range")
    k = 1 if k is None else int(k)
    n = src.size[d0]
    if not 1 <= k <= n:
        raise TorchError("bad argument #2 to 'topk' (k not in range for dimension)")
    a = src.arr
    done = libm.th_select(a, d0, k, 2 if largest else 1, bool(sort))
    if done is None:
        # without the loop: a stable sort (equal values may come in another order than TH's)
        idx = np.take(_sorted_idx(a, d0, bool(largest)), np.arange(k), axis=d0)
        vals = np.take_along_axis(a, idx, d0)
    else:
        # TH keeps the k smallest first, the k largest last
        part = np.arange(n - k, n) if largest else np.arange(k)
        vals, idx = np.take(done[0], part, axis=d0), np.take(done[1], part, axis=d0)
    size = list(src.size)
    size[d0] = k
    rv.resize(tuple(size))
    ri.resize(tuple(size))
    np.copyto(rv.arr, vals, casting="unsafe")
    np.copyto(ri.arr, idx + 1, casting="unsafe")
    return rv, ri


register("topk", [("T n? n? b? b?", _topk, ("same", "Long"))], inplace=False)


def _kth(rv: Tensor, ri: Tensor, src: Tensor, k: int, d0: int) -> tuple[Tensor, Tensor]:
    a = src.arr
    done = libm.th_select(a, d0, k, 0)
    if done is None:
        idx = np.argsort(a, axis=d0, kind="stable")
        pick = np.take(idx, [k - 1], axis=d0)
        vals = np.take_along_axis(a, pick, d0)
    else:
        vals, pick = np.take(done[0], [k - 1], axis=d0), np.take(done[1], [k - 1], axis=d0)
    reduce_into(rv, src, d0, vals.squeeze(d0))
    reduce_into(ri, src, d0, pick.squeeze(d0) + 1)
    return rv, ri


def _kthvalue(
    rv: Tensor, ri: Tensor, src: Tensor, k: float, d: float | None
) -> tuple[Tensor, Tensor]:
    d0 = _lastdim(src, d, "kthvalue", 3, "dimension out of range")
    k = int(k)
    if not 1 <= k <= src.size[d0]:
        raise TorchError("bad argument #2 to 'kthvalue' (selected index out of range)")
    return _kth(rv, ri, src, k, d0)


def _median(rv: Tensor, ri: Tensor, src: Tensor, d: float | None) -> tuple[Tensor, Tensor]:
    d0 = _lastdim(src, d, "median", 3, "dimension out of range")
    return _kth(rv, ri, src, (src.size[d0] + 1) // 2, d0)


def _median_all(src: Tensor) -> float | int:
    if not src.size:
        raise TorchError("bad argument #1 to 'median' (tensor must have one dimension)")
    flat = np.sort(src.arr.reshape(-1), kind="stable")
    return num(src.ttype, flat[(flat.size - 1) // 2])


def _mode(rv: Tensor, ri: Tensor, src: Tensor, d: float | None) -> tuple[Tensor, Tensor]:
    d0 = _lastdim(src, d, "mode", 3, "dimension out of range")
    a = np.moveaxis(src.arr, d0, -1)
    flat = a.reshape(-1, a.shape[-1])
    vals = np.empty(flat.shape[0], dtype=a.dtype)
    inds = np.empty(flat.shape[0], dtype=np.int64)
    # TH takes the last of each run of equal values as its quicksort leaves them
    done = libm.th_sort(flat, 1, False)
    for r in range(flat.shape[0]):
        row = flat[r]
        if done is None:
            order = np.argsort(row, kind="stable")
            srt = row[order]
        else:
            srt, order = done[0][r], done[1][r]
        best, bestc, besti = srt[0], 0, order[0]
        run = 0
        for i in range(srt.shape[0]):
            run += 1
            if i == srt.shape[0] - 1 or srt[i] != srt[i + 1]:
                if run > bestc:
                    best, bestc, besti = srt[i], run, order[i]
                run = 0
        vals[r], inds[r] = best, besti
    shape = a.shape[:-1]
    reduce_into(rv, src, d0, vals.reshape(shape))
    reduce_into(ri, src, d0, inds.reshape(shape) + 1)
    return rv, ri


register("kthvalue", [("T n n?", _kthvalue, ("same", "Long"))], inplace=False)
register("median", [("T n?", _median, ("same", "Long"))], inplace=False)
register("medianall", [("T", _median_all, None)], inplace=False)
register("mode", [("T n?", _mode, ("same", "Long"))], inplace=False)

# ------------------------------------------------------------------------ comparisons


def _compare(name: str, f) -> None:
    def tn(res: Tensor, src: Tensor, v: float) -> Tensor:
        return put(res, src, f(src.arr, real(src.ttype, v)))

    def tt(res: Tensor, a: Tensor, b: Tensor) -> Tensor:
        if a.nelement() != b.nelement():
            # THTensor_(ltTensor) and the like resize r_ as ta, then check all three
            n, m = a.nelement(), b.nelement()
            raise TorchError(
                f"inconsistent tensor size, expected r_ {sz(a)}, ta {sz(a)} and tb {sz(b)} "
                f"to have the same number of elements, but got {n}, {n} and {m} elements "
                "respectively"
            )
        return put(res, a, f(a.arr, like(a, b)))

    register(
        name,
        [("T n", tn, "Byte"), ("T n", tn, "same"), ("T T", tt, "Byte"), ("T T", tt, "same")],
        inplace=False,
        typed_by_first=True,
    )


for _name, _f in [
    ("eq", np.equal),
    ("ne", np.not_equal),
    ("lt", np.less),
    ("le", np.less_equal),
    ("gt", np.greater),
    ("ge", np.greater_equal),
]:
    _compare(_name, _f)


def equal(a: Tensor, b: Tensor) -> bool:
    if a.size != b.size:
        return False
    if not a.size:
        return True
    return bool(np.array_equal(a.arr, b.arr))


register("equal", [("T T", equal, None)], inplace=False)  # (cwrap: both of one type)


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
        raise TorchError("bad argument #3 to 'range' (step must be a non-null number)")
    if (stop - start) / step < 0:
        raise TorchError(
            "bad argument #2 to 'range' (upper bound and larger bound incoherent with step sign)"
        )
    n = int(_m.floor((stop - start) / step)) + 1
    return tensor_from_array(start + step * np.arange(n, dtype=np.float64), ttype)


def _th_sequence(ttype: str, a: float, b: float, n: int, fname: str) -> np.ndarray:
    """TH's a + i*(b-a)/(n-1) in the tensor's type (this operation order, i from 0)."""
    n = int(n)
    if not (n > 1 or (n == 1 and a == b)):
        raise TorchError(f"bad argument #3 to '{fname}' (invalid number of points)")
    dt = DTYPES[ttype] if ttype in FLOAT_TYPES else np.dtype(np.float64)
    if n == 1:
        return np.full(1, a, dtype=dt)
    i = np.arange(n, dtype=dt)
    with np.errstate(all="ignore"):
        return dt.type(a) + i * (dt.type(b) - dt.type(a)) / dt.type(n - 1)


def linspace(ttype: str, a: float, b: float, n: int = 100) -> Tensor:
    return tensor_from_array(_th_sequence(ttype, a, b, n, "linspace"), ttype)


def logspace(ttype: str, a: float, b: float, n: int = 100) -> Tensor:
    v = _th_sequence(ttype, a, b, n, "logspace")
    with np.errstate(all="ignore"):
        return tensor_from_array(np.power(v.dtype.type(10), v), ttype)


def eye(ttype: str, n: int, m: int | None = None) -> Tensor:
    if n < 1:
        raise TorchError("bad argument #1 to 'eye' (invalid argument)")
    return tensor_from_array(np.eye(int(n), int(n if m is None or m <= 0 else m)), ttype)
