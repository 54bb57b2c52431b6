"""BLAS thread control behind torch.setnumthreads / torch.getnumthreads.

OpenBLAS's default of one thread per core made a small MLP step 30x slower on a 2-core machine,
so the runtime starts with one BLAS thread unless the user asks for more.
"""

from __future__ import annotations

import os

_limiter = None
_current = 1


def _controller():
    global _limiter
    if _limiter is None:
        from threadpoolctl import ThreadpoolController

        _limiter = ThreadpoolController()
    return _limiter


def set_num_threads(n: int) -> None:
    """Limit BLAS (and OpenMP) pools to n threads."""
    global _current
    n = max(1, int(n))
    _controller().limit(limits=n)
    _current = n


def get_num_threads() -> int:
    return _current


def init_default() -> None:
    """One BLAS thread unless LUATORCH_NUM_THREADS says otherwise."""
    set_num_threads(int(os.environ.get("LUATORCH_NUM_THREADS", "1")))
