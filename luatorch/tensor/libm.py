"""C's maths functions (the C library's ``exp``, ``expf``, ``tanh``, ``pow``...) over numpy arrays.

Torch7 computes ``exp``, ``log``, ``tanh``... element by element with the C library: TH's
tensor functions call ``expf`` on floats and ``exp`` on doubles, THNN's kernels often call the
double function on a float promoted to double. numpy's own loops are SIMD implementations that
round differently from glibc: measured on this machine kind, float64 ``np.exp`` differs from
glibc's ``exp`` on 5% of random arguments, ``np.tanh`` on 20%, float32 ``np.exp`` from ``expf``
on 40%; rounding a float64 result to float32 does not reproduce ``expf`` either. So every
transcendental goes through this module, which calls the C function itself for each element.

How, for large arrays: double ``exp`` and ``tanh`` go to vexp.py and vtanh.py, glibc's own
algorithms done four elements at a time (the same bits, checked against this process's C
library before use).
Otherwise numexpr (when installed, without Intel's VML) runs its loops over
blocks of the array on all the kernel threads (threadpool.py) and calls the C library's own
function for each element: the same bits as TH's loop, split over the cores. Only the functions
whose numexpr build links the same C symbol as TH are sent there (double ``log`` is not: numexpr
links glibc's pre-2.29 ``log``, whose error path returns +NaN for negative arguments where the
current one returns -NaN; `tests/tensor/test_libm.py` checks every function sent, edge cases
included).

Otherwise a LuaJIT runtime (there is one whenever Lua code runs) compiles a loop that calls the
C function through the FFI on raw pointers; ``install`` registers it for the calling thread
(1e6 ``exp`` in about 5-10 ms on one core). Without one (pure Python use, kernel pool
threads), the same C functions are reached through Python's ``math`` module (double functions:
CPython calls the C library's) or ctypes (float functions), element by element.

``call(name, a, ...)`` takes the C function's own name; ``th(name, a)`` picks the one TH's
``TH_MATH_NAME`` picks for ``a``'s type (``expf`` for float32, ``exp`` for float64).
"""

from __future__ import annotations

import ctypes
import math
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from .core import empty

# C function name -> number of arguments; the float versions end in 'f'
UNARY = (
    "exp log log1p expm1 tanh sinh cosh sin cos tan asin acos atan sqrt fabs "
    "ceil floor trunc round log10 log2 cbrt"
).split()
BINARY = "pow atan2 fmod".split()
TERNARY = ["fma"]

_local = threading.local()
_libm: Any = None

# C function -> numexpr's name for it, for the functions whose numexpr loop calls the same C
# symbol as TH (checked bit for bit, special values included, in tests/tensor/test_libm.py)
_NUMEXPR = {
    n + f: ne
    for n, ne in {
        "exp": "exp", "expm1": "expm1", "log1p": "log1p", "sqrt": "sqrt", "tanh": "tanh",
        "sinh": "sinh", "cosh": "cosh", "sin": "sin", "cos": "cos", "tan": "tan",
        "asin": "arcsin", "acos": "arccos", "atan": "arctan",
    }.items()
    for f in ("", "f")
}  # fmt: skip
_NUMEXPR["logf"] = "log"
# below this many elements the LuaJIT loop on the calling thread wins (numexpr's call and
# thread hand-off cost about 20-40 us)
NUMEXPR_MIN = 1 << 15
_numexpr: Any = None  # the module once imported, False when absent or unusable
_numexpr_threads = 0


def _numexpr_module() -> Any:
    global _numexpr
    if _numexpr is None:
        try:
            import numexpr

            # VML's vectorised functions round differently from the C library's
            _numexpr = False if getattr(numexpr, "use_vml", False) else numexpr
        except ImportError:
            _numexpr = False
    return _numexpr


def _with_numexpr(name: str, src: np.ndarray, dst: np.ndarray) -> bool:
    """dst = name(src) through numexpr on the kernel threads; False when not applicable."""
    global _numexpr_threads
    expr = _NUMEXPR.get(name)
    if expr is None or src.size < NUMEXPR_MIN:
        return False
    ne = _numexpr_module()
    if not ne:
        return False
    from .threadpool import get_num_threads

    n = get_num_threads()
    if n != _numexpr_threads:
        ne.set_num_threads(n)
        _numexpr_threads = n
    ne.evaluate(expr + "(x)", local_dict={"x": src}, out=dst, casting="no")
    return True


# below this many elements call()'s lean path (the LuaJIT loop on a scratch buffer) takes exp
# and tanh
VEXP_MIN = 1 << 10


def _with_vexp(name: str, src: np.ndarray, dst: np.ndarray) -> bool:
    """dst = exp(src) or tanh(src) for doubles through vexp.py or vtanh.py (glibc's bits,
    vectorised); False when not applicable. dst is src itself or apart from it (a partial
    overlap keeps TH's order)."""
    if name not in ("exp", "tanh") or src.size < VEXP_MIN or src.dtype != np.float64:
        return False
    if not (src.flags.c_contiguous and dst.flags.c_contiguous and dst.dtype == np.float64):
        return False
    s, d = src.ctypes.data, dst.ctypes.data
    if s != d and abs(s - d) < src.nbytes:
        return False
    if name == "tanh":
        from . import vtanh

        return vtanh.tanh_into(src, dst)
    from . import vexp

    return vexp.exp_into(src, dst)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """TH_sigmoid element by element, 1 / (1 + exp(-x)) in x's type with TH's exp (``expf``
    for float32): float64 arrays of VEXP_MIN elements and more in one pass of vexp.py's
    vsigmoid (the same operations, four lanes at a time), the rest as numpy operations."""
    if x.dtype == np.float64 and x.size >= VEXP_MIN:
        from . import vexp

        src = np.ascontiguousarray(x)
        dst = empty(src.shape, np.dtype(np.float64))
        if vexp.sigmoid_into(src, dst):
            return dst
    one = x.dtype.type(1)
    with np.errstate(over="ignore"):
        return one / (one + th("exp", -x))


def _c_library() -> Any:
    global _libm
    if _libm is None:
        from .blas import _library

        _libm = ctypes.CDLL(_library("m", "libm.so.6") or "libm.so.6")
    return _libm


def install(loop: Callable[..., Any] | None) -> None:
    """Register for this thread ``loop(name, n, dst, a, ...)``: dst[i] = name(a[i], ...) over
    n contiguous elements of the function's C type (addresses as integers)."""
    _local.loop = loop


def _ctype(name: str) -> type:
    return (
        np.float32 if name.endswith("f") and name[:-1] in UNARY + BINARY + TERNARY else np.float64
    )


# double functions that CPython's math module takes straight from the C library
_MATH = set(UNARY + BINARY + TERNARY) - {"round", "trunc", "ceil", "floor", "cbrt"}
if not hasattr(math, "fma"):  # Python < 3.13
    _MATH.discard("fma")


def _slow(name: str, args: list[np.ndarray], out: np.ndarray) -> None:
    """The element-by-element fallback (no LuaJIT loop on this thread)."""
    if name in _MATH:
        f = getattr(math, name)

        def one(*xs: float) -> float:
            try:
                return f(*xs)
            except (ValueError, OverflowError, ZeroDivisionError):  # C returns inf/nan here
                return _c_scalar(name, *xs)

    else:

        def one(*xs: float) -> float:
            return _c_scalar(name, *xs)

    out[...] = np.fromiter(map(one, *(x.tolist() for x in args)), out.dtype, out.size)


def _c_scalar(name: str, *args: float) -> float:
    cf = getattr(_c_library(), name)
    ct = ctypes.c_float if _ctype(name) is np.float32 else ctypes.c_double
    cf.restype = ct
    cf.argtypes = [ct] * len(args)
    return cf(*args)


def scalar(name: str, *args: float) -> float:
    """The C function on numbers (as C converts them to its argument type)."""
    return float(_c_scalar(name, *args))


def call(
    name: str, a: np.ndarray, *more: np.ndarray | float, out: np.ndarray | None = None
) -> np.ndarray:
    """name(a, ...) element by element, with the C function called ``name``.

    The operands (arrays of a's shape or numbers) are converted to the function's argument
    type first, as C converts a float passed to a double function (exactly) or a double to a
    float one (rounding). Returns an array of that type, or writes into ``out`` (converting)
    and returns it."""
    ct = _ctype(name)
    loop = getattr(_local, "loop", None)
    if loop is not None and out is None:
        fast = _call_small(loop, name, ct, a, more)
        if fast is not None:
            return fast
    ops = [np.asarray(x, dtype=ct) for x in (a, *more)]
    shape = np.broadcast_shapes(*(x.shape for x in ops))
    # (ascontiguousarray makes 0-d arrays 1-d: reshape back)
    args = [np.ascontiguousarray(np.broadcast_to(x, shape)).reshape(shape) for x in ops]
    src = args[0]
    direct = (
        out is not None and out.dtype == ct and out.flags.c_contiguous and out.shape == src.shape
    )
    dst = out if direct else empty(src.shape, np.dtype(ct))
    if src.size and not (
        len(args) == 1 and (_with_vexp(name, src, dst) or _with_numexpr(name, src, dst))
    ):
        loop = getattr(_local, "loop", None)
        if loop is not None:
            loop(name, src.size, dst.ctypes.data, *(x.ctypes.data for x in args))
        else:
            _slow(name, [x.reshape(-1) for x in args], dst.reshape(-1))
    if out is None or direct:
        return dst
    np.copyto(out, dst, casting="unsafe")
    return out


# call()'s general path costs some 25 us a call in broadcasting and pointer look-ups, more than
# the loop itself on small arrays; below this many elements a leaner path takes the common case
SMALL = 1 << 14


def _scratch(ct: type) -> tuple[np.ndarray, int]:
    """This thread's buffer of 4 rows of SMALL elements of type ct, and its address."""
    key = "scratch64" if ct is np.float64 else "scratch32"
    found = getattr(_local, key, None)
    if found is None:
        buf = np.empty((4, SMALL), ct)
        found = (buf, buf.__array_interface__["data"][0])
        setattr(_local, key, found)
    return found


def _call_small(
    loop: Callable[..., Any], name: str, ct: type, a: Any, more: tuple[Any, ...]
) -> np.ndarray | None:
    """call() when a is a small array and the other operands are numbers or arrays of a's
    shape, through this thread's scratch buffer (whose address is known: looking up an
    array's address costs microseconds). None when the case is not that one."""
    if not isinstance(a, np.ndarray) or a.ndim == 0 or not 0 < a.size < SMALL:
        return None
    shape, n = a.shape, a.size
    buf, base = _scratch(ct)
    buf[1, :n].reshape(shape)[...] = a
    for k, x in enumerate(more, 2):
        if isinstance(x, (int, float)) or (isinstance(x, np.ndarray) and x.shape == shape):
            buf[k, :n].reshape(shape)[...] = x
        else:
            return None
    step = SMALL * buf.itemsize
    if not more:
        loop(name, n, base, base + step)
    elif len(more) == 1:
        loop(name, n, base, base + step, base + 2 * step)
    else:
        loop(name, n, base, base + step, base + 2 * step, base + 3 * step)
    return buf[0, :n].reshape(shape).copy()


def fma_chain(acc: np.ndarray, a: np.ndarray, z: np.ndarray) -> None:
    """acc = fma(a[s], z[s], acc) for s = 0, 1, ... in turn (a sequence of THVector_(cadd)s on
    AVX2), in place, in acc's type: acc (lanes...), a and z (steps, lanes...)."""
    ct = acc.dtype.type
    lanes = acc.size
    av = np.ascontiguousarray(a, dtype=ct).reshape(-1, lanes)
    zv = np.ascontiguousarray(np.broadcast_to(z, a.shape), dtype=ct).reshape(-1, lanes)
    loop = getattr(_local, "loop", None)
    name = "fmachainf" if ct is np.float32 else "fmachain"
    if loop is None or not acc.flags.c_contiguous:
        out = acc.reshape(lanes).copy()
        for step in range(av.shape[0]):
            out = call("fmaf" if ct is np.float32 else "fma", av[step], zv[step], out)
        acc[...] = out.reshape(acc.shape)
        return
    if av.shape[0] and lanes:
        count = np.array([lanes], dtype=np.int64)
        loop(name, av.shape[0], acc.ctypes.data, av.ctypes.data, zv.ctypes.data, count.ctypes.data)


def scatter_add(dst: np.ndarray, src: np.ndarray, index: np.ndarray, weight: np.ndarray) -> bool:
    """dst[r, t[k]] += weight[k] * src[r, s[k]] for every row r, k in order, in the arrays' type
    (C's ``real`` arithmetic), where index is the int64 array t followed by s (built once per
    geometry by the caller); dst (rows, nin) and src (rows, nout) C-contiguous.
    False when no LuaJIT loop runs on this thread (the caller computes it another way)."""
    loop = getattr(_local, "loop", None)
    if loop is None or not (dst.flags.c_contiguous and src.flags.c_contiguous):
        return False
    if weight.size and dst.size:
        w = np.ascontiguousarray(weight, dtype=dst.dtype)
        idx = np.ascontiguousarray(index, dtype=np.int64)
        name = "scatterf" if dst.dtype == np.float32 else "scatter"
        # all the rows in one call (a call from Python costs more than a small row's work)
        loop(
            name, w.size, _address(dst), _address(src), _address(idx), _address(w),
            dst.shape[0], dst.shape[1], src.shape[1],
        )  # fmt: skip
    return True


def gather_sum(dst: np.ndarray, src: np.ndarray, plan: np.ndarray, m: int) -> bool:
    """dst[r, e] = 0 + src[r, base[e] + off[0]] + src[r, base[e] + off[1]] + ... + src[r,
    base[e] + off[m - 1]], added in order in the arrays' type, for every row r; dst (rows,
    nin) and src (rows, nout) C-contiguous of one float type, plan the int64 array base (nin)
    followed by off (m), every base + offset inside a row of src.
    False when no LuaJIT loop runs on this thread."""
    loop = getattr(_local, "loop", None)
    if loop is None or not (dst.flags.c_contiguous and src.flags.c_contiguous):
        return False
    if dst.size:
        name = "gathersumf" if dst.dtype == np.float32 else "gathersum"
        loop(
            name, dst.shape[1], _address(dst), _address(src), _address(plan), m,
            dst.shape[0], src.shape[1],
        )  # fmt: skip
    return True


def _address(a: np.ndarray) -> int:
    return a.__array_interface__["data"][0]


def swap_in_turn(r: np.ndarray, z: np.ndarray) -> bool:
    """r[i] <-> r[i + z[i]] for i = 0, 1, ... in turn (a Fisher-Yates shuffle's swaps), in place
    on int64 arrays, every i + z[i] inside r. False when no LuaJIT loop runs on this thread."""
    loop = getattr(_local, "loop", None)
    if loop is None or not r.flags.c_contiguous or r.dtype != np.int64:
        return False
    zc = np.ascontiguousarray(z, dtype=np.int64)
    if zc.size:
        loop("swaps", zc.size, r.ctypes.data, zc.ctypes.data)
    return True


def real_sum(terms: np.ndarray, dtype: np.dtype) -> float:
    """``real sum = 0; sum += term`` in order, as THNN's criterions add double terms (a double
    log or exp) into a ``real`` accumulator: for floats each addition is done in double and
    rounded to float (not float arithmetic on rounded terms)."""
    t = np.ascontiguousarray(terms, dtype=np.float64).reshape(-1)
    if np.dtype(dtype) != np.float32:
        return float(np.add.accumulate(t)[-1]) if t.size else 0.0
    acc = np.zeros(1, np.float32)
    loop = getattr(_local, "loop", None)
    if loop is not None and t.size:
        loop("sumf", t.size, acc.ctypes.data, t.ctypes.data)
    else:
        for v in t.tolist():
            acc[0] = np.float32(float(acc[0]) + v)
    return float(acc[0])


_SEQSUM_CODE = {np.dtype(np.float64): "d", np.dtype(np.float32): "f"}


def seq_sum(terms: np.ndarray, dtype: Any) -> float | None:
    """``acc = 0; acc += term`` over a 1-D array in order, the terms converted to dtype (float32
    or float64) and added in it, as ``np.add.accumulate(terms, dtype=dtype)[-1]``, by the
    LuaJIT loop (a sequential sum cannot be vectorised; numpy's accumulate writes every partial
    sum). None when this thread has no loop or dtype is not a float type."""
    loop = getattr(_local, "loop", None)
    code = _SEQSUM_CODE.get(np.dtype(dtype))
    if loop is None or code is None:
        return None
    t = np.ascontiguousarray(terms, dtype=dtype)
    acc, address = _scratch(t.dtype.type)
    acc[0, 0] = 0
    loop("seqsum_" + code, t.size, address, t.__array_interface__["data"][0])
    return float(acc[0, 0])


# (accumulator dtype, terms dtype) -> the seqrows loop adding those terms in that type
_SEQROWS_CODE = {
    (np.dtype(np.float64), np.dtype(np.float64)): "dd",
    (np.dtype(np.float64), np.dtype(np.float32)): "df",
    (np.dtype(np.float32), np.dtype(np.float32)): "ff",
}


def seq_rows(a: np.ndarray, dtype: Any) -> np.ndarray | None:
    """For each r, ``acc = 0; acc += term`` over a[r] (a 3-D array, its last axis contiguous) in
    row-major order, added in dtype: ``seq(a.reshape(len(a), -1), 1, dtype)`` without a copy or
    numpy's array of partial sums (TH's per-plane and per-feature sums, read in place). None
    when this thread has no LuaJIT loop or the types have no loop."""
    loop = getattr(_local, "loop", None)
    acc_t = np.dtype(dtype)
    code = _SEQROWS_CODE.get((acc_t, a.dtype))
    item = a.itemsize
    if loop is None or code is None or a.ndim != 3 or (a.shape[2] > 1 and a.strides[2] != item):
        return None
    out = np.zeros(a.shape[0], acc_t)
    if out.size == 0 or a.size == 0:
        return out
    if any(st % item for st in a.strides[:2]):
        return None
    meta = np.array(
        [a.shape[1], a.strides[1] // item, a.shape[2], a.strides[0] // item], dtype=np.int64
    )
    loop("seqrows_" + code, a.shape[0], _address(out), _address(a), _address(meta))
    return out


def _address(a: np.ndarray) -> int:
    """The address of a's first element (through the buffer protocol when a is C-contiguous:
    ``a.ctypes.data`` costs several times more)."""
    try:
        return ctypes.addressof(ctypes.c_char.from_buffer(a))
    except (TypeError, ValueError, BufferError):
        return a.__array_interface__["data"][0]


_SORT_CODE = {np.dtype(np.float64): "d", np.dtype(np.float32): "f"}


def _lanes(a: np.ndarray, axis: int) -> tuple[Any, str, np.ndarray, np.ndarray] | None:
    """What th_sort and th_select hand the LuaJIT loop: (the loop, its type code, a C-ordered
    copy of a with axis last, an index array of that shape); integers as doubles when doubles
    hold them exactly. None when this thread has no loop or the values are not sortable so."""
    loop = getattr(_local, "loop", None)
    if loop is None or a.ndim == 0:
        return None
    work = a
    if a.dtype.kind in "iu":
        if a.dtype.itemsize == 8 and a.size and np.abs(a).max() > 2**53:
            return None
        work = a.astype(np.float64)
    code = _SORT_CODE.get(work.dtype)
    if code is None:
        return None
    vals = np.array(np.moveaxis(work, axis, -1), order="C", copy=True)
    return loop, code, vals, np.empty(vals.shape, dtype=np.int64)


def _unlanes(
    a: np.ndarray, axis: int, vals: np.ndarray, idx: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """_lanes' arrays back in a's layout and type: (values, 0-based indices)."""
    out = np.moveaxis(vals, -1, axis)
    if out.dtype != a.dtype:
        out = out.astype(a.dtype)
    return out, np.moveaxis(idx, -1, axis)


def th_sort(a: np.ndarray, axis: int, descending: bool) -> tuple[np.ndarray, np.ndarray] | None:
    """THTensor_(sort) along axis: (sorted values, 0-based indices), equal values in the order
    TH's quicksort leaves them, by the LuaJIT loop. None as _lanes."""
    lanes = _lanes(a, axis)
    if lanes is None:
        return None
    loop, code, vals, idx = lanes
    length = vals.shape[-1]
    if vals.size:
        meta = np.array([length], dtype=np.int64)
        name = f"thsort_{code}_{'desc' if descending else 'asc'}"
        loop(name, vals.size // length, vals.ctypes.data, idx.ctypes.data, meta.ctypes.data)
    return _unlanes(a, axis, vals, idx)


def th_select(
    a: np.ndarray, axis: int, k: int, how: int, ordered: bool = False
) -> tuple[np.ndarray, np.ndarray] | None:
    """THTensor_(quickselect) along axis, as kthvalue (how 0: the k-th smallest at k - 1) and
    topk (1: the k smallest first, 2: the k largest last, ``ordered`` as topk's sort flag)
    leave each lane: (values, 0-based indices) in TH's order among equal values, by the
    LuaJIT loop; None as _lanes."""
    lanes = _lanes(a, axis)
    if lanes is None:
        return None
    loop, code, vals, idx = lanes
    length = vals.shape[-1]
    if vals.size:
        meta = np.array([length, k, how, int(ordered)], dtype=np.int64)
        loop(f"thselect_{code}", vals.size // length, vals.ctypes.data, idx.ctypes.data,
             meta.ctypes.data)  # fmt: skip
    return _unlanes(a, axis, vals, idx)


def has_loop() -> bool:
    """Whether this thread has the LuaJIT loops (the functions below then do their work)."""
    return getattr(_local, "loop", None) is not None


def alias_samples(out: np.ndarray, words: np.ndarray, meta: np.ndarray, q: np.ndarray) -> None:
    """Walker's alias draws into out (int64, contiguous) from twice as many raw words (uint32),
    meta = [K, J...] (float64, exact) and q (float64), by the LuaJIT loop (see has_loop)."""
    if out.size:
        _local.loop(
            "aliasdraw", out.size, out.ctypes.data, words.ctypes.data, meta.ctypes.data,
            q.ctypes.data,
        )  # fmt: skip


def th(
    name: str, a: np.ndarray, *more: np.ndarray | float, out: np.ndarray | None = None
) -> np.ndarray:
    """TH_MATH_NAME(name): the float function (``expf``) for float32 data, else the double one."""
    return call(name + "f" if a.dtype == np.float32 else name, a, *more, out=out)


# The loops, compiled by LuaJIT: one closure per C function so each gets its own trace. The
# runtime runs this chunk with (UNARY, BINARY, TERNARY) as Lua tables and ``install``s the result.
LUA_LOOPS = """
local ffi = require 'ffi'
-- the chunk's arguments: Lua tables of C function names (one, two and three arguments)
local unary, binary, ternary = ...
local decl = {}
for _, n in ipairs(unary) do
   decl[#decl + 1] = 'double ' .. n .. '(double); float ' .. n .. 'f(float);'
end
for _, n in ipairs(binary) do
   decl[#decl + 1] = 'double ' .. n .. '(double, double); float ' .. n .. 'f(float, float);'
end
for _, n in ipairs(ternary) do
   decl[#decl + 1] = 'double ' .. n .. '(double, double, double); float ' .. n ..
      'f(float, float, float);'
end
ffi.cdef(table.concat(decl, ' '))
local C = ffi.C
local loops = {}
local function make1(f, pt)
   return function(n, dst, a)
      local d, s = ffi.cast(pt, dst), ffi.cast(pt, a)
      for i = 0, n - 1 do d[i] = f(s[i]) end
   end
end
local function make2(f, pt)
   return function(n, dst, a, b)
      local d, s, t = ffi.cast(pt, dst), ffi.cast(pt, a), ffi.cast(pt, b)
      for i = 0, n - 1 do d[i] = f(s[i], t[i]) end
   end
end
local function make3(f, pt)
   return function(n, dst, a, b, c)
      local d, s, t, u = ffi.cast(pt, dst), ffi.cast(pt, a), ffi.cast(pt, b), ffi.cast(pt, c)
      for i = 0, n - 1 do d[i] = f(s[i], t[i], u[i]) end
   end
end
for _, n in ipairs(unary) do
   loops[n] = make1(C[n], ffi.typeof('double *'))
   loops[n .. 'f'] = make1(C[n .. 'f'], ffi.typeof('float *'))
end
for _, n in ipairs(binary) do
   loops[n] = make2(C[n], ffi.typeof('double *'))
   loops[n .. 'f'] = make2(C[n .. 'f'], ffi.typeof('float *'))
end
for _, n in ipairs(ternary) do
   loops[n] = make3(C[n], ffi.typeof('double *'))
   loops[n .. 'f'] = make3(C[n .. 'f'], ffi.typeof('float *'))
end
-- float sum = 0; sum += double term: each addition in double, stored (rounded) as float
loops.sumf = function(n, dst, a)
   local d, s = ffi.cast('float *', dst), ffi.cast('const double *', a)
   for i = 0, n - 1 do d[0] = d[0] + s[i] end
end
-- sums in sequence, acc = acc + term, in double or in float (the float sum is stored as float
-- after each addition: double rounding is harmless for a sum of two floats)
loops.seqsum_d = function(n, dst, a)
   local d, s = ffi.cast('double *', dst), ffi.cast('double *', a)
   local acc = d[0]
   for i = 0, n - 1 do acc = acc + s[i] end
   d[0] = acc
end
loops.seqsum_f = function(n, dst, a)
   local d, s = ffi.cast('float *', dst), ffi.cast('float *', a)
   for i = 0, n - 1 do d[0] = d[0] + s[i] end
end
-- the same sums for n rows, each of meta = {outer count, outer stride, inner count, row stride}
-- (strides in elements, inner elements contiguous): dst[r] = sum of row r in row-major order
local function makeRows(accType, srcType)
   local at, st = ffi.typeof(accType .. ' *'), ffi.typeof(srcType .. ' *')
   local tmp = ffi.new(accType .. '[1]')
   return function(n, dst, a, b)
      local d, s = ffi.cast(at, dst), ffi.cast(st, a)
      local m = ffi.cast('int64_t *', b)
      local outer, ostride = tonumber(m[0]), tonumber(m[1])
      local inner, rstride = tonumber(m[2]), tonumber(m[3])
      for r = 0, n - 1 do
         tmp[0] = 0
         for o = 0, outer - 1 do
            -- an element offset, not a pointer: a pointer made here is a cdata the trace
            -- does not always sink (LeNet's bias sums left 24 bytes of garbage a row)
            local p = r * rstride + o * ostride
            if accType == 'double' then
               local acc = tmp[0]
               for i = p, p + inner - 1 do acc = acc + s[i] end
               tmp[0] = acc
            else
               for i = p, p + inner - 1 do tmp[0] = tmp[0] + s[i] end
            end
         end
         d[r] = tmp[0]
      end
   end
end
loops.seqrows_dd = makeRows('double', 'double')
loops.seqrows_df = makeRows('double', 'float')
loops.seqrows_ff = makeRows('float', 'float')
-- acc = fma(a[s], z[s], acc) for the steps s in turn, on every lane: n steps of lanes[0]
-- lanes each (a and z contiguous, steps x lanes)
local function makeChain(pt)
   return function(n, dst, a, b, c)
      local d, s, t = ffi.cast(pt, dst), ffi.cast(pt, a), ffi.cast(pt, b)
      local lanes = tonumber(ffi.cast('int64_t *', c)[0])
      for step = 0, n - 1 do
         local base = step * lanes
         for j = 0, lanes - 1 do d[j] = C.fma(s[base + j], t[base + j], d[j]) end
      end
   end
end
loops.fmachain = makeChain(ffi.typeof('double *'))
-- scatter-add in a fixed order: for every row r and contribution k in turn,
-- dst[r][t[k]] += w[k] * src[r][s[k]], the product rounded to the element type before the
-- addition as C computes it in real; index = {t[0..n-1], s[0..n-1]} (int64); rows of nin
-- (dst) and nout (src) elements
local function makeScatter(pt, tmp)
   return function(n, dst, a, b, c, rows, nin, nout)
      local g, w = ffi.cast(pt, a), ffi.cast(pt, c)
      local d = ffi.cast(pt, dst)
      local t = ffi.cast('int64_t *', b)
      local s = t + n
      for r = 0, rows - 1 do
         local d0, g0 = r * nin, r * nout
         for k = 0, n - 1 do
            tmp[0] = w[k] * g[g0 + s[k]]
            d[d0 + t[k]] = d[d0 + t[k]] + tmp[0]
         end
      end
   end
end
-- sums gathered in a fixed order: dst[r][e] = 0 + src[r][base[e] + off[0]] + ... +
-- src[r][base[e] + off[m - 1]] for the n elements e of every row r, each addition in the
-- element type; plan = {base[0..n-1], off[0..m-1]} (int64)
local function makeGatherSum(pt)
   return function(n, dst, a, b, m, rows, nout)
      local d, g = ffi.cast(pt, dst), ffi.cast(pt, a)
      local base = ffi.cast('int64_t *', b)
      local off = base + n
      for r = 0, rows - 1 do
         local d0, g0 = r * n, r * nout
         for e = 0, n - 1 do
            local at = d0 + e
            local from = g0 + base[e]
            d[at] = 0
            for t = 0, m - 1 do d[at] = d[at] + g[from + off[t]] end
         end
      end
   end
end
loops.gathersum = makeGatherSum(ffi.typeof('double *'))
loops.gathersumf = makeGatherSum(ffi.typeof('float *'))
loops.scatter = makeScatter(ffi.typeof('double *'), ffi.new('double[1]'))
loops.scatterf = makeScatter(ffi.typeof('float *'), ffi.new('float[1]'))
-- r[i] <-> r[i + z[i]] for i = 0 .. n-1 in turn (int64; the caller keeps i + z[i] inside r)
loops.swaps = function(n, dst, a)
   local r, z = ffi.cast('int64_t *', dst), ffi.cast('int64_t *', a)
   for i = 0, n - 1 do
      local j = i + z[i]
      r[i], r[j] = r[j], r[i]
   end
end
loops.fmachainf = function(n, dst, a, b, c)
   local d, s, t = ffi.cast('float *', dst), ffi.cast('float *', a), ffi.cast('float *', b)
   local lanes = tonumber(ffi.cast('int64_t *', c)[0])
   for step = 0, n - 1 do
      local base = step * lanes
      for j = 0, lanes - 1 do d[j] = C.fmaf(s[base + j], t[base + j], d[j]) end
   end
end
-- TH's quicksort (THTensor_(quicksortascend) and (quicksortdescend)), step for step: equal
-- values end in TH's order, not a stable sort's. n lanes of len[0] values, contiguous, sorted
-- in place; idx (int64, the same shape) receives the 0-based positions they came from.
-- before(x, y): x goes strictly before y (x < y ascending, x > y descending); NaN compares
-- false as in C.
local function makeSort(pt, before)
   local beg, fin = {}, {}
   local function swap(arr, idx, a, b)
      arr[a], arr[b] = arr[b], arr[a]
      idx[a], idx[b] = idx[b], idx[a]
   end
   local function lane(arr, idx, elements)
      local stack, L, R = 0, 0, elements - 1
      local done = elements - 1 <= 10
      while not done do
         -- median of three for the pivot
         swap(arr, idx, math.floor((L + R) / 2), L + 1)
         if before(arr[R], arr[L + 1]) then swap(arr, idx, L + 1, R) end
         if before(arr[R], arr[L]) then swap(arr, idx, L, R) end
         if before(arr[L], arr[L + 1]) then swap(arr, idx, L + 1, L) end
         local i, j, piv = L + 1, R, arr[L]
         while true do
            repeat i = i + 1 until not before(arr[i], piv)
            repeat j = j - 1 until not before(piv, arr[j])
            if j < i then break end
            swap(arr, idx, i, j)
         end
         swap(arr, idx, L, j)
         -- left part (L, j - 1), right part (i, R); parts of 10 or fewer are left for the
         -- insertion sort
         local left, right = j - L, R - i + 1
         if left <= 10 and right <= 10 then
            if stack == 0 then
               done = true
            else
               stack = stack - 1
               L, R = beg[stack], fin[stack]
            end
         elseif left <= 10 or right <= 10 then
            if left > right then R = j - 1 else L = i end
         elseif left > right then
            beg[stack], fin[stack] = L, j - 1
            stack = stack + 1
            L = i
         else
            beg[stack], fin[stack] = i, R
            stack = stack + 1
            R = j - 1
         end
      end
      for i = elements - 2, 0, -1 do
         if before(arr[i + 1], arr[i]) then
            local piv, pid = arr[i], idx[i]
            local j = i + 1
            repeat
               arr[j - 1], idx[j - 1] = arr[j], idx[j]
               j = j + 1
            until not (j < elements and before(arr[j], piv))
            arr[j - 1], idx[j - 1] = piv, pid
         end
      end
   end
   return function(n, dst, a, b)
      local vals, idxs = ffi.cast(pt, dst), ffi.cast('int64_t *', a)
      local len = tonumber(ffi.cast('int64_t *', b)[0])
      for k = 0, n - 1 do
         local arr, idx = vals + k * len, idxs + k * len
         for i = 0, len - 1 do idx[i] = i end
         lane(arr, idx, len)
      end
   end, lane
end
local function ascending(x, y) return x < y end
local function descending(x, y) return x > y end
local sortAscD, sortDescD, sortAscF, sortDescF
loops.thsort_d_asc, sortAscD = makeSort(ffi.typeof('double *'), ascending)
loops.thsort_d_desc, sortDescD = makeSort(ffi.typeof('double *'), descending)
loops.thsort_f_asc, sortAscF = makeSort(ffi.typeof('float *'), ascending)
loops.thsort_f_desc, sortDescF = makeSort(ffi.typeof('float *'), descending)
-- TH's quickselect with indices (THTensor_(quickselect)), step for step, then what kthvalue
-- and topk do with each lane: n lanes of meta[0] values, contiguous, idx (int64) receives the
-- 0-based positions. meta = {len, k, how, sorted}: how 0 puts the k-th smallest (1-based) at
-- k - 1 (kthvalue, median); 1 the k smallest first (topk, their first k - 1 sorted ascending
-- when sorted: TH sorts k - 1 of them); 2 the k largest last (sorted descending when sorted).
local function makeSelect(pt, sortAsc, sortDesc)
   local function swap(arr, idx, a, b)
      arr[a], arr[b] = arr[b], arr[a]
      idx[a], idx[b] = idx[b], idx[a]
   end
   local function select(arr, idx, k, elements)
      local L, R = 0, elements - 1
      while true do
         if R <= L then return end
         if R == L + 1 then
            if arr[L] > arr[R] then swap(arr, idx, L, R) end
            return
         end
         swap(arr, idx, math.floor((L + R) / 2), L + 1)
         if arr[L + 1] > arr[R] then swap(arr, idx, L + 1, R) end
         if arr[L] > arr[R] then swap(arr, idx, L, R) end
         if arr[L + 1] > arr[L] then swap(arr, idx, L + 1, L) end
         local i, j, piv = L + 1, R, arr[L]
         while true do
            repeat i = i + 1 until not (arr[i] < piv)
            repeat j = j - 1 until not (arr[j] > piv)
            if j < i then break end
            swap(arr, idx, i, j)
         end
         swap(arr, idx, L, j)
         if j <= k then L = i end
         if j >= k then R = j - 1 end
      end
   end
   return function(n, dst, a, b)
      local vals, idxs = ffi.cast(pt, dst), ffi.cast('int64_t *', a)
      local meta = ffi.cast('int64_t *', b)
      local len, k, how, sorted = tonumber(meta[0]), tonumber(meta[1]), meta[2], meta[3] ~= 0
      for lane = 0, n - 1 do
         local arr, idx = vals + lane * len, idxs + lane * len
         for i = 0, len - 1 do idx[i] = i end
         if how == 0 then
            select(arr, idx, k - 1, len)
         elseif how == 1 then
            select(arr, idx, k - 1, len)
            if sorted then sortAsc(arr, idx, k - 1) end
         else
            local K = len - k
            if K > 0 then select(arr, idx, K - 1, len) end
            if sorted then sortDesc(arr + K, idx + K, k) end
         end
      end
   end
end
loops.thselect_d = makeSelect(ffi.typeof('double *'), sortAscD, sortDescD)
loops.thselect_f = makeSelect(ffi.typeof('float *'), sortAscF, sortDescF)
-- Walker's alias draws (THTensor_(multinomialAliasDraw)) from 2n raw words w (uint32), two a
-- sample: bucket r = (long) (w0 / 2^32 * K), kept (as r + 1) when w1 / 2^32 <= q[r], else
-- J[r] - 1 (J as Lua sees it); meta = {K, J[0..K-1]} (doubles), q double. Branch-free (the
-- Bernoulli's outcome as a number: q - u has the sign of the exact difference, and both lie
-- in [0, 1]): a branch taken at random sent every other sample through a side trace.
loops.aliasdraw = function(n, dst, a, b, c)
   local out, w = ffi.cast('int64_t *', dst), ffi.cast('uint32_t *', a)
   local meta, q = ffi.cast('double *', b), ffi.cast('double *', c)
   local k, floor, min = meta[0], math.floor, math.min
   local scale = 2 ^ -32
   for i = 0, n - 1 do
      local r = floor(w[2 * i] * scale * k)
      local keep = min(floor(q[r] - w[2 * i + 1] * scale) + 1, 1)
      out[i] = (r + 1) * keep + (meta[1 + r] - 1) * (1 - keep)
   end
end
return function(name, n, dst, a, b, c, d, e, f) return loops[name](n, dst, a, b, c, d, e, f) end
"""
