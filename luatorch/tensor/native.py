"""Machine code luatorch runs without a compiler: scripts/native/*.c, built by
scripts/build_native.py into _native_blob.py (position-independent code, no relocations),
mapped executable here on Linux x86-64 CPUs with AVX2 and FMA.

Three things live there: vexp and vtanh (vexp.py, vtanh.py: exp and tanh with the C
library's bits, four lanes at a time) and a two-thread pool for large element-wise work and
the two parts of mid-size gemm calls (pool.c; the gemm jobs come from torch/blas.lua): the
caller and a worker thread that never takes the GIL take the job's chunks in turn. The
worker spins about SPIN_CYCLES time-stamp cycles (some 100 us) after each part, then
sleeps on a futex: back-to-back calls find it awake, an idle process spends nothing. One split
runs at a time; a caller finding the pool busy (another thread's split) runs its work alone,
and chunks the worker has not taken when the caller is free are the caller's.

LUATORCH_NATIVE=0 turns all of it off (numpy, numexpr and the C library's loops then).
"""

from __future__ import annotations

import ctypes
import os
import platform
import sys
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

SPIN_CYCLES = 1 << 18
# after a gemm part (torch/blas.lua): about 0.8 ms, the gaps between an LSTM's products
GEMM_SPIN_CYCLES = 1 << 21
# parts below this many elements are not worth the worker's hand-off
SPLIT_MIN = 1 << 16
# a split's chunks, taken in turn by the two threads: when another process takes a core from
# one of them, the other waits for one chunk at most (with two halves: for the whole half)
CHUNKS = 8

# pool.c's job kinds (gemm: posted by torch/blas.lua only)
KINDS = {
    "mul_d": 0, "add_d": 1, "mul_f": 2, "add_f": 3, "exp_d": 4, "tanh_d": 5, "sigmoid_d": 6,
    "gemm": 7,
}  # fmt: skip


class Job(ctypes.Structure):
    _fields_ = [
        ("kind", ctypes.c_long), ("lo", ctypes.c_long), ("hi", ctypes.c_long),
        ("dst", ctypes.c_void_p), ("a", ctypes.c_void_p), ("b", ctypes.c_void_p),
        ("consts", ctypes.c_void_p), ("cexp", ctypes.c_void_p),
    ]  # fmt: skip


class Pool(ctypes.Structure):
    _fields_ = [
        ("seq", ctypes.c_int), ("claimed", ctypes.c_int), ("done", ctypes.c_int),
        ("sleeping", ctypes.c_int), ("stop", ctypes.c_int), ("busy", ctypes.c_int),
        ("waiting", ctypes.c_int), ("pad", ctypes.c_int), ("spin", ctypes.c_long),
        ("next", ctypes.c_long), ("n", ctypes.c_long), ("chunk", ctypes.c_long), ("job", Job),
        ("gemm_spin", ctypes.c_long), ("side", ctypes.c_uint64 * 2), ("turn", ctypes.c_long),
        ("odd", ctypes.c_long), ("met", ctypes.c_long),
    ]  # fmt: skip


# the C declarations Lua uses to call pool_run itself (torch/apply.lua)
LUA_CDEF = """
typedef struct { long kind, lo, hi; void *dst; const void *a, *b; const void *consts;
                 void *cexp; } LTNativeJob;
typedef void (*LTNativeRun)(void *pool, const LTNativeJob *job, long n, long chunk, long worker);
"""


def _cpu_has(*flags: str) -> bool:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    have = set(line.split(":", 1)[1].split())
                    return all(flag in have for flag in flags)
    except OSError:
        pass
    return False


class _Code:
    def __init__(self) -> None:
        import mmap

        from ._native_blob import CODE, ENTRY

        self.map = mmap.mmap(-1, len(CODE), prot=mmap.PROT_READ | mmap.PROT_WRITE)
        self.map.write(CODE)
        base = ctypes.addressof(ctypes.c_char.from_buffer(self.map))
        # written, then made executable: never both (W^X kernels refuse that)
        libc = ctypes.CDLL(None, use_errno=True)
        libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        if libc.mprotect(base, len(CODE), mmap.PROT_READ | mmap.PROT_EXEC) != 0:
            raise OSError(ctypes.get_errno(), "mprotect")
        self.at = {name: base + off for name, off in ENTRY.items()}
        vp, lg = ctypes.c_void_p, ctypes.c_long
        # ctypes releases the GIL around each call
        self.vexp = ctypes.CFUNCTYPE(None, lg, vp, vp, vp, vp)(self.at["vexp"])
        self.pool_run = ctypes.CFUNCTYPE(None, vp, vp, lg, lg, lg)(self.at["pool_run"])
        self.pool_worker = ctypes.CFUNCTYPE(None, vp)(self.at["pool_worker"])
        self.pool_stop = ctypes.CFUNCTYPE(None, vp)(self.at["pool_stop"])
        # the pool's memory is this ctypes structure: it must be as large as pool.c's
        size = ctypes.CFUNCTYPE(lg)(self.at["pool_size"])()
        if ctypes.sizeof(Pool) < size:
            raise ValueError(f"native.Pool has {ctypes.sizeof(Pool)} bytes, pool.c's {size}")
        self.pool = Pool()
        self.pool.spin, self.pool.gemm_spin = SPIN_CYCLES, GEMM_SPIN_CYCLES
        self.pool_at = ctypes.addressof(self.pool)
        self.started = False
        self.start_lock = threading.Lock()

    def start_worker(self) -> None:
        with self.start_lock:
            if not self.started:
                self.started = True
                threading.Thread(
                    target=self.pool_worker, args=(self.pool_at,), name="luatorch-native",
                    daemon=True,
                ).start()  # fmt: skip


_lock = threading.Lock()
_code: Any = None  # None: not tried; False: unavailable


def _reset() -> None:
    # after fork: the child has the pool's memory but not its thread. The pool is cleared where
    # it is (a runtime's Lua keeps its address: torch/apply.lua, torch/blas.lua); its caller
    # then finds no worker and runs every part itself until Python starts a new one
    global _code
    if _code:
        ctypes.memset(ctypes.addressof(_code.pool), 0, ctypes.sizeof(Pool))
        _code.pool.spin, _code.pool.gemm_spin = SPIN_CYCLES, GEMM_SPIN_CYCLES
        _code.started = False
        _code.start_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset)


def code() -> _Code | None:
    """The mapped code, or None where it cannot run."""
    global _code
    if _code is None:
        with _lock:
            if _code is None:
                made: Any = False  # assigned once: other threads read _code without the lock
                if (
                    os.environ.get("LUATORCH_NATIVE", "1") != "0"
                    and sys.platform.startswith("linux")
                    and platform.machine() in ("x86_64", "AMD64")
                    and _cpu_has("avx2", "fma")
                ):
                    try:
                        made = _Code()
                    except (OSError, ValueError, AttributeError, ImportError):
                        made = False
                _code = made
    return _code or None


def spread(lo: float, hi: float, n: int) -> np.ndarray:
    """n points spread evenly over [lo, hi) (low-discrepancy), for the kernels' first-use
    checks: numpy.random would cost 2.4 MB to import."""
    return lo + (hi - lo) * ((np.arange(1, n + 1) * 0.6180339887498949) % 1.0)


def same_as_c(run: Callable[[int, int, int], Any], c_function: int, x: np.ndarray) -> bool:
    """Whether ``run(n, dst, src)`` (a vector kernel) gives, on the float64 array x, the bits
    of the C function of one double at address ``c_function``, element by element."""
    got = np.empty_like(x)
    run(x.size, got.ctypes.data, x.ctypes.data)
    c = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double)(c_function)
    want = np.array([c(v) for v in x.tolist()])
    return bool(np.array_equal(got.view(np.uint64), want.view(np.uint64)))


def load_checked(env_var: str, entry: str, make: Callable[[_Code], Any]) -> Any:
    """A vector kernel of the blob for a module's first use (vexp.py, vtanh.py): ``make(code)``'s
    kernel when its ``agrees()`` (the same bits as this process's C library on a check set),
    else False; False too where the code cannot run, the blob lacks ``entry`` or ``env_var`` is
    "0"."""
    mapped = code() if os.environ.get(env_var, "1") != "0" else None
    if mapped is None or entry not in mapped.at:
        return False
    try:
        kernel = make(mapped)
        return kernel if kernel.agrees() else False
    except (OSError, ValueError, AttributeError):
        return False


def workers(n: int) -> int:
    """1 when a split of n elements should use the worker (started now if need be), else 0."""
    from .threadpool import get_num_threads

    c = code()
    if c is None or n < 2 * SPLIT_MIN or get_num_threads() < 2:
        return 0
    if not c.started:
        c.start_worker()
    return 1


def chunk(n: int) -> int:
    """The chunks a split of n elements is taken in: about n / CHUNKS, a multiple of 16
    elements (every chunk starts on the same cache-line offset)."""
    return (-(-n // CHUNKS) + 15) & ~15


def run(job: Job, n: int) -> bool:
    """job over [0, n) on the pool (split when large); False when the code is unavailable."""
    c = code()
    if c is None:
        return False
    c.pool_run(c.pool_at, ctypes.addressof(job), n, chunk(n), workers(n))
    return True


def binary(name: str, dst: np.ndarray, a: np.ndarray, b: np.ndarray) -> bool:
    """dst = a (op) b for name in mul, add over C-contiguous float64 or float32 arrays of one
    size, dst being a or b or apart from both; False (nothing done) when not applicable."""
    if a.dtype != dst.dtype or b.dtype != dst.dtype or a.size != dst.size or b.size != dst.size:
        return False
    kind = KINDS.get(name + ("_d" if dst.dtype == np.float64 else "_f"))
    if kind is None or dst.dtype not in (np.float64, np.float32):
        return False
    if not (dst.flags.c_contiguous and a.flags.c_contiguous and b.flags.c_contiguous):
        return False
    d = dst.ctypes.data
    nbytes = dst.nbytes
    for x in (a, b):
        p = x.ctypes.data
        if p != d and abs(p - d) < nbytes:
            return False  # a partial overlap: numpy's order
    job = Job(kind, 0, 0, d, a.ctypes.data, b.ctypes.data, None, None)
    return run(job, dst.size)
