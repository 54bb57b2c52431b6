"""BLAS called as Torch7 calls it: the same library, routine, operands, layouts, alpha and beta.

A BLAS result depends on more than the maths: ``gemv`` 'n' accumulates columns with fused
multiply-adds while 't' takes dot products; ``gemm`` with beta = 1 adds each block of the inner
dimension into C as it goes, which ``C + A @ B`` does not; ``ger`` and ``axpy`` fuse
``alpha * x * y + a``; numpy's ``@`` picks gemv or dot where TH calls gemm. And the library
version and its thread count matter: OpenBLAS 0.3.21 (Torch7's, here) and 0.3.30 (scipy's) give
different float32 ``gemm`` bits; with two threads instead of one, ``sgemm`` and ``gemv`` results
change too. So the functions here follow TH's THTensor_(addmm), (addmv), (addr), (cadd) and
(dot) and THBlas: which matrix is the BLAS operand, its layout ('n'/'t') and leading dimension,
alpha and beta, called on:

1. the system's OpenBLAS (``libopenblas.so.0``), the library a Torch7 built on this machine
   links, through ctypes, with the thread count OpenBLAS gives itself in a process (its own
   default: OPENBLAS_NUM_THREADS, or one per core), as in Torch7's process;
2. else scipy's BLAS (same routines, another OpenBLAS build: double precision results agree
   with Torch7's in every shape measured, float32 ``gemm`` may not);
3. else numpy's operators (close, not identical).

``LUATORCH_BLAS`` picks one: ``system``, ``scipy``, ``numpy`` or the path of a BLAS library.
All functions take numpy views (any strides) and write into their first argument.
"""

from __future__ import annotations

import ctypes
import mmap
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

_F64 = np.dtype(np.float64)
_F32 = np.dtype(np.float32)


# ----------------------------------------------------------------------------- backends
class _System:
    """The Fortran BLAS interface of a shared library (OpenBLAS), called with raw pointers."""

    name = "system"

    def __init__(self, lib: Any) -> None:
        self.lib = lib
        self.path = lib._name  # what LuaJIT's ffi.load opens: the same loaded library
        self.threads = 0
        get = getattr(lib, "openblas_get_num_threads", None)
        if get is not None:
            self.threads = get()  # the library's own default in this process, as Torch7's
        for t in "ds":
            getattr(lib, t + "gemm_").restype = None
            getattr(lib, t + "gemv_").restype = None
            getattr(lib, t + "ger_").restype = None
            getattr(lib, t + "axpy_").restype = None
        lib.ddot_.restype = ctypes.c_double
        lib.sdot_.restype = ctypes.c_float

    def restore_threads(self) -> None:
        """Give the library its default thread count back (threadpoolctl pins every BLAS in
        the process to one thread at start: see threadpool.py)."""
        setn = getattr(self.lib, "openblas_set_num_threads", None)
        if setn is not None and self.threads:
            setn(self.threads)

    def gemm(self, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) -> None:
        f = self.lib.dgemm_ if c.dtype == _F64 else self.lib.sgemm_
        i = _ints(m, n, k, lda, ldb, ldc)
        r = _reals(c, alpha, beta)
        with _LOCK:
            f(_CH[ta], _CH[tb], i[0], i[1], i[2], r[0], _ptr(a), i[3], _ptr(b), i[4], r[1],
              _ptr(c), i[5])  # fmt: skip

    def gemm_frames(self, ta, tb, m, n, k, alpha, lda, ldb, beta, ldc, dtype) -> Callable:
        """gemm on frames [lo, hi) of stacks of matrices, as a function of (lo, hi, a, b, c)
        where a, b, c are (address of the first frame, byte stride between frames); the
        call's other arguments are built once."""
        f = self.lib.dgemm_ if dtype == _F64 else self.lib.sgemm_
        # byref keeps its object alive: the arguments live as long as run
        i = [ctypes.byref(ctypes.c_int(v)) for v in (m, n, k, lda, ldb, ldc)]
        real = ctypes.c_double if dtype == _F64 else ctypes.c_float
        r = [ctypes.byref(real(alpha)), ctypes.byref(real(beta))]
        p = ctypes.c_void_p
        ca, cb = _CH[ta], _CH[tb]

        def run(lo: int, hi: int, a: tuple, b: tuple, c: tuple, lock: bool = True) -> None:
            (pa, sa), (pb, sb), (pc, sc) = a, b, c
            with _LOCK if lock else _NO_LOCK:
                for j in range(lo, hi):
                    f(ca, cb, i[0], i[1], i[2], r[0], p(pa + j * sa), i[3],
                      p(pb + j * sb), i[4], r[1], p(pc + j * sc), i[5])  # fmt: skip

        return run

    def thread_invariant(self, ta, tb, m, n, k, alpha, lda, ldb, beta, ldc, dtype) -> bool:
        """Whether this gemm call gives the same bits on one thread as on the library's own
        count (what Torch7's process gets). OpenBLAS's threaded driver cuts the rows of C
        and the inner dimension differently from its serial one, so some shapes differ in
        the last bits (LeNet's 64 x 800 x 100 double product does, its 32 x 75 x 784 one does
        not). The answer depends on the call's arguments only, never on the data: one call
        each way on random operands of the same layout decides it, once per call shape."""
        key = (ta, tb, m, n, k, alpha, lda, ldb, beta, ldc, dtype.char)
        found = _INVARIANT.get(key)
        if found is not None:
            return found
        setn = getattr(self.lib, "openblas_set_num_threads", None)
        found = False
        if setn is not None and self.threads > 1:
            # words of luatorch's own Mersenne Twister: numpy.random (and the OpenSSL its
            # seeding loads) would add 6 MB to every process that trains a convolution
            from .random import _MT19937, _init_genrand

            rng = _MT19937()
            rng.set(_init_genrand(0), 624)
            # column-major operands: lda x (columns of op(A) as stored), as BLAS reads them
            a = _probe_operand(rng, (lda, k if ta == "n" else m), dtype)
            b = _probe_operand(rng, (ldb, n if tb == "n" else k), dtype)
            c1 = _probe_operand(rng, (ldc, n), dtype)
            c2 = _probe_operand(None, (ldc, n), dtype)
            np.copyto(c2, c1)
            with _LOCK:
                self.gemm_unlocked(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c1, ldc)
                setn(1)
                try:
                    self.gemm_unlocked(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c2, ldc)
                finally:
                    setn(self.threads)
            bits = np.dtype(f"u{c1.itemsize}")  # compared as bits, without tobytes' copies
            found = bool(np.array_equal(c1.view(bits), c2.view(bits)))
        if len(_INVARIANT) > 256:
            _INVARIANT.clear()
        _INVARIANT[key] = found
        return found

    def gemm_unlocked(self, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) -> None:
        f = self.lib.dgemm_ if c.dtype == _F64 else self.lib.sgemm_
        i = _ints(m, n, k, lda, ldb, ldc)
        r = _reals(c, alpha, beta)
        f(_CH[ta], _CH[tb], i[0], i[1], i[2], r[0], _ptr(a), i[3], _ptr(b), i[4], r[1],
          _ptr(c), i[5])  # fmt: skip

    def one_thread(self) -> Any:
        """A context: the BLAS mutex held and the library on one thread meanwhile, so calls
        made without the mutex (``lock=False``) from several kernel threads run side by side,
        each on its own thread (OpenBLAS's serial path shares no state between calls)."""
        return _OneThread(self)

    def gemv(self, trans, m, n, alpha, a, lda, x, incx, beta, y, incy) -> None:
        f = self.lib.dgemv_ if y.dtype == _F64 else self.lib.sgemv_
        i = _ints(m, n, lda, incx, incy)
        r = _reals(y, alpha, beta)
        with _LOCK:
            f(_CH[trans], i[0], i[1], r[0], _ptr(a), i[2], _ptr(x), i[3], r[1], _ptr(y), i[4])

    def ger(self, m, n, alpha, x, incx, y, incy, a, lda) -> None:
        f = self.lib.dger_ if a.dtype == _F64 else self.lib.sger_
        i = _ints(m, n, incx, incy, lda)
        r = _reals(a, alpha, 0)
        with _LOCK:
            f(i[0], i[1], r[0], _ptr(x), i[2], _ptr(y), i[3], _ptr(a), i[4])

    def axpy(self, n, alpha, x, incx, y, incy) -> None:
        f = self.lib.daxpy_ if y.dtype == _F64 else self.lib.saxpy_
        i = _ints(n, incx, incy)
        with _LOCK:
            f(i[0], _reals(y, alpha, 0)[0], _ptr(x), i[1], _ptr(y), i[2])

    def dot(self, n, x, incx, y, incy) -> float:
        f = self.lib.ddot_ if x.dtype == _F64 else self.lib.sdot_
        i = _ints(n, incx, incy)
        with _LOCK:
            return f(i[0], _ptr(x), i[1], _ptr(y), i[2])


class _OneThread:
    def __init__(self, backend: _System) -> None:
        self.backend = backend

    def __enter__(self) -> None:
        _LOCK.__enter__()
        self.backend.lib.openblas_set_num_threads(1)

    def __exit__(self, *exc: Any) -> None:
        try:
            self.backend.lib.openblas_set_num_threads(self.backend.threads)
        finally:
            _LOCK.__exit__()


_INVARIANT: dict[tuple, bool] = {}


def _probe_operand(rng: Any, shape: tuple[int, int], dtype: np.dtype) -> np.ndarray:
    """A column-major matrix for thread_invariant's probe, random (rng: an _MT19937) or not
    filled, in memory of its own that goes back to the system when the probe drops it. The
    probe runs at a layer's first backward call, when a training step's buffers are nearly
    all allocated: from the heap, its operands (3.5 MB for LeNet's second layer, with the
    copies that standard_normal, astype and asfortranarray made) stayed resident as holes
    until the next trim, on top of the process's peak."""
    dtype = np.dtype(dtype)
    count = shape[0] * shape[1]
    flat = np.frombuffer(mmap.mmap(-1, max(1, count) * dtype.itemsize), dtype=dtype)[:count]
    if rng is not None:
        for lo in range(0, count, 4096):  # small draws: no large temporaries either
            part = flat[lo : lo + 4096]
            np.multiply(rng.words(part.shape[0]), 2.0**-32, out=part)  # exact: [0, 1)
        flat -= 0.5
    return flat.reshape(shape, order="F")


# Arguments of the Fortran interface go by reference. Building a ctypes object per argument
# cost more than a small BLAS call itself, so each thread reuses its own set.
_CH = {c: ctypes.byref(ctypes.c_char(c.encode())) for c in "nt"}


# One call at a time into the system OpenBLAS: its threaded build shares one pool of worker
# threads and buffers, and two runtimes calling it from two threads at once got wrong sums.
# LuaJIT calls the same library through its FFI (lua/torch/blas.lua), so the lock is a pthread
# mutex both sides can take: Python waits for it (ctypes lets go of the GIL meanwhile), Lua
# only tries it and leaves the call to Python when another thread is inside BLAS.
#
# The mutex checks its owner (PTHREAD_MUTEX_ERRORCHECK): an interrupt raised by a debug hook in
# the few Lua instructions between taking it and the protected call can leave it held by the
# runtime's own thread. That thread's next call then finds it taken, goes to Python, whose
# lock() answers EDEADLK ("yours already") instead of waiting forever; the call proceeds and
# its unlock frees the mutex again.
class _Mutex:
    """A process-wide pthread mutex in memory this module owns, usable as a context manager."""

    SIZE = 128  # bytes: more than any libc's pthread_mutex_t
    ERRORCHECK = 2  # PTHREAD_MUTEX_ERRORCHECK on Linux (glibc and musl)

    def __init__(self) -> None:
        self.address = 0
        self._fallback = threading.Lock()
        if not sys.platform.startswith("linux"):  # Python's own lock, no FFI calls
            return
        try:
            libc = ctypes.CDLL(None)
            init, lock, unlock = (
                libc.pthread_mutex_init,
                libc.pthread_mutex_lock,
                libc.pthread_mutex_unlock,
            )
            attr_init, attr_settype = libc.pthread_mutexattr_init, libc.pthread_mutexattr_settype
        except (OSError, AttributeError):
            return
        self._buffer = ctypes.create_string_buffer(self.SIZE)
        self._attr = ctypes.create_string_buffer(64)  # pthread_mutexattr_t: 4 or 8 bytes
        for f in (init, lock, unlock, attr_init, attr_settype):
            f.restype = ctypes.c_int
        init.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        attr_init.argtypes = lock.argtypes = unlock.argtypes = [ctypes.c_void_p]
        attr_settype.argtypes = [ctypes.c_void_p, ctypes.c_int]
        attr = ctypes.addressof(self._attr)
        if (
            attr_init(attr) != 0
            or attr_settype(attr, self.ERRORCHECK) != 0
            or init(ctypes.addressof(self._buffer), attr) != 0
        ):
            return
        self.address = ctypes.addressof(self._buffer)
        self._lock, self._unlock = lock, unlock
        self._arg = ctypes.c_void_p(self.address)

    def __enter__(self) -> None:
        if self.address:
            self._lock(self._arg)  # 0, or EDEADLK: this thread holds it already (see above)
        else:
            self._fallback.acquire()

    def __exit__(self, *exc: Any) -> None:
        if self.address:
            self._unlock(self._arg)
        else:
            self._fallback.release()


_LOCK = _Mutex()


class _Unlocked:
    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: Any) -> None:
        pass


_NO_LOCK = _Unlocked()


class _Slots(threading.local):
    def __init__(self) -> None:
        self.ints = [ctypes.c_int() for _ in range(6)]
        self.int_refs = [ctypes.byref(v) for v in self.ints]
        self.dbls = [ctypes.c_double(), ctypes.c_double()]
        self.dbl_refs = [ctypes.byref(v) for v in self.dbls]
        self.flts = [ctypes.c_float(), ctypes.c_float()]
        self.flt_refs = [ctypes.byref(v) for v in self.flts]


_slots = _Slots()


def _ints(*values: int) -> list:
    s = _slots
    for slot, v in zip(s.ints, values, strict=False):
        slot.value = v
    return s.int_refs


def _reals(like: np.ndarray, a: float, b: float) -> list:
    s = _slots
    if like.dtype == _F64:
        s.dbls[0].value, s.dbls[1].value = a, b
        return s.dbl_refs
    s.flts[0].value, s.flts[1].value = a, b
    return s.flt_refs


def _ptr(a: np.ndarray) -> ctypes.c_void_p:
    # an array's address through the buffer protocol costs a quarter of ``a.ctypes.data``
    # (the difference is most of a small Linear's time); that needs a writable C-contiguous
    # view, which a Fortran-ordered array's transpose is
    try:
        return ctypes.c_void_p(ctypes.addressof(ctypes.c_char.from_buffer(a)))
    except (TypeError, ValueError, BufferError):
        pass
    try:
        return ctypes.c_void_p(ctypes.addressof(ctypes.c_char.from_buffer(a.T)))
    except (TypeError, ValueError, BufferError):
        return ctypes.c_void_p(a.ctypes.data)


def _strided(base: np.ndarray, rows: int, cols: int, ld: int) -> np.ndarray:
    """The column-major rows x cols matrix at base's first element with leading dimension ld,
    as a numpy view (for libraries that take arrays rather than pointers)."""
    item = base.itemsize
    return np.lib.stride_tricks.as_strided(base, (rows, cols), (item, ld * item))


class _Scipy:
    """scipy.linalg.blas: same Fortran routines; operands are passed as arrays."""

    name = "scipy"
    threads = 0

    def __init__(self, sb: Any) -> None:
        self.sb = sb

    def restore_threads(self) -> None:
        pass

    def _f(self, name: str, dtype: np.dtype) -> Any:
        return getattr(self.sb, ("d" if dtype == _F64 else "s") + name)

    def gemm(self, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) -> None:
        fa = _strided(a, m, k, lda) if ta == "n" else _strided(a, k, m, lda)
        fb = _strided(b, k, n, ldb) if tb == "n" else _strided(b, n, k, ldb)
        fc = _strided(c, m, n, ldc)
        out = self._f("gemm", c.dtype)(alpha, fa, fb, beta, fc, ta == "t", tb == "t", 1)
        if not np.shares_memory(out, fc):
            fc[...] = out

    def gemv(self, trans, m, n, alpha, a, lda, x, incx, beta, y, incy) -> None:
        fa = _strided(a, m, n, lda)
        lx, ly = (n, m) if trans == "n" else (m, n)
        xv = np.lib.stride_tricks.as_strided(x, (lx,), (incx * x.itemsize,))
        yv = np.lib.stride_tricks.as_strided(y, (ly,), (incy * y.itemsize,))
        yc = np.ascontiguousarray(yv)
        out = self._f("gemv", y.dtype)(
            alpha, fa, np.ascontiguousarray(xv), beta, yc, 0, 1, 0, 1, trans == "t", 1
        )
        yv[...] = out

    def ger(self, m, n, alpha, x, incx, y, incy, a, lda) -> None:
        fa = _strided(a, m, n, lda)
        xv = np.lib.stride_tricks.as_strided(x, (m,), (incx * x.itemsize,))
        yv = np.lib.stride_tricks.as_strided(y, (n,), (incy * y.itemsize,))
        out = self._f("ger", a.dtype)(
            alpha, np.ascontiguousarray(xv), np.ascontiguousarray(yv), 1, 1, fa, 0, 0, 1
        )
        if not np.shares_memory(out, fa):
            fa[...] = out

    def axpy(self, n, alpha, x, incx, y, incy) -> None:
        xv = np.lib.stride_tricks.as_strided(x, (n,), (incx * x.itemsize,))
        yv = np.lib.stride_tricks.as_strided(y, (n,), (incy * y.itemsize,))
        yc = yv if yv.flags.c_contiguous else yv.copy()
        out = self._f("axpy", y.dtype)(np.ascontiguousarray(xv), yc, n, alpha)
        if not np.shares_memory(out, yv):
            yv[...] = out

    def dot(self, n, x, incx, y, incy) -> float:
        xv = np.lib.stride_tricks.as_strided(x, (n,), (incx * x.itemsize,))
        yv = np.lib.stride_tricks.as_strided(y, (n,), (incy * y.itemsize,))
        return float(self._f("dot", x.dtype)(np.ascontiguousarray(xv), np.ascontiguousarray(yv)))


def _library(name: str, soname: str) -> str | None:
    """What ctypes.util.find_library(name) finds, trying the usual soname first:
    find_library imports subprocess (0.5 MB resident) and runs ldconfig."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(soname)
            return soname
        except OSError:
            pass
    from ctypes.util import find_library

    return find_library(name)


def _load() -> Any:
    choice = os.environ.get("LUATORCH_BLAS", "").strip()
    if choice in ("", "system") or os.sep in choice:
        path = choice if os.sep in choice else _library("openblas", "libopenblas.so.0")
        if path:
            try:
                return _System(ctypes.CDLL(path))
            except (OSError, AttributeError):
                pass
    if choice in ("", "system", "scipy") or os.sep in choice:
        try:
            from scipy.linalg import blas as sb

            return _Scipy(sb)
        except ImportError:
            pass
    return None


_backend = _load()
BACKEND = _backend.name if _backend is not None else "numpy"


def ffi_binding() -> tuple[str, int] | None:
    """What LuaJIT needs to call this very BLAS itself (lua/torch/blas.lua): the name the
    library was loaded by (loading it again gives the same library, thread count included) and
    the address of the mutex around every call; None when Python calls another BLAS or has no
    such mutex (LuaJIT then leaves every BLAS call to Python)."""
    if isinstance(_backend, _System) and _LOCK.address:
        return _backend.path, _LOCK.address
    return None


def restore_threads() -> None:
    """Called after threadpoolctl pins every BLAS library to one thread (threadpool.py)."""
    if _backend is not None:
        _backend.restore_threads()


# -------------------------------------------------------------------- TH's call shapes
def _unit(a: np.ndarray, d: int) -> bool:
    """TH's test ``stride[d] == 1`` (in elements)."""
    return a.strides[d] == a.itemsize


def _st(a: np.ndarray, d: int) -> int:
    return a.strides[d] // a.itemsize


def _blas_type(a: np.ndarray) -> bool:
    return _backend is not None and (a.dtype == _F64 or a.dtype == _F32)


def _numpy_gemm(c: np.ndarray, alpha: float, a: np.ndarray, b: np.ndarray, beta: float) -> None:
    with np.errstate(all="ignore"):
        p = np.matmul(a, b)
        p = p if alpha == 1 else p * c.dtype.type(alpha)
        c[...] = p if beta == 0 else c * c.dtype.type(beta) + p


def _gemm_call(c: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple | None:
    """THBlas_(gemm)'s arguments for c = beta c + alpha a b on a BLAS type, k > 0:
    (ta, tb, m, n, k, fa, lda, fb, ldb, cf, ldc, swapped, c_copied, copies) where cf is c
    itself, its transpose or a column-major copy (``c_copied``), fa and fb views of a and b (of
    b and a when ``swapped``: c^T = b^T a^T) or contiguous copies, ``copies`` whether any of
    the three is a copy; None when BLAS would refuse the leading dimensions (TH's own loops
    then)."""
    k = a.shape[1]
    # r_: computed as is when column-major, as its transpose (c^T = b^T a^T) when row-major,
    # else into a column-major copy
    c_copied = False
    if _unit(c, 0) and c.strides[1] != 0:
        tr, cf = "n", c
    elif _unit(c, 1) and c.strides[0] != 0:
        tr, cf = "t", c.T
    else:
        tr, cf, c_copied = "n", np.asfortranarray(c), True
    first, second = (a, b) if tr == "n" else (b, a)

    def operand(x: np.ndarray) -> tuple[str, np.ndarray, int, bool]:
        xp = x if tr == "n" else x.T  # as the column-major gemm sees it
        if _unit(xp, 0) and xp.strides[1] != 0:
            return "n", xp, _st(xp, 1), False
        if _unit(xp, 1) and xp.strides[0] != 0:
            return "t", xp, _st(xp, 0), False
        xc = np.ascontiguousarray(x)  # THTensor_(newContiguous) of the matrix itself
        xp = xc if tr == "n" else xc.T
        return ("t", xp, _st(xp, 0), True) if tr == "n" else ("n", xp, _st(xp, 1), True)

    ta, fa, lda, copied_a = operand(first)
    tb, fb, ldb, copied_b = operand(second)
    mm, nn = cf.shape
    ldc = _st(cf, 1)
    # THBlas_(gemm)'s leading dimensions for degenerate sizes
    if nn == 1:
        ldc = mm
    if ta == "t":
        lda = k if mm == 1 else lda
    elif k == 1:
        lda = mm
    if tb == "t":
        ldb = nn if k == 1 else ldb
    elif nn == 1:
        ldb = k
    if min(lda, ldb, ldc) < 1:  # BLAS would refuse: TH's own loops then (same sums)
        return None
    copies = c_copied or copied_a or copied_b
    return ta, tb, mm, nn, k, fa, lda, fb, ldb, cf, ldc, tr == "t", c_copied, copies


def gemm(c: np.ndarray, alpha: float, a: np.ndarray, b: np.ndarray, beta: float) -> None:
    """c = beta c + alpha a b as THTensor_(addmm) calls THBlas_(gemm): c already holds t
    (with beta 0 its contents are ignored, as BLAS ignores them)."""
    m, n = c.shape
    k = a.shape[1]
    if m == 0 or n == 0:
        return
    call = None if not _blas_type(c) or k == 0 else _gemm_call(c, a, b)
    if call is None:
        _numpy_gemm(c, alpha, a, b, beta)
        return
    ta, tb, mm, nn, k, fa, lda, fb, ldb, cf, ldc, _, c_copied, _ = call
    _backend.gemm(ta, tb, mm, nn, k, alpha, fa, lda, fb, ldb, beta, cf, ldc)
    if c_copied:
        c[...] = cf


def gemm_frames(c: np.ndarray, alpha: float, a: np.ndarray, b: np.ndarray, beta: float) -> None:
    """gemm(c[i], alpha, a[i], b[i], beta) for i = 0, 1, ... in order, over stacks of frames
    (3-D arrays; a stack may repeat one matrix with a zero stride, e.g. the weight of every
    frame, or the gradient every frame adds into). The frames differ only by their addresses,
    so TH's call shape is decided once and BLAS called in a loop: THNN's per-frame products
    (SpatialConvolutionMM and friends) without Python's per-call decisions."""
    gemm_frames_plan(c, alpha, a, b, beta)(0, c.shape[0])


# gemm_frames' decisions by the operands' shapes, strides, type, alpha and beta: the call (a
# function of the frames and the first frames' addresses, whether a and b are swapped), or None
# for frame-by-frame gemm calls
_FRAME_CALLS: dict[tuple, tuple[Callable, bool, tuple] | None] = {}


def gemm_frames_plan(
    c: np.ndarray, alpha: float, a: np.ndarray, b: np.ndarray, beta: float
) -> Callable[..., None]:
    """gemm_frames as a function of a range of frames (lo, hi), its call decided once per
    geometry: a kernel interleaving each frame's products with its other work (unfolding,
    summing back) keeps a frame's data in cache between them."""
    frames = c.shape[0]
    if frames == 0:
        return _FramePlan(lambda lo, hi, lock=True: None)
    key = (c.shape, c.strides, a.shape, a.strides, b.shape, b.strides, c.dtype, alpha, beta)
    if key in _FRAME_CALLS:
        found = _FRAME_CALLS[key]
    else:
        found = _frame_call(c, alpha, a, b, beta)
        if len(_FRAME_CALLS) > 256:
            _FRAME_CALLS.clear()
        _FRAME_CALLS[key] = found
    if found is None or a.dtype != c.dtype or b.dtype != c.dtype:

        def each(lo: int, hi: int, lock: bool = True) -> None:
            for i in range(lo, hi):
                gemm(c[i], alpha, a[i], b[i], beta)

        return _FramePlan(each)
    run, swapped, call = found
    # the BLAS operands are views (or transposes) of the frames themselves: same addresses
    first, second = (b, a) if swapped else (a, b)
    fa = (_ptr(first[0]).value, first.strides[0])
    fb = (_ptr(second[0]).value, second.strides[0])
    fc = (_ptr(c[0]).value, c.strides[0])
    plan = _FramePlan(lambda lo, hi, lock=True: run(lo, hi, fa, fb, fc, lock))
    plan.call = call
    return plan


class _FramePlan:
    """gemm over a range of frames: ``plan(lo, hi)`` under the BLAS mutex, as every call;
    ``plan(lo, hi, False)`` inside ``one_thread()`` from a kernel thread (see frames_apart)."""

    call: tuple | None = None  # the Fortran call's shape, for thread_invariant

    def __init__(self, fn: Callable[..., None]) -> None:
        self.fn = fn

    def __call__(self, lo: int, hi: int, lock: bool = True) -> None:
        self.fn(lo, hi, lock)


def frames_apart(plan: Callable[..., None]) -> Any:
    """A context in which frames of ``plan`` may run on several kernel threads at once
    (``plan(lo, hi, False)``), each call on one BLAS thread, with Torch7's bits: the system
    OpenBLAS gives this call shape the same bits on one thread as on its own count; None
    otherwise (the frames then run in turn, BLAS threaded as in Torch7's process)."""
    call = getattr(plan, "call", None)
    if call is None or not isinstance(_backend, _System):
        return None
    if not _backend.thread_invariant(*call):
        return None
    return _backend.one_thread()


def _frame_call(
    c: np.ndarray, alpha: float, a: np.ndarray, b: np.ndarray, beta: float
) -> tuple[Callable, bool, tuple] | None:
    c0, a0, b0 = c[0], a[0], b[0]
    call = None
    if isinstance(_backend, _System) and _blas_type(c0) and min(c0.shape) > 0 and a0.shape[1]:
        call = _gemm_call(c0, a0, b0)
    if call is None or call[-1]:  # a numpy product or copies: frame by frame
        return None
    ta, tb, mm, nn, k, _, lda, _, ldb, _, ldc, swapped, _, _ = call
    run = _backend.gemm_frames(ta, tb, mm, nn, k, alpha, lda, ldb, beta, ldc, c.dtype)
    return run, swapped, (ta, tb, mm, nn, k, alpha, lda, ldb, beta, ldc, c.dtype)


def gemv(y: np.ndarray, alpha: float, a: np.ndarray, x: np.ndarray, beta: float) -> None:
    """y = beta y + alpha a x as THTensor_(addmv): 'n' on a column-major matrix, 't' on a
    row-major one (seen as its column-major transpose), 't' on a contiguous copy of any
    other."""
    m, n = a.shape
    if m == 0:
        return
    if not _blas_type(y) or n == 0:
        _numpy_gemv(y, alpha, a, x, beta)
        return
    if _unit(a, 0):
        trans, fa, rows, cols, lda = "n", a, m, n, _st(a, 1)
    elif _unit(a, 1):
        trans, fa, rows, cols, lda = "t", a, n, m, _st(a, 0)
    else:
        fa = np.ascontiguousarray(a)
        trans, rows, cols, lda = "t", n, m, _st(fa, 0)
    if cols == 1:
        lda = rows
    incx, incy = _st(x, 0), _st(y, 0)
    if lda < 1 or incx < 1 or incy < 1:  # TH's own loops
        _numpy_gemv(y, alpha, a, x, beta)
        return
    _backend.gemv(trans, rows, cols, alpha, fa, lda, x, incx, beta, y, incy)


def _numpy_gemv(y: np.ndarray, alpha: float, a: np.ndarray, x: np.ndarray, beta: float) -> None:
    with np.errstate(all="ignore"):
        p = np.matmul(a, x) if a.shape[1] else np.zeros(a.shape[0], y.dtype)
        p = p if alpha == 1 else p * y.dtype.type(alpha)
        y[...] = p if beta == 0 else y * y.dtype.type(beta) + p


def ger(r: np.ndarray, alpha: float, x: np.ndarray, y: np.ndarray) -> None:
    """r += alpha x y^T as THTensor_(addr) calls ger: on a column-major r with (x, y), on a
    row-major r's transpose with (y, x), on a copy of any other."""
    m, n = r.shape
    if m == 0 or n == 0:
        return
    if not _blas_type(r):
        with np.errstate(all="ignore"):
            r += r.dtype.type(alpha) * np.outer(x, y).astype(r.dtype, copy=False)
        return
    if _unit(r, 0):
        a, u, v, lda = r, x, y, _st(r, 1)
    elif _unit(r, 1):
        a, u, v, lda = r.T, y, x, _st(r, 0)
    else:
        # a fresh row-major copy: ascontiguousarray returns a 1 x 1 view itself, strides and all
        tmp = r.copy()
        ger(tmp, alpha, x, y)
        r[...] = tmp
        return
    rows, cols = a.shape
    if cols == 1:
        lda = rows
    incu, incv = _st(u, 0), _st(v, 0)
    if incu < 1 or incv < 1 or lda < 1:
        u, v = np.ascontiguousarray(u), np.ascontiguousarray(v)
        incu = incv = 1
    _backend.ger(rows, cols, alpha, u, incu, v, incv, a, lda)


def axpy(y: np.ndarray, alpha: float, x: np.ndarray) -> None:
    """y += alpha x with BLAS axpy over n contiguous elements (THTensor_(cadd) in place)."""
    n = y.size
    if n == 0:
        return
    if not _blas_type(y):
        with np.errstate(all="ignore"):
            y += y.dtype.type(alpha) * x.reshape(y.shape)
        return
    _backend.axpy(n, alpha, np.ascontiguousarray(x), 1, y, 1)


def dot(a: np.ndarray, b: np.ndarray) -> float:
    """THTensor_(dot): one BLAS dot per run of elements that both tensors hold with one
    stride (all of them for contiguous or 1-D tensors), summed in double."""
    if not _blas_type(a):
        return float(np.dot(a.reshape(-1), b.reshape(-1)))
    if a.ndim == 1 and b.ndim == 1 and _st(a, 0) > 0 and _st(b, 0) > 0:
        return float(_backend.dot(a.size, a, _st(a, 0), b, _st(b, 0)))
    if a.flags.c_contiguous and b.flags.c_contiguous:
        return float(_backend.dot(a.size, a, 1, b, 1))
    ar = np.ascontiguousarray(a).reshape(-1, a.shape[-1]) if a.ndim else a.reshape(1, 1)
    br = np.ascontiguousarray(b).reshape(ar.shape)
    total = 0.0
    for i in range(ar.shape[0]):
        total += float(_backend.dot(ar.shape[1], ar[i], 1, br[i], 1))
    return total


def getri(a: np.ndarray) -> tuple[np.ndarray, int] | None:
    """THTensor_(getri): the inverse of square ``a`` by the system library's LAPACK, as Torch7
    calls it (getrf on a column-major copy, then getri with the workspace size getri asks for),
    and getrf's or getri's info (0: fine; i > 0: U(i,i) is 0). None when Python has no system
    library with LAPACK (the caller computes the inverse otherwise)."""
    lib = getattr(_backend, "lib", None) if isinstance(_backend, _System) else None
    t = "d" if a.dtype == _F64 else "s" if a.dtype == np.float32 else None
    if lib is None or t is None or not hasattr(lib, t + "getri_"):
        return None
    work_type = ctypes.c_double if t == "d" else ctypes.c_float
    f = np.array(a, dtype=a.dtype, order="F", copy=True)
    n = f.shape[0]
    ipiv = np.zeros(max(n, 1), dtype=np.int32)
    cn, info, lwork = ctypes.c_int(n), ctypes.c_int(0), ctypes.c_int(-1)
    wkopt = work_type(0)
    getrf, getri = getattr(lib, t + "getrf_"), getattr(lib, t + "getri_")
    with _LOCK:
        getrf(ctypes.byref(cn), ctypes.byref(cn), _ptr(f), ctypes.byref(cn), _ptr(ipiv),
              ctypes.byref(info))  # fmt: skip
        if info.value != 0:
            return f, info.value
        getri(ctypes.byref(cn), _ptr(f), ctypes.byref(cn), _ptr(ipiv), ctypes.byref(wkopt),
              ctypes.byref(lwork), ctypes.byref(info))  # fmt: skip
        lwork.value = int(wkopt.value)
        work = np.empty(max(lwork.value, 1), dtype=a.dtype)
        getri(ctypes.byref(cn), _ptr(f), ctypes.byref(cn), _ptr(ipiv), _ptr(work),
              ctypes.byref(lwork), ctypes.byref(info))  # fmt: skip
    return f, info.value


def lapack(name: str, dtype: Any) -> Callable[..., Any] | None:
    """The system library's LAPACK routine ``name`` (``"potri"``: dpotri_ or spotri_ by dtype),
    the one Torch7's TH calls, or None when Python has no system library with it."""
    lib = getattr(_backend, "lib", None) if isinstance(_backend, _System) else None
    t = "d" if dtype == _F64 else "s" if dtype == np.float32 else None
    if lib is None or t is None:
        return None
    return getattr(lib, t + name + "_", None)


def lapack_call(fn: Callable[..., Any], *args: Any) -> None:
    """Calls a LAPACK routine from ``lapack``: numpy arrays go as pointers, ctypes objects and
    one-letter strings by reference (each string's hidden length last, as gfortran passes it)."""
    conv = []
    chars = 0
    for a in args:
        if isinstance(a, np.ndarray):
            conv.append(a.ctypes.data_as(ctypes.c_void_p))
        elif isinstance(a, str):
            conv.append(ctypes.byref(ctypes.c_char(a.encode())))
            chars += 1
        else:
            conv.append(ctypes.byref(a))
    conv.extend([ctypes.c_size_t(1)] * chars)
    with _LOCK:
        fn(*conv)
