"""When a full Lua collection runs: the memory Lua's proxies keep alive in Python, paid for."""

from __future__ import annotations

import ctypes
import time
from collections.abc import Callable

# Lua cannot see the size of the numpy buffers its proxies keep alive: collect after this much.
# Dead buffers wait for the collection, so this is about what a loop's garbage adds to the
# process's peak: 64 MB left the LSTM benchmark (h) 25 MB above 32 MB (the 50 clones of its
# cells drop 86 MB of copied parameters), at the same number of collections per training
# step, which the proxies below set there. Small enough too that freed buffers are reused:
# past ~128 MB of dead arrays glibc gives the memory back to the OS and every new array
# page-faults afresh (measured: `x + y` at 1M elements took 14-18 ms at 256 MB, 0.5 ms at
# 64 MB; numpy alone 0.3 ms). A loop allocating 8 MB per call (`torch.exp` of 1M doubles)
# collects every 4 calls: 2-4% of its time.
GC_EVERY_BYTES = 32 * 2**20

# Lua's collector paces itself on Lua's bytes: a tensor's proxy is a few dozen, while what it
# keeps alive in Python (Tensor, Storage, numpy header, lupa's wrapper) is about a kilobyte.
# Unpaid, that let a loop of small temporaries grow the process by hundreds of MB (issue 16).
# Each proxy handed to Lua counts this much toward the collection above: one runs at least
# every 16k proxies, whatever their numpy sizes.
PROXY_BYTES = 2048

# After a collection the buffers it freed stay in the allocator's heap, resident: reused by the
# next tensors of the same loop, but kept for good when the next tensors live elsewhere (tensors
# made in Lua live in Lua's heap: the LSTM benchmark's 50 clones leave tens of MB of freed
# copies in the C heap). malloc_trim gives the free pages back, and pages trimmed and then
# reused are faulted in again: a loop allocating 8 MB a call ran 30% slower trimming after each
# of its collections. So trimming draws on a budget of bytes that refills with CPU time: up to
# TRIM_BYTES_PER_CPU_SECOND (page faults cost about 0.25 ms a MB: about 1% of the time at most).
TRIM_BYTES_PER_CPU_SECOND = 32 * 2**20
TRIM_BUDGET_MAX = 128 * 2**20
# Below this much free heap a trim is not worth a call. Not glibc's own 16 MB trim threshold
# (threadpool.tune_allocator), which only counts the heap's top: the holes a training loop's set-up
# and first step leave below its live buffers stay free for good when its later steps reuse
# their buffers (LeNet, c: 4.9 MB free after each step, 4 MB less resident trimmed at its
# collections; the MLP, b: 1.4 MB less), at the same CPU time within the budget above.
TRIM_MIN_FREE = 1 * 2**20


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost"
        ).split()
    ]


_trim: tuple[Callable[[int], int], Callable[[], _MallInfo2]] | None | bool = None
_budget = float(TRIM_BUDGET_MAX)
_budget_at = 0.0


def _trimmer() -> tuple[Callable[[int], int], Callable[[], _MallInfo2]] | None:
    global _trim
    if _trim is None:
        try:
            libc = ctypes.CDLL(None)
            libc.mallinfo2.restype = _MallInfo2
            _trim = (libc.malloc_trim, libc.mallinfo2)
        except (OSError, AttributeError):  # not glibc (2.33 or later)
            _trim = False
    return _trim or None


def after_loading() -> None:
    """Give back the free heap pages that compiling code left (Python compiles each module
    from source where no bytecode is cached: its syntax trees and buffers are freed into
    holes between the modules' objects). Called once the runtime has started and after a
    kernel family's first import, for about 0.1 ms each: ``require 'nn'`` 1.1 MB less
    resident; a training loop's tensors reuse most such holes (LeNet's peak 0.3-0.5 MB
    lower, the MLP's and the LSTM's the same)."""
    trim = _trimmer()
    if trim:
        trim[0](0)


def after_collection() -> None:
    """Called after each full collection: give free heap pages back, within the budget."""
    global _budget, _budget_at
    trim = _trimmer()
    if not trim:
        return
    now = time.process_time()
    _budget = min(TRIM_BUDGET_MAX, _budget + (now - _budget_at) * TRIM_BYTES_PER_CPU_SECOND)
    _budget_at = now
    malloc_trim, mallinfo2 = trim
    free = mallinfo2().fordblks
    if TRIM_MIN_FREE < free <= _budget:
        malloc_trim(0)
        _budget -= free
