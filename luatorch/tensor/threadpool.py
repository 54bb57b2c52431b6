"""Threads behind torch.setnumthreads / torch.getnumthreads, and the kernel-level parallelism that
uses them.

Two BLAS libraries live in the process. numpy's own is pinned to one thread: OpenBLAS's
threaded GEMM synchronises its threads once per packed panel, and when anything else holds one
of this machine's two cores every barrier waits for a descheduled thread (a conv-gradient GEMM
with a long inner dimension went from 5 ms to 1.6 s; the default threading once made a small
MLP step 30x slower). The system OpenBLAS that Torch7 itself links (tensor/blas.py) keeps the
thread count it gives itself, as in Torch7's process (and with Torch7's exposure to that
failure), because the count changes its results' last bits for some call shapes.

Large kernels split their own work (batch rows, output columns) over a small pool of Python
threads with ``parallel``: numpy releases the GIL inside its loops and copies, ctypes around
BLAS calls, and each split synchronises exactly once, so a busy core costs at most its share.
A split pays only when each numpy call of a part is long (MIN_OP): between calls the threads
trade the GIL. A convolution's gradInput runs ranges of frames side by side, each product on
one BLAS thread, where the system OpenBLAS gives the same bits that way (blas.frames_apart).

``torch.setnumthreads(n)`` sets how many threads those kernels use (the caller plus n - 1 pool
threads); the default is the number of cores this process may run on, as Torch7's OpenMP
default, or LUATORCH_NUM_THREADS.
"""

from __future__ import annotations

import os
import threading
from _queue import SimpleQueue
from collections.abc import Callable
from typing import Any

_limiter = None
_current = 1
_local = threading.local()  # a runtime's own setting while it runs (use_num_threads)
_initialized = False
_pool: _Pool | None = None
_pool_size = 0

# Splitting pays when a part's work clearly exceeds the hand-off (about 20-50 us of waking a
# thread): callers pass an estimate in "element operations" (a multiply-add, or a double read
# or written); below this a kernel runs on the calling thread alone.
MIN_WORK = 1 << 18
# at most this many ranges per thread (finer ranges balance a core shared with other work)
CHUNKS = 4
# A part made of many short numpy calls loses on two threads: each call gives the GIL back and
# takes it again, and while the other thread runs Python between its own calls every take
# waits for a hand-off (a futex wake and a context switch). Measured on 2 cores, one thread
# against two: max pooling's 64K-element blocks 5.6 against 9.3 ms (14 ms of CPU), ReLU's
# gradient in 16K-element blocks 4.7 against 7.0 ms, while one call per part (ReLU's forward
# fmax over 1.6M elements) gains. Parts whose calls cover fewer elements stay on one thread.
MIN_OP = 1 << 18


def gemm_work(m: int, n: int, k: int) -> float:
    """A matrix product's work in those units: a float64 multiply-add in a BLAS kernel costs
    about 1/32 of a memory-bound element operation."""
    return m * n * k / 32


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
    """Use n threads in luatorch's parallel kernels (the BLAS libraries keep their own)."""
    global _current
    _current = max(1, int(n))


def get_num_threads() -> int:
    n = getattr(_local, "n", None)
    return _current if n is None else n


def use_num_threads(n: int | None) -> int | None:
    """The calling thread's setting (a runtime's own torch.setnumthreads while it runs; None:
    the process default); returns the previous one, to restore."""
    prev = getattr(_local, "n", None)
    _local.n = n
    return prev


def tune_allocator() -> bool:
    """Keep freed tensor buffers in the process for reuse (glibc only).

    glibc serves blocks above 128 KB-32 MB with fresh mmap()s and unmaps them on free, so
    every new large tensor is zeroed page by page by the kernel: a fresh 8 MB exp result cost
    1.9 ms in numpy against 0.55 ms into a reused buffer (1.0 ms with this tuning; the rest is
    writing memory that is not in cache). Serving blocks under 32 MB from the heap and
    trimming it only past 16 MB free makes freed buffers reused as they are.
    LUATORCH_MALLOC_TUNE=0 leaves the allocator alone."""
    if os.environ.get("LUATORCH_MALLOC_TUNE", "1") == "0":
        return False
    import ctypes
    import platform

    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3
    ok = mallopt(m_mmap_threshold, 32 << 20) == 1
    # a 16 MB trim threshold keeps a few freed buffers without holding much memory: 32 MB
    # added 7 MB to the MLP benchmark's peak (b: 99 against 92 MB), larger ones made the
    # resident size of long loops drift by several MB between GC cycles
    return bool(mallopt(m_trim_threshold, 16 << 20) == 1 and ok)


def init_default() -> None:
    """Pin BLAS (and OpenMP) pools to one thread, except the system OpenBLAS Torch7 links;
    luatorch's kernels use LUATORCH_NUM_THREADS threads, or one per available core; tune the
    allocator. Only the first call acts."""
    global _initialized
    if _initialized:
        return
    _initialized = True
    tune_allocator()
    _controller().limit(limits=1)
    # except the BLAS Torch7 itself uses, whose thread count changes its float results
    from . import blas

    blas.restore_threads()
    env = os.environ.get("LUATORCH_NUM_THREADS", "").strip()
    set_num_threads(int(env) if env else _cores())


def parts(work: float, op: float | None = None) -> int:
    """How many threads a kernel with this much work (element operations) should use; op:
    elements per numpy call of a part (None: one call over the part's range)."""
    n = get_num_threads()
    if n <= 1 or work < MIN_WORK * 2 or (op is not None and op < MIN_OP):
        return 1
    return int(min(n, work // MIN_WORK))


class _Task:
    """One function handed to the pool: cancellable until a thread starts it."""

    __slots__ = ("fn", "state", "done", "error")
    _lock = threading.Lock()

    def __init__(self, fn: Callable[[], Any]) -> None:
        self.fn = fn
        self.state = 0  # 0 waiting, 1 started, 2 cancelled
        self.done = threading.Event()
        self.error: BaseException | None = None

    def start(self) -> bool:
        with self._lock:
            if self.state:
                return False
            self.state = 1
            return True

    def cancel(self) -> bool:
        """True when no thread started it (it never will); False: it runs or ran."""
        with self._lock:
            if self.state == 0:
                self.state = 2
            return self.state == 2

    def result(self) -> None:
        self.done.wait()
        if self.error is not None:
            raise self.error


class _Pool:
    """n daemon threads taking tasks in turn: concurrent.futures' executor without its
    imports (logging and its kin: 0.6 MB resident in every process)."""

    def __init__(self, n: int) -> None:
        self.tasks: SimpleQueue = SimpleQueue()
        self.size = n
        for i in range(n):
            threading.Thread(target=self._work, name=f"luatorch_{i}", daemon=True).start()

    def _work(self) -> None:
        while True:
            task = self.tasks.get()
            if task is None:
                return
            if not task.start():
                continue
            try:
                task.fn()
            except BaseException as e:  # re-raised by result(), on the caller's thread
                task.error = e
            finally:
                task.done.set()

    def submit(self, fn: Callable[[], Any]) -> _Task:
        task = _Task(fn)
        self.tasks.put(task)
        return task

    def shutdown(self) -> None:
        """The threads end once the tasks before this are taken."""
        for _ in range(self.size):
            self.tasks.put(None)


def _executor(n: int) -> _Pool:
    global _pool, _pool_size
    if _pool is None or _pool_size < n:
        if _pool is not None:
            _pool.shutdown()
        _pool = _Pool(n)
        _pool_size = n
    return _pool


def ranges(total: int, k: int) -> list[tuple[int, int]]:
    """[0, total) cut into at most k contiguous non-empty ranges of near-equal length."""
    k = max(1, min(k, total))
    cuts = [total * i // k for i in range(k + 1)]
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def parallel(
    fn: Callable[[int, int], Any], total: int, work: float, op: float | None = None
) -> list[Any]:
    """fn(lo, hi) over contiguous ranges covering [0, total), on up to ``parts(work, op)``
    threads; results in range order. fn must only run numpy code on disjoint outputs: it runs
    outside Lua, on pool threads. op: elements per numpy call inside fn when it loops over
    blocks (None: fn makes one call over its range).

    The ranges are more than the threads (up to CHUNKS per thread) and each thread, the caller
    included, takes the next range when done with one. When another process holds a core, a
    pool thread may wait milliseconds to be scheduled: the caller then does its ranges, and a
    pool thread that never started is cancelled instead of waited for, so a busy machine costs
    at most about the single-threaded time."""
    k = parts(work, op)
    if k <= 1 or total <= 1:
        return [fn(0, total)]
    # a multiple of k: 3 ranges of 1M elements on 2 threads took 2/3 of the time, not 1/2
    nchunks = k * int(max(1, min(CHUNKS, work // (MIN_WORK * k))))
    rs = ranges(total, nchunks)
    if len(rs) == 1:
        return [fn(0, total)]
    results: list[Any] = [None] * len(rs)
    errors: list[BaseException] = []
    todo = iter(range(len(rs)))
    lock = threading.Lock()

    def drain() -> None:
        while not errors:
            with lock:
                i = next(todo, None)
            if i is None:
                return
            try:
                results[i] = fn(*rs[i])
            except BaseException as e:  # re-raised on the caller's thread
                errors.append(e)

    pool = _executor(k - 1)
    futs = [pool.submit(drain) for _ in range(min(k - 1, len(rs) - 1))]
    drain()
    for f in futs:
        if not f.cancel():  # started: it finishes its current range
            f.result()
    if errors:
        raise errors[0]
    return results
