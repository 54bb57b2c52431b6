"""Threads behind torch.setnumthreads / torch.getnumthreads, and the kernel-level parallelism that
uses them.

The BLAS library itself always runs on one thread. OpenBLAS's threaded GEMM synchronises its
threads once per packed panel: when anything else holds one of this machine's two cores, every
barrier waits for a descheduled thread, and a conv-gradient GEMM with a long inner dimension
went from 5 ms to 1.6 s (its default threading once made a small MLP step 30x slower). Instead,
large kernels split their work themselves (batch rows, output columns) over a small pool of
Python threads with ``parallel``: numpy releases the GIL inside BLAS calls, copies and ufunc
loops, and each split synchronises exactly once, so a busy core costs at most its share.

``torch.setnumthreads(n)`` sets how many threads those kernels use (the caller plus n - 1 pool
threads); the default is the number of cores this process may run on, as Torch7's OpenMP
default, or LUATORCH_NUM_THREADS.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

_limiter = None
_current = 1
_initialized = False
_pool: ThreadPoolExecutor | None = None
_pool_size = 0

# Splitting pays when a part's work clearly exceeds the hand-off (about 20-50 us of waking a
# thread): callers pass an estimate in "element operations" (a multiply-add, or a double read
# or written); below this a kernel runs on the calling thread alone.
MIN_WORK = 1 << 18


def _controller():
    global _limiter
    if _limiter is None:
        from threadpoolctl import ThreadpoolController

        _limiter = ThreadpoolController()
    return _limiter


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def set_num_threads(n: int) -> None:
    """Use n threads in luatorch's parallel kernels (BLAS itself stays on one thread)."""
    global _current
    _current = max(1, int(n))


def get_num_threads() -> int:
    return _current


def init_default() -> None:
    """Pin BLAS (and OpenMP) pools to one thread; luatorch's kernels use LUATORCH_NUM_THREADS
    threads, or one per available core. Only the first call has an effect."""
    global _initialized
    if _initialized:
        return
    _initialized = True
    _controller().limit(limits=1)
    env = os.environ.get("LUATORCH_NUM_THREADS", "").strip()
    set_num_threads(int(env) if env else _cores())


def parts(work: float) -> int:
    """How many threads a kernel with this much work (element operations) should use."""
    n = _current
    if n <= 1 or work < MIN_WORK * 2:
        return 1
    return int(min(n, work // MIN_WORK))


def _executor(n: int) -> ThreadPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size < n:
        if _pool is not None:
            _pool.shutdown(wait=False)
        _pool = ThreadPoolExecutor(max_workers=n, thread_name_prefix="luatorch")
        _pool_size = n
    return _pool


def ranges(total: int, k: int, align: int = 1) -> list[tuple[int, int]]:
    """[0, total) cut into at most k contiguous non-empty ranges, boundaries multiples of
    align (except the end)."""
    k = max(1, min(k, -(-total // align) if total else 1))
    cuts = [min(total, (total * i // k) // align * align) for i in range(k + 1)]
    cuts[-1] = total
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def parallel(fn: Callable[[int, int], Any], total: int, work: float,
             align: int = 1) -> list[Any]:
    """fn(lo, hi) for contiguous ranges covering [0, total), on up to ``parts(work)`` threads
    (the caller runs the first range); results in range order. fn must only run numpy code on
    disjoint outputs: it runs outside Lua, on pool threads."""
    k = parts(work)
    if k <= 1 or total <= 1:
        return [fn(0, total)]
    rs = ranges(total, k, align)
    if len(rs) == 1:
        return [fn(0, total)]
    pool = _executor(len(rs) - 1)
    futs = [pool.submit(fn, lo, hi) for lo, hi in rs[1:]]
    try:
        first = fn(*rs[0])
    finally:
        rest = [f.result() for f in futs]  # always join before returning or raising
    return [first] + rest
